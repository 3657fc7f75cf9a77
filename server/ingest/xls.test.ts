import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { UnreadableWorkbookError, xlsSheets, xlsSheetTable } from ".";

// Real .xls files written by xlwt (Debian's python3-xlwt, in a throwaway container):
// two sheets, and one whose shared strings run over CONTINUE records, 16-bit ones included.
const FIXTURES = path.resolve(import.meta.dirname, "../../test/fixtures");
const TWO_SHEETS = readFileSync(path.join(FIXTURES, "datasets/two-sheets.xls"));
const CONTINUED = readFileSync(path.join(FIXTURES, "xls/shared-strings-continue.xls"));

describe("xls workbooks", () => {
  it("lists the sheets in workbook order and reads a sheet's rows under its header", () => {
    expect(xlsSheets(TWO_SHEETS)).toEqual(["Summary", "Monthly detail"]);
    expect(xlsSheetTable(TWO_SHEETS, "Summary", 10)).toEqual({
      columns: ["region", "sales"],
      rows: [
        ["north", "120"],
        ["south", "95.5"],
        ["Zürich", "80"],
      ],
      truncated: false,
      shape: "rows",
      rowsRead: 3,
    });
    const detail = xlsSheetTable(TWO_SHEETS, "Monthly detail", 2);
    expect(detail).toMatchObject({ columns: ["month", "units", "note"], truncated: true, rowsRead: 3 });
    expect(detail.rows).toEqual([
      ["2024-01", "10", "start"],
      ["2024-02", "12"],
    ]);
  });

  it("reads shared strings split over CONTINUE records, 8- and 16-bit", () => {
    const table = xlsSheetTable(CONTINUED, "Notes", 1000);
    expect(table.rows).toHaveLength(399);
    table.rows.forEach(([id, text], index) => {
      const row = index + 1;
      expect(id).toBe(String(row));
      expect(text).toBe(`${`ligne ${row} é `.repeat(4)}${row % 3 === 0 ? `東京 ${row}` : ""}`);
    });
  });

  it("refuses a missing sheet, a file that is not .xls, and damaged bytes with the workbook's own error", () => {
    expect(() => xlsSheetTable(TWO_SHEETS, "Nope", 10)).toThrow(UnreadableWorkbookError);
    expect(() => xlsSheets(Buffer.from("id,name\n1,a\n"))).toThrow(/not an Excel 97–2003 file/);
    expect(() => xlsSheets(TWO_SHEETS.subarray(0, 1024))).toThrow(UnreadableWorkbookError);
    // Bytes all through the file flipped in turn: it either reads or says it can't, never hangs.
    for (let at = 0; at < TWO_SHEETS.length; at += 7) {
      const damaged = Buffer.from(TWO_SHEETS);
      damaged[at] = damaged[at]! ^ 0xff;
      try {
        const sheets = xlsSheets(damaged);
        for (const sheet of sheets) xlsSheetTable(damaged, sheet, 10);
      } catch (error) {
        expect(error, `byte ${at}`).toBeInstanceOf(UnreadableWorkbookError);
      }
    }
  });
});
