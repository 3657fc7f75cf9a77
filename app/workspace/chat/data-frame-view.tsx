import { Table as TableIcon } from "lucide-react";
import { Table, TableCell, TableHeaderCell } from "../../_components/ui/table";
import { cn } from "../../_lib/cn";
import type { RunPythonOutput } from "./_lib/tool-parts";

type KernelTable = RunPythonOutput["tables"][number];
type Cell = KernelTable["rows"][number][number];

const isNumeric = (dtype: string | undefined) => !!dtype && /^(u?int|float|complex|Int|Float|UInt)/.test(dtype);

function formatCell(value: Cell, numeric: boolean): string {
  if (value === null) return "NaN";
  if (typeof value === "number" && numeric && !Number.isInteger(value)) return value.toLocaleString(undefined, { maximumFractionDigits: 6 });
  return String(value);
}

/** A DataFrame the code returned: compact, its dtypes under the names, "first 50 of N rows". */
export function DataFrameView({ table }: { table: KernelTable }) {
  const numeric = table.columns.map((_column, index) => isNumeric(table.dtypes[index]));
  const shown = table.rows.length;
  const summary =
    shown < table.totalRows
      ? `first ${shown.toLocaleString()} of ${table.totalRows.toLocaleString()} rows`
      : `${table.totalRows.toLocaleString()} ${table.totalRows === 1 ? "row" : "rows"}`;
  return (
    <section className="overflow-hidden rounded-lg border border-slate-200 dark:border-slate-800" data-testid="tool-table" aria-label={`Table ${table.name ?? ""}`.trim()}>
      <header className="flex items-center gap-2 border-b border-slate-200 bg-slate-50 px-3 py-1.5 text-xs text-slate-600 dark:border-slate-800 dark:bg-slate-900 dark:text-slate-400">
        <TableIcon className="size-3.5" aria-hidden />
        {table.name ? <span className="font-mono font-medium text-slate-800 dark:text-slate-200">{table.name}</span> : <span>DataFrame</span>}
        <span className="ml-auto tabular-nums" data-testid="tool-table-summary">
          {summary} × {table.columns.length} {table.columns.length === 1 ? "column" : "columns"}
        </span>
      </header>
      <div className="max-h-72 overflow-auto">
        <Table className="w-max min-w-full text-xs">
          <thead>
            <tr>
              {table.columns.map((column, index) => (
                <TableHeaderCell key={index} scope="col" className={cn("py-1.5", numeric[index] && "text-right")}>
                  <span className="block">{column}</span>
                  <span className="block font-mono text-[10px] font-normal text-slate-400">{table.dtypes[index]}</span>
                </TableHeaderCell>
              ))}
            </tr>
          </thead>
          <tbody>
            {table.rows.map((row, rowIndex) => (
              <tr key={rowIndex} className="hover:bg-slate-50 dark:hover:bg-slate-800/40">
                {row.map((value, index) => (
                  <TableCell
                    key={index}
                    className={cn("py-1 font-mono", numeric[index] && "text-right tabular-nums", value === null && "italic text-slate-400")}
                    title={String(value)}
                  >
                    {formatCell(value, numeric[index] ?? false)}
                  </TableCell>
                ))}
              </tr>
            ))}
          </tbody>
        </Table>
      </div>
    </section>
  );
}
