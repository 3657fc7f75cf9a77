import { type ColumnType, columnType, isMissing, isNumericType, numberOf } from "./cell-values";

// A column at a glance: its type, how many cells are missing, and either a
// small histogram (numbers) or its most frequent values (everything else).

export type HistogramBin = { from: number; to: number; count: number };
export type TopValue = { value: string; count: number };

export type ColumnStats = {
  type: ColumnType;
  count: number;
  missing: number;
  distinct: number;
  min?: number;
  max?: number;
  histogram?: HistogramBin[];
  top?: TopValue[];
};

export const HISTOGRAM_BINS = 12;
export const TOP_VALUES = 5;

/**
 * The summary of `column` over the rows at `indexes` (e.g. the filtered ones; all rows by
 * default). `type` is the column's own, inferred from every row unless given, so a filter
 * narrows the summary without changing how the column reads.
 */
export function columnStats(
  rows: readonly (readonly string[])[],
  column: number,
  indexes?: readonly number[],
  type: ColumnType = columnType(rows.map((row) => row[column])),
): ColumnStats {
  const cells = indexes ? indexes.map((index) => rows[index]?.[column]) : rows.map((row) => row[column]);
  const present = cells.filter((cell): cell is string => !isMissing(cell));
  const distinct = new Set(present).size;
  const base = { type, count: cells.length, missing: cells.length - present.length, distinct };
  if (isNumericType(type)) {
    const numbers = present.map((cell) => numberOf(cell)!);
    const min = numbers.reduce((low, value) => Math.min(low, value), Infinity);
    const max = numbers.reduce((high, value) => Math.max(high, value), -Infinity);
    return { ...base, min, max, histogram: histogram(numbers, min, max, HISTOGRAM_BINS) };
  }
  return { ...base, top: topValues(present, TOP_VALUES) };
}

/** Equal-width bins from min to max; the last bin includes max. One bin when all values are equal. */
export function histogram(values: readonly number[], min: number, max: number, bins: number): HistogramBin[] {
  if (values.length === 0) return [];
  if (min === max) return [{ from: min, to: max, count: values.length }];
  const width = (max - min) / bins;
  const counts = new Array<number>(bins).fill(0);
  for (const value of values) counts[Math.min(bins - 1, Math.floor((value - min) / width))]!++;
  return counts.map((count, bin) => ({
    from: min + bin * width,
    to: bin === bins - 1 ? max : min + (bin + 1) * width,
    count,
  }));
}

/** The most frequent values, most frequent first; ties in first-seen order. */
export function topValues(values: readonly string[], limit: number): TopValue[] {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts]
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count)
    .slice(0, limit);
}
