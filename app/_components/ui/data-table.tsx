"use client";

import {
  createColumnHelper,
  createSortedRowModel,
  rowSortingFeature,
  sortFn_alphanumeric,
  sortFn_basic,
  sortFn_datetime,
  tableFeatures,
  useTable,
  type ColumnDef,
  type RowData,
  type SortingState,
} from "@tanstack/react-table";
import { ArrowDown, ArrowUp, ArrowUpDown } from "lucide-react";
import { useState, type ReactNode } from "react";
import { cn } from "../../_lib/cn";
import { Skeleton } from "./skeleton";
import { Table, TableCell, TableHeaderCell } from "./table";

// TanStack Table (v9) over the styled table elements: sortable headers
// (click or Enter), a skeleton while loading, a message when empty.

export const dataTableFeatures = tableFeatures({
  rowSortingFeature,
  sortedRowModel: createSortedRowModel(),
  sortFns: { alphanumeric: sortFn_alphanumeric, basic: sortFn_basic, datetime: sortFn_datetime },
});

export type DataTableColumn<T extends RowData> = ColumnDef<typeof dataTableFeatures, T>;

export function dataTableColumns<T extends RowData>() {
  return createColumnHelper<typeof dataTableFeatures, T>();
}

type DataTableProps<T extends RowData> = {
  columns: DataTableColumn<T>[];
  data: T[] | undefined;
  getRowId: (row: T) => string;
  rowTestId?: (row: T) => string;
  rowClassName?: (row: T) => string | undefined;
  loading?: boolean;
  empty: ReactNode;
  initialSorting?: SortingState;
  label: string;
  testId?: string;
};

const NO_ROWS: never[] = [];

export function DataTable<T extends RowData>({ columns, data, getRowId, rowTestId, rowClassName, loading, empty, initialSorting = [], label, testId }: DataTableProps<T>) {
  const [sorting, setSorting] = useState<SortingState>(initialSorting);
  const table = useTable({
    features: dataTableFeatures,
    columns,
    data: data ?? NO_ROWS,
    getRowId: (row: T) => getRowId(row),
    state: { sorting },
    onSortingChange: setSorting,
  });
  const rows = table.getRowModel().rows;

  return (
    <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm dark:border-slate-800 dark:bg-slate-900">
      <Table aria-label={label} data-testid={testId}>
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => {
                const sorted = header.column.getIsSorted();
                const canSort = header.column.getCanSort();
                return (
                  <TableHeaderCell key={header.id} aria-sort={sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : undefined}>
                    {header.isPlaceholder ? null : canSort ? (
                      <button
                        type="button"
                        onClick={header.column.getToggleSortingHandler()}
                        className="-mx-1 inline-flex items-center gap-1 rounded px-1 hover:text-slate-900 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-sky-500 dark:hover:text-white"
                      >
                        <table.FlexRender header={header} />
                        {sorted === "asc" ? (
                          <ArrowUp className="size-3" aria-hidden />
                        ) : sorted === "desc" ? (
                          <ArrowDown className="size-3" aria-hidden />
                        ) : (
                          <ArrowUpDown className="size-3 opacity-40" aria-hidden />
                        )}
                      </button>
                    ) : (
                      <table.FlexRender header={header} />
                    )}
                  </TableHeaderCell>
                );
              })}
            </tr>
          ))}
        </thead>
        <tbody>
          {loading && !data
            ? [0, 1, 2].map((index) => (
                <tr key={index} aria-hidden>
                  {columns.map((_, column) => (
                    <TableCell key={column} className="py-3">
                      <Skeleton className="h-4 w-24" />
                    </TableCell>
                  ))}
                </tr>
              ))
            : rows.map((row) => (
                <tr
                  key={row.id}
                  data-testid={rowTestId?.(row.original)}
                  className={cn("hover:bg-slate-50/70 dark:hover:bg-slate-800/40", rowClassName?.(row.original))}
                >
                  {row.getAllCells().map((cell) => (
                    <TableCell key={cell.id} className={cn("py-2", cell.column.id === "actions" && "max-w-none overflow-visible text-right")}>
                      <table.FlexRender cell={cell} />
                    </TableCell>
                  ))}
                </tr>
              ))}
          {!loading && rows.length === 0 ? (
            <tr>
              <TableCell colSpan={columns.length} className="max-w-none whitespace-normal py-10 text-center text-slate-500 dark:text-slate-400">
                {empty}
              </TableCell>
            </tr>
          ) : null}
        </tbody>
      </Table>
    </div>
  );
}
