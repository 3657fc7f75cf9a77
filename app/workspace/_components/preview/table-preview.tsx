"use client";

import { createColumnHelper, tableFeatures, useTable } from "@tanstack/react-table";
import { useMemo } from "react";
import { cn } from "../../../_lib/cn";
import { Table, TableCell, TableHeaderCell } from "../../../_components/ui/table";

type Row = string[];
const features = tableFeatures({});
const helper = createColumnHelper<typeof features, Row>();
const NUMBER = /^[-+]?(\d+([.,]\d+)*|\d*\.\d+)([eE][-+]?\d+)?%?$/;

/** Columns whose every non-empty value is a number read better right-aligned. */
function numericColumns(columns: string[], rows: Row[]): boolean[] {
  return columns.map((_name, index) => {
    const values = rows.map((row) => row[index]?.trim() ?? "").filter(Boolean);
    return values.length > 0 && values.every((value) => NUMBER.test(value));
  });
}

/** A delimited file's first rows as a table with a sticky header and row numbers. */
export function TablePreview({
  columns,
  rows,
  truncated,
  shape,
}: {
  columns: string[];
  rows: Row[];
  truncated: boolean;
  /** "empty": nothing to read; "header-only": a header and no rows. */
  shape: "rows" | "header-only" | "empty";
}) {
  const numeric = useMemo(() => numericColumns(columns, rows), [columns, rows]);
  const columnDefs = useMemo(
    () =>
      helper.columns(
        columns.map((name, index) =>
          helper.accessor((row: Row) => row[index] ?? "", {
            id: `c${index}`,
            header: name.trim() || `Column ${index + 1}`,
          }),
        ),
      ),
    [columns],
  );
  const table = useTable({ features, columns: columnDefs, data: rows });

  if (shape === "empty") {
    return (
      <p className="flex-1 p-6 text-center text-sm text-slate-500" data-testid="preview-table-empty">
        The file is empty: it has no header and no rows. If rows are skipped above, skip fewer.
      </p>
    );
  }
  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <div className="min-h-0 flex-1 overflow-auto" data-testid="preview-table">
        <Table aria-label="File preview" aria-rowcount={rows.length + 1} className="w-max min-w-[50%]">
          <thead>
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id}>
                <TableHeaderCell className="w-12 text-right text-slate-400" aria-label="Row number">
                  #
                </TableHeaderCell>
                {group.headers.map((header, index) => (
                  <TableHeaderCell key={header.id} className={cn(numeric[index] && "text-right")} scope="col">
                    {header.isPlaceholder ? null : <table.FlexRender header={header} />}
                  </TableHeaderCell>
                ))}
              </tr>
            ))}
          </thead>
          <tbody>
            {table.getRowModel().rows.map((row, rowIndex) => (
              <tr key={row.id} className="hover:bg-slate-50 dark:hover:bg-slate-800/40">
                <TableCell className="text-right text-xs tabular-nums text-slate-400">{rowIndex + 1}</TableCell>
                {row.getAllCells().map((cell, index) => (
                  <TableCell
                    key={cell.id}
                    className={cn(numeric[index] && "text-right tabular-nums")}
                    title={String(cell.getValue())}
                  >
                    <table.FlexRender cell={cell} />
                  </TableCell>
                ))}
              </tr>
            ))}
          </tbody>
        </Table>
        {rows.length === 0 ? (
          <p className="p-6 text-center text-sm text-slate-500" data-testid="preview-header-only">
            The file has a header row but no data rows.
          </p>
        ) : null}
      </div>
      <p
        className="shrink-0 border-t border-slate-200 px-4 py-2 text-xs text-slate-500 dark:border-slate-800 dark:text-slate-400"
        data-testid="preview-row-count"
      >
        {truncated
          ? `Showing the first ${rows.length.toLocaleString()} rows`
          : `${rows.length.toLocaleString()} ${rows.length === 1 ? "row" : "rows"}`}{" "}
        · {columns.length} {columns.length === 1 ? "column" : "columns"}
        {truncated ? " · Download the file or use the console for all of it." : null}
      </p>
    </div>
  );
}
