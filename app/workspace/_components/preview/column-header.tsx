import { ArrowDown, ArrowUp, ArrowUpDown } from "lucide-react";
import { cn } from "../../../_lib/cn";
import { TableHeaderCell } from "../../../_components/ui/table";
import { type ColumnType, isNumericType } from "../../_lib/table/cell-values";
import type { ColumnStats } from "../../_lib/table/column-stats";
import type { SortState } from "../../_lib/table/row-order";
import { ColumnSummary } from "./column-summary";

const TYPE_LABELS: Record<ColumnType, string> = {
  integer: "int",
  decimal: "float",
  boolean: "bool",
  date: "date",
  text: "text",
  empty: "empty",
};

/** A column's name as a sort button (Enter cycles ascending, descending, file order), its type, and its summary when shown. */
export function ColumnHeader({
  index,
  name,
  type,
  summary,
  filtered,
  sort,
  onSort,
}: {
  index: number;
  name: string;
  type: ColumnType;
  /** Null while the summary is hidden. */
  summary: ColumnStats | null;
  /** The summary covers the rows a filter kept. */
  filtered: boolean;
  sort: SortState;
  onSort: (column: number) => void;
}) {
  const numeric = isNumericType(type);
  const direction = sort?.column === index ? sort.direction : null;
  const Icon = direction === "asc" ? ArrowUp : direction === "desc" ? ArrowDown : ArrowUpDown;
  const next = direction === null ? "ascending" : direction === "asc" ? "descending" : "file order";
  return (
    <TableHeaderCell
      scope="col"
      className={cn("align-top", numeric && "text-right")}
      aria-sort={direction === "asc" ? "ascending" : direction === "desc" ? "descending" : "none"}
      data-testid={`preview-column-${index}`}
    >
      <button
        type="button"
        onClick={() => onSort(index)}
        className={cn(
          "inline-flex max-w-60 items-center gap-1 rounded focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-sky-500",
          numeric && "flex-row-reverse",
        )}
        title={`Sort by ${name}: ${next}`}
        data-testid={`preview-sort-${index}`}
      >
        <span className="truncate">{name}</span>
        <Icon aria-hidden className={cn("size-3.5 shrink-0", direction ? "text-sky-600" : "text-slate-400")} />
      </button>
      <span className="ml-1.5 font-mono text-[10px] font-normal text-slate-400" data-testid={`preview-type-${index}`}>
        {TYPE_LABELS[type]}
      </span>
      {summary ? <ColumnSummary stats={summary} filtered={filtered} testId={`preview-summary-${index}`} /> : null}
    </TableHeaderCell>
  );
}
