import { readFileSync } from "node:fs";
import path from "node:path";
import { deflateRawSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { pandasExcelCall, sheetTable, UnreadableWorkbookError, workbookSheets } from ".";

const WORKBOOK = readFileSync(path.resolve(import.meta.dirname, "../../test/fixtures/datasets/two-sheets.xlsx"));

/** A minimal zip (deflated members) holding the given files, for shapes the fixture does not have. */
function zipOf(files: Record<string, string>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(files)) {
    const data = deflateRawSync(Buffer.from(text));
    const nameBytes = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

describe("workbook sheets", () => {
  it("lists a workbook's sheets in workbook order", () => {
    expect(workbookSheets(WORKBOOK)).toEqual(["Summary", "Monthly detail"]);
  });

  it("reads the chosen sheet's header and rows", () => {
    expect(sheetTable(WORKBOOK, "Monthly detail", 100)).toEqual({
      columns: ["month", "units", "note"],
      rows: [
        ["2024-01", "10", "a & b"],
        ["2024-02", "12", ""],
        ["2024-03", "15", ""],
      ],
      truncated: false,
      shape: "rows",
      rowsRead: 3,
    });
    expect(sheetTable(WORKBOOK, "Summary", 1)).toMatchObject({
      columns: ["region", "sales"],
      rows: [["North", "120"]],
      truncated: true,
      rowsRead: 2,
    });
  });

  it("reads shared strings, escaped names, relative targets and skipped cells", () => {
    const zip = zipOf({
      "xl/workbook.xml":
        '<workbook><sheets><sheet name="R&amp;D &quot;2024&quot;" sheetId="1" r:id="rId7"/></sheets></workbook>',
      "xl/_rels/workbook.xml.rels":
        '<Relationships><Relationship Id="rId7" Target="worksheets/data.xml"/></Relationships>',
      "xl/sharedStrings.xml":
        "<sst><si><t>name</t></si><si><r><t>sco</t></r><r><t>re</t></r></si><si><t>Zoë</t></si></sst>",
      "xl/worksheets/data.xml":
        '<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="s"><v>1</v></c></row><row r="2"><c r="A2" t="s"><v>2</v></c><c r="C2"><v>9.5</v></c></row></sheetData></worksheet>',
    });
    expect(workbookSheets(zip)).toEqual(['R&D "2024"']);
    expect(sheetTable(zip, 'R&D "2024"', 10)).toMatchObject({
      columns: ["name", "", "score"],
      rows: [["Zoë", "", "9.5"]],
    });
  });

  it("refuses what is not a workbook, and a sheet it does not have", () => {
    expect(() => workbookSheets(Buffer.from("name,score\n"))).toThrow(UnreadableWorkbookError);
    expect(() => sheetTable(WORKBOOK, "Nope", 10)).toThrow(/no sheet named Nope/);
  });

  it("names the chosen sheet in the pandas call", () => {
    expect(pandasExcelCall("/workspace/b.xlsx", ["Summary", "Monthly detail"], "Monthly detail")).toBe(
      'pd.read_excel("/workspace/b.xlsx", sheet_name="Monthly detail")',
    );
    expect(pandasExcelCall("/workspace/b.xlsx", ["Only"], "Only")).toBe('pd.read_excel("/workspace/b.xlsx")');
  });
});
