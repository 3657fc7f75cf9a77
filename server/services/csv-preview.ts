import {
  type LoadOverrides,
  type LoadPlan,
  pandasReadCall,
  type PlannedTable,
  sniffTable,
  tableFromPlan,
} from "../ingest";

// A delimited file's preview: the ingestion module's plan (detected, then the
// user's overrides), the table it reads, and the pandas call that reads the same.

export type TableFilePreview = {
  table: PlannedTable;
  /** What the table was read with. */
  plan: LoadPlan;
  /** What the user changed (asked for now, or remembered for this file), for the controls to continue from. */
  overrides: LoadOverrides;
  /** What was detected, so the controls can show "detected" beside a change. */
  detected: LoadPlan;
  /** The equivalent pandas call, for the user to copy or tell the agent. */
  pandas: string;
  /** Only the file's head was read: `table.rowsRead` counts the rows in it, not in the file. */
  headOnly: boolean;
};

/** Null when the bytes are not text (the caller shows the file as binary). */
export function previewTable(
  path: string,
  head: Uint8Array,
  cut: boolean,
  maxRows: number,
  overrides?: LoadOverrides,
): TableFilePreview | null {
  const sniffed = sniffTable(path, head, { cut, overrides });
  if (!sniffed) return null;
  return {
    table: tableFromPlan(sniffed.text, sniffed.plan, maxRows, cut),
    plan: sniffed.plan,
    overrides: overrides ?? {},
    detected: sniffed.detected,
    pandas: pandasReadCall(path, sniffed.plan),
    headOnly: cut,
  };
}
