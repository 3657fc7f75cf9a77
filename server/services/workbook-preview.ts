import { pandasExcelCall, type PlannedTable, sheetTable, workbookSheets } from "../ingest";
import { DomainError } from "./errors";

// A workbook's preview: its sheets, the chosen one's first rows, and the pandas
// call that reads that same sheet.

export type WorkbookFilePreview = { sheets: string[]; sheet: string; table: PlannedTable; pandas: string };

/** `picked`: the sheet asked for now; `remembered`: the one the user last picked, shown if it still exists. */
export function previewWorkbook(
  path: string,
  bytes: Buffer,
  maxRows: number,
  sheet: { picked?: string; remembered?: string } = {},
): WorkbookFilePreview {
  const sheets = workbookSheets(bytes);
  const remembered = sheet.remembered !== undefined && sheets.includes(sheet.remembered) ? sheet.remembered : undefined;
  const chosen = sheet.picked ?? remembered ?? sheets[0];
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
