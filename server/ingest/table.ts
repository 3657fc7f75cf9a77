import { parseRecords, type TablePreview } from "./delimited";
import type { LoadPlan } from "./load-plan";

// The table a plan reads from a decoded head, as pandas would see it: skipped
// lines gone, comment lines dropped, the header row (or 0, 1, 2… without one).

export type PlannedTable = TablePreview & {
  /** "empty": nothing to read; "header-only": a header and no rows. */
  shape: "rows" | "header-only" | "empty";
  /** Data rows in what was read (the whole file unless the head was cut), of which `rows` are the first. */
  rowsRead: number;
};

export function tableFromPlan(text: string, plan: LoadPlan, maxRows: number, cut: boolean): PlannedTable {
  let lines = text.split(/\r\n|\n|\r/).slice(plan.skipRows);
  if (plan.comment) lines = lines.filter((line) => !line.trimStart().startsWith(plan.comment!));
  const { records, truncated, count } = parseRecords(lines.join("\n"), plan.delimiter, maxRows + (plan.header ? 1 : 0));
  if (records.length === 0) return { columns: [], rows: [], truncated: false, shape: "empty", rowsRead: 0 };
  const width = Math.max(...records.map((record) => record.length));
  const columns = plan.header ? records.shift()! : Array.from({ length: width }, (_, index) => String(index));
  const shape = records.length === 0 ? "header-only" : "rows";
  const rowsRead = count - (plan.header ? 1 : 0);
  return { columns, rows: records, truncated: truncated || cut, shape, rowsRead };
}
