"use client";

import { BarChart3, Search, X } from "lucide-react";
import { useDeferredValue, useMemo, useState } from "react";
import { cn } from "../../../_lib/cn";
import { Button } from "../../../_components/ui/button";
import { Table, TableCell, TableHeaderCell } from "../../../_components/ui/table";
import { columnType, isNumericType } from "../../_lib/table/cell-values";
import { columnStats } from "../../_lib/table/column-stats";
import { rowCountNote } from "../../_lib/table/row-count-note";
import { filterRows, nextSort, sortRows, type SortState } from "../../_lib/table/row-order";
import { ColumnHeader } from "./column-header";
import { useVirtualRows } from "./use-virtual-rows";

type Row = string[];
/** Every row is one line of this height, so only the rows in view need rendering. */
const ROW_HEIGHT = 32;

/**
 * A delimited file's rows as a table an analyst can work with: sort by a column,
 * filter across all of them, a summary per column (type, missing, histogram or
 * top values). Rows are virtualised: thousands scroll without lag.
 */
export function TablePreview({
  columns,
  rows,
  shape,
  rowsRead,
  headOnly,
}: {
  columns: string[];
  rows: Row[];
  /** "empty": nothing to read; "header-only": a header and no rows. */
  shape: "rows" | "header-only" | "empty";
  /** Rows in what was read; more than `rows.length` when only the first ones were sent. */
  rowsRead: number;
  headOnly: boolean;
}) {
  const [query, setQuery] = useState("");
  const [sort, setSort] = useState<SortState>(null);
  const [showSummary, setShowSummary] = useState(false);
  const deferredQuery = useDeferredValue(query);

  const names = useMemo(() => columns.map((name, index) => name.trim() || `Column ${index + 1}`), [columns]);
  // A column's type is read from every row; its summary follows the filter.
  const types = useMemo(
    () => columns.map((_name, index) => columnType(rows.map((row) => row[index]))),
    [columns, rows],
  );
  const filtered = useMemo(() => filterRows(rows, deferredQuery), [rows, deferredQuery]);
  const stats = useMemo(
    () => (showSummary ? types.map((type, index) => columnStats(rows, index, filtered, type)) : null),
    [showSummary, types, rows, filtered],
  );
  const order = useMemo(
    () => sortRows(rows, filtered, sort, sort ? (types[sort.column] ?? "text") : "text"),
    [rows, filtered, sort, types],
  );
  const { scrollRef, headerRef, onScroll, window: visible } = useVirtualRows(order.length, ROW_HEIGHT);

  if (shape === "empty") {
    return (
      <p className="flex-1 p-6 text-center text-sm text-slate-500" data-testid="preview-table-empty">
        The file is empty: it has no header and no rows. If rows are skipped above, skip fewer.
      </p>
    );
  }
  const filtering = deferredQuery.trim() !== "";
  return (
    <div className="flex min-h-0 min-w-0 flex-1 flex-col">
      <div className="flex shrink-0 items-center gap-2 border-b border-slate-200 px-4 py-2 dark:border-slate-800">
        <label className="relative min-w-0 max-w-80 flex-1">
          <span className="sr-only">Filter rows</span>
          <Search
            aria-hidden
            className="pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2 text-slate-400"
          />
          <input
            type="search"
            value={query}
            onChange={(event) => setQuery(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === "Escape" && query) {
                event.preventDefault();
                setQuery("");
              }
            }}
            placeholder="Filter rows (any column)"
            className="h-8 w-full rounded-md border border-slate-300 bg-white pr-8 pl-8 text-sm shadow-sm placeholder:text-slate-400 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-sky-500 dark:border-slate-700 dark:bg-slate-900 [&::-webkit-search-cancel-button]:hidden"
            data-testid="preview-filter"
          />
          {query ? (
            <button
              type="button"
              onClick={() => setQuery("")}
              aria-label="Clear the filter"
              className="absolute top-1/2 right-2 -translate-y-1/2 rounded text-slate-400 hover:text-slate-700 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-sky-500"
              data-testid="preview-filter-clear"
            >
              <X className="size-4" aria-hidden />
            </button>
          ) : null}
        </label>
        <Button
          variant={showSummary ? "secondary" : "ghost"}
          size="sm"
          onClick={() => setShowSummary((shown) => !shown)}
          aria-pressed={showSummary}
          data-testid="preview-summary-toggle"
        >
          <BarChart3 aria-hidden />
          Summary
        </Button>
      </div>
      <div
        ref={scrollRef}
        onScroll={onScroll}
        className="min-h-0 flex-1 overflow-auto"
        data-testid="preview-table"
        data-rows={order.length}
      >
        <Table aria-label="File preview" aria-rowcount={order.length + 1} className="w-max min-w-full">
          <thead ref={headerRef}>
            <tr aria-rowindex={1}>
              <TableHeaderCell className="w-12 align-top text-right text-slate-400" aria-label="Row in file">
                #
              </TableHeaderCell>
              {names.map((name, index) => (
                <ColumnHeader
                  key={index}
                  index={index}
                  name={name}
                  type={types[index]!}
                  summary={stats?.[index] ?? null}
                  filtered={filtering}
                  sort={sort}
                  onSort={(column) => setSort((current) => nextSort(current, column))}
                />
              ))}
            </tr>
          </thead>
          <tbody>
            {visible.padTop > 0 ? <tr aria-hidden style={{ height: visible.padTop }} /> : null}
            {order.slice(visible.start, visible.end).map((rowIndex, offset) => (
              <tr
                key={rowIndex}
                aria-rowindex={visible.start + offset + 2}
                style={{ height: ROW_HEIGHT }}
                className="hover:bg-slate-50 dark:hover:bg-slate-800/40"
                data-testid="preview-row"
              >
                <TableCell className="py-0 text-right text-xs tabular-nums text-slate-400">{rowIndex + 1}</TableCell>
                {columns.map((_name, index) => {
                  const value = rows[rowIndex]![index] ?? "";
                  return (
                    <TableCell
                      key={index}
                      className={cn("py-0", isNumericType(types[index]!) && "text-right tabular-nums")}
                      title={value}
                    >
                      {value}
                    </TableCell>
                  );
                })}
              </tr>
            ))}
            {visible.padBottom > 0 ? <tr aria-hidden style={{ height: visible.padBottom }} /> : null}
          </tbody>
        </Table>
        {rows.length === 0 ? (
          <p className="p-6 text-center text-sm text-slate-500" data-testid="preview-header-only">
            The file has a header row but no data rows.
          </p>
        ) : filtering && order.length === 0 ? (
          <p className="p-6 text-center text-sm text-slate-500" data-testid="preview-no-match">
            No row contains “{deferredQuery.trim()}”.
          </p>
        ) : null}
      </div>
      <p
        className="shrink-0 border-t border-slate-200 px-4 py-2 text-xs text-slate-500 dark:border-slate-800 dark:text-slate-400"
        data-testid="preview-row-count"
        aria-live="polite"
      >
        {rowCountNote({
          loaded: rows.length,
          rowsRead,
          headOnly,
          columns: columns.length,
          matching: filtering ? order.length : null,
        })}
      </p>
    </div>
  );
}
