import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { pandasExcelCall, pandasReadCall, sniffTable, tableFromPlan, type LoadOverrides } from ".";

const FIXTURES = path.resolve(import.meta.dirname, "../../test/fixtures/datasets");

function sniff(name: string, overrides?: LoadOverrides) {
  const sniffed = sniffTable(name, readFileSync(path.join(FIXTURES, name)), { cut: false, overrides });
  if (!sniffed) throw new Error(`${name} did not sniff as text`);
  return {
    ...sniffed,
    table: tableFromPlan(sniffed.text, sniffed.plan, 200, false),
    call: pandasReadCall(`/workspace/${name}`, sniffed.plan),
  };
}

describe("sniffTable on real-shaped files", () => {
  it("reads past a # comment line to the 11 columns under it", () => {
    const { plan, table, call } = sniff("stocks-comment.csv");
    expect(plan).toMatchObject({ delimiter: ",", comment: "#", skipRows: 0, header: true, encoding: "utf-8" });
    expect(table.columns).toEqual([
      "Date",
      "AAPL",
      "MSFT",
      "GOOG",
      "AMZN",
      "META",
      "NVDA",
      "TSLA",
      "IBM",
      "ORCL",
      "INTC",
    ]);
    expect(table.rows).toHaveLength(4);
    expect(call).toBe('pd.read_csv("/workspace/stocks-comment.csv", comment="#")');
  });

  it("skips a comment line by count when rows themselves hold a #", () => {
    const sniffed = sniffTable("notes.csv", Buffer.from("# exported\nitem,note\npen,Apt #4\nink,blue\n"), {
      cut: false,
    })!;
    expect(sniffed.plan).toMatchObject({ comment: null, skipRows: 1, header: true });
  });

  it("skips a metadata preamble above the real header", () => {
    const { plan, table, call } = sniff("housing-preamble.csv");
    expect(plan).toMatchObject({ skipRows: 1, header: true, comment: null });
    expect(table.columns[0]).toBe("CRIM");
    expect(table.columns).toHaveLength(14);
    expect(table.rows[0]?.[0]).toBe("0.01");
    expect(call).toBe('pd.read_csv("/workspace/housing-preamble.csv", skiprows=1)');
  });

  it("names a latin-1 file's encoding the way pandas takes it", () => {
    const { plan, table, call } = sniff("cities-latin1.csv");
    expect(plan.encoding).toBe("latin-1");
    expect(table.columns).toEqual(["ville", "pays", "température"]);
    expect(table.rows[1]?.[0]).toBe("Zürich");
    expect(call).toBe('pd.read_csv("/workspace/cities-latin1.csv", encoding="latin-1")');
  });

  it("finds semicolons (with decimal commas) and tabs", () => {
    const semicolon = sniff("prices-semicolon.csv");
    expect(semicolon.plan.delimiter).toBe(";");
    expect(semicolon.table.columns).toEqual(["produit", "prix", "quantité"]);
    expect(semicolon.call).toBe('pd.read_csv("/workspace/prices-semicolon.csv", sep=";")');
    const tabs = sniff("scores.tsv");
    expect(tabs.plan.delimiter).toBe("\t");
    expect(tabs.table.columns).toEqual(["id", "name", "score"]);
    expect(tabs.call).toBe('pd.read_csv("/workspace/scores.tsv", sep="\\t")');
  });

  it("tells an empty file from a header with no rows", () => {
    expect(sniff("empty.csv").table).toMatchObject({ shape: "empty", columns: [], rows: [] });
    expect(sniff("header-only.csv").table).toMatchObject({
      shape: "header-only",
      columns: ["order_id", "customer", "amount"],
      rows: [],
    });
  });

  it("reads the head of a gzipped CSV and a zip's member", () => {
    const gz = sniff("sales.csv.gz");
    expect(gz.plan.compression).toBe("gzip");
    expect(gz.table.columns).toEqual(["region", "month", "revenue"]);
    expect(gz.call).toBe('pd.read_csv("/workspace/sales.csv.gz")');
    const zip = sniff("orders.zip");
    expect(zip.plan).toMatchObject({ compression: "zip", member: "orders.csv" });
    expect(zip.table.rows).toHaveLength(3);
  });

  it("decodes a gzip cut in the middle up to its last whole line", () => {
    const bytes = readFileSync(path.join(FIXTURES, "sales.csv.gz"));
    const sniffed = sniffTable("sales.csv.gz", bytes.subarray(0, 150), { cut: true })!;
    const table = tableFromPlan(sniffed.text, sniffed.plan, 200, true);
    expect(table.columns).toEqual(["region", "month", "revenue"]);
    expect(table.rows.every((row) => row.length === 3)).toBe(true);
  });

  it("sends the first maxRows rows but counts every row read, header and comment lines aside", () => {
    const text = [
      "# exported by a test",
      "id,value",
      ...Array.from({ length: 12 }, (_, index) => `${index},${index * 2}`),
    ].join("\n");
    const sniffed = sniffTable("counted.csv", Buffer.from(text), { cut: false })!;
    const table = tableFromPlan(sniffed.text, sniffed.plan, 5, false);
    expect(table.columns).toEqual(["id", "value"]);
    expect(table.rows).toHaveLength(5);
    expect(table).toMatchObject({ truncated: true, rowsRead: 12 });
    expect(tableFromPlan(sniffed.text, sniffed.plan, 50, false)).toMatchObject({ truncated: false, rowsRead: 12 });
    expect(tableFromPlan(sniffed.text, { ...sniffed.plan, header: false }, 50, false).rowsRead).toBe(13);
  });

  it("sees a table with no header row, but keeps a header labelled with years", () => {
    const sniffed = sniffTable("raw.csv", Buffer.from("1,2.5,7\n2,3.5,8\n3,4.5,9\n"), { cut: false })!;
    expect(sniffed.plan.header).toBe(false);
    expect(tableFromPlan(sniffed.text, sniffed.plan, 10, false).columns).toEqual(["0", "1", "2"]);
    expect(pandasReadCall("/workspace/raw.csv", sniffed.plan)).toBe('pd.read_csv("/workspace/raw.csv", header=None)');
    const years = sniffTable("years.csv", Buffer.from("region,2019,2020\nNorth,100,200\nSouth,150,250\n"), {
      cut: false,
    })!;
    expect(years.plan.header).toBe(true);
  });

  it("lets the user override what was detected", () => {
    const { detected, plan, table, call } = sniff("housing-preamble.csv", {
      skipRows: 0,
      header: false,
      encoding: "cp1252",
    });
    expect(detected.skipRows).toBe(1);
    expect(plan).toMatchObject({ skipRows: 0, header: false, encoding: "cp1252" });
    expect(table.rows[0]?.slice(0, 2)).toEqual(["5", "13"]);
    expect(call).toBe('pd.read_csv("/workspace/housing-preamble.csv", header=None, encoding="cp1252")');
  });

  it("returns null for binary bytes", () => {
    expect(sniffTable("x.csv", Buffer.from([0, 1, 2, 3, 0, 255, 0, 7, 0, 0, 9]), { cut: false })).toBeNull();
  });

  it("names the first sheet of a workbook with several", () => {
    expect(pandasExcelCall("/workspace/b.xlsx", ["Sheet1"])).toBe('pd.read_excel("/workspace/b.xlsx")');
    expect(pandasExcelCall("/workspace/b.xlsx", ["Q1", "Q2"])).toBe(
      'pd.read_excel("/workspace/b.xlsx", sheet_name="Q1")',
    );
  });

  it("reads past a UTF-8 byte order mark and asks pandas for utf-8-sig", () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("id,name\n1,Ada\n")]);
    const sniffed = sniffTable("bom.csv", bytes, { cut: false })!;
    expect(sniffed.plan.encoding).toBe("utf-8-sig");
    expect(tableFromPlan(sniffed.text, sniffed.plan, 10, false).columns).toEqual(["id", "name"]);
    expect(pandasReadCall("/workspace/bom.csv", sniffed.plan)).toBe(
      'pd.read_csv("/workspace/bom.csv", encoding="utf-8-sig")',
    );
  });
});
