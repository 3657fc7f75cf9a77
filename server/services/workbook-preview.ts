import { pandasExcelCall, type PlannedTable, sheetTable, workbookSheets } from "../ingest";
import { DomainError } from "./errors";

// A workbook's preview: its sheets, the chosen one's first rows, and the pandas
// call that reads that same sheet.

export type WorkbookFilePreview = { sheets: string[]; sheet: string; table: PlannedTable; pandas: string };

export function previewWorkbook(path: string, bytes: Buffer, maxRows: number, sheet?: string): WorkbookFilePreview {
  const sheets = workbookSheets(bytes);
  const chosen = sheet ?? sheets[0];
  if (chosen === undefined) throw new DomainError("invalid_input", "This workbook has no sheets.");
  if (!sheets.includes(chosen))
    throw new DomainError("invalid_input", `This workbook has no sheet named “${chosen}”. Pick one of its sheets.`);
  return {
    sheets,
    sheet: chosen,
    table: sheetTable(bytes, chosen, maxRows),
    pandas: pandasExcelCall(path, sheets, chosen),
  };
}
