import { type ColumnType, isMissing, isNumericType, numberOf } from "./cell-values";

// Which rows the preview shows and in what order: a filter over every column,
// then a sort on one. Both return row indexes, so the rows themselves are never copied.

export type SortDirection = "asc" | "desc";
export type SortState = { column: number; direction: SortDirection } | null;

/** Header click: none → ascending → descending → none; another column starts ascending. */
export function nextSort(current: SortState, column: number): SortState {
  if (!current || current.column !== column) return { column, direction: "asc" };
  return current.direction === "asc" ? { column, direction: "desc" } : null;
}

/** Indexes of the rows where some cell contains the query (case-insensitive); all rows for a blank query. */
export function filterRows(rows: readonly (readonly string[])[], query: string): number[] {
  const needle = query.trim().toLocaleLowerCase();
  const indexes: number[] = [];
  for (let index = 0; index < rows.length; index++) {
    if (!needle || rows[index]!.some((cell) => cell.toLocaleLowerCase().includes(needle))) indexes.push(index);
  }
  return indexes;
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });

/**
 * The indexes sorted by one column: numbers by value, the rest as text with
 * digits compared as numbers. Missing cells go last either way, as in pandas' sort_values.
 * Stable: equal cells keep their file order.
 */
export function sortRows(
  rows: readonly (readonly string[])[],
  indexes: readonly number[],
  sort: SortState,
  type: ColumnType,
): number[] {
  if (!sort) return [...indexes];
  const { column, direction } = sort;
  const sign = direction === "asc" ? 1 : -1;
  const numeric = isNumericType(type);
  const keyed = indexes.map((index) => {
    const cell = rows[index]![column];
    return { index, missing: isMissing(cell), cell: cell ?? "", number: numeric ? numberOf(cell) : null };
  });
  keyed.sort((a, b) => {
    if (a.missing || b.missing) return Number(a.missing) - Number(b.missing) || a.index - b.index;
    const order = numeric ? a.number! - b.number! : collator.compare(a.cell, b.cell);
    return sign * order || a.index - b.index;
  });
  return keyed.map((entry) => entry.index);
}
