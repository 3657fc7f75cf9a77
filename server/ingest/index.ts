// One ingestion module: how to read a user's data file, shared by the file
// preview, the agent's workspace summary and its loading hints. Pure: callers
// bring the file's first bytes (read through the sandbox).
export { compressionOf, UnreadableArchiveError, type Compression } from "./compressed-head";
export { DELIMITERS, parseDelimited, parseRecords, type Delimiter, type TablePreview } from "./delimited";
export {
  applyOverrides,
  ENCODINGS,
  MAX_SKIP_ROWS,
  type Encoding,
  type LoadOverrides,
  type LoadPlan,
} from "./load-plan";
export { pandasExcelCall, pandasReadCall } from "./pandas-call";
export { sniffTable, type Sniffed } from "./sniff";
export { tableFromPlan, type PlannedTable } from "./table";
export { sheetTable, UnreadableWorkbookError, workbookSheets } from "./xlsx";
export { xlsSheets, xlsSheetTable } from "./xls";

/** Files read as delimited tables (plain, gzipped or zipped). */
export const DELIMITED_FILE = /\.(csv|tsv)(\.gz)?$|\.zip$/i;
