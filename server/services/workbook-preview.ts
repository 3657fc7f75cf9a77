import { pandasExcelCall, type PlannedTable, sheetTable, workbookSheets, xlsSheets, xlsSheetTable } from "../ingest";
import { DomainError } from "./errors";

// A workbook's preview (.xlsx, or old binary .xls): its sheets, the chosen one's
// first rows, and the pandas call that reads that same sheet.

export type WorkbookFilePreview = {
  sheets: string[];
  sheet: string;
  table: PlannedTable;
  /** Null for .xls: pandas reads it only with xlrd 2, which the built-in runtimes (Debian's) lack. */
  pandas: string | null;
};

const XLS = /\.xls$/i;

/** `picked`: the sheet asked for now; `remembered`: the one the user last picked, shown if it still exists. */
export function previewWorkbook(
  path: string,
  bytes: Buffer,
  maxRows: number,
  sheet: { picked?: string; remembered?: string } = {},
): WorkbookFilePreview {
  const xls = XLS.test(path);
  const sheets = xls ? xlsSheets(bytes) : workbookSheets(bytes);
  const remembered = sheet.remembered !== undefined && sheets.includes(sheet.remembered) ? sheet.remembered : undefined;
  const chosen = sheet.picked ?? remembered ?? sheets[0];
  if (chosen === undefined) throw new DomainError("invalid_input", "This workbook has no sheets.");
  if (!sheets.includes(chosen))
    throw new DomainError("invalid_input", `This workbook has no sheet named “${chosen}”. Pick one of its sheets.`);
  return {
    sheets,
    sheet: chosen,
    table: xls ? xlsSheetTable(bytes, chosen, maxRows) : sheetTable(bytes, chosen, maxRows),
    pandas: xls ? null : pandasExcelCall(path, sheets, chosen),
  };
}
