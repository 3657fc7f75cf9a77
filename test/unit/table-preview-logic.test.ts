import { describe, expect, it } from "vitest";
import { columnType, isMissing, numberOf } from "~/app/workspace/_lib/table/cell-values";
import { columnStats, histogram, topValues } from "~/app/workspace/_lib/table/column-stats";
import { rowCountNote } from "~/app/workspace/_lib/table/row-count-note";
import { filterRows, nextSort, sortRows } from "~/app/workspace/_lib/table/row-order";

// The table preview's pure logic: how cells are read, how rows are filtered and
// sorted, and what a column's summary says.

const rows = [
  ["Ada", "42.5", "pro"],
  ["Grace", "", "basic"],
  ["Linus", "9.99", "pro"],
  ["Margaret", "100", "NA"],
  ["ada2", "-3", "pro"],
];

describe("cells", () => {
  it("counts pandas' missing markers and the empty cell as missing", () => {
    expect(["", " ", "NA", "N/A", "null", "NaN", "None", "<NA>"].every(isMissing)).toBe(true);
    expect(["0", "-", "na value", "none!"].some(isMissing)).toBe(false);
  });

  it("reads plain decimal numbers only", () => {
    expect(numberOf(" 42.5 ")).toBe(42.5);
    expect(numberOf("1e3")).toBe(1000);
    expect(numberOf(".5")).toBe(0.5);
    expect(numberOf("1,234")).toBeNull();
    expect(numberOf("0x10")).toBeNull();
    expect(numberOf("")).toBeNull();
  });

  it("infers the narrowest type that fits every present value", () => {
    expect(columnType(["1", "", "-2"])).toBe("integer");
    expect(columnType(["1", "2.5", "NA"])).toBe("decimal");
    expect(columnType(["true", "False"])).toBe("boolean");
    expect(columnType(["2024-01-02", "2024-01-03 10:00"])).toBe("date");
    expect(columnType(["1", "two"])).toBe("text");
    expect(columnType(["", "NA"])).toBe("empty");
  });
});

describe("filterRows", () => {
  it("keeps rows where any cell contains the query, ignoring case", () => {
    expect(filterRows(rows, "ada")).toEqual([0, 4]);
    expect(filterRows(rows, "PRO")).toEqual([0, 2, 4]);
    expect(filterRows(rows, "nothing like it")).toEqual([]);
  });

  it("keeps every row for a blank query", () => {
    expect(filterRows(rows, "  ")).toEqual([0, 1, 2, 3, 4]);
  });
});

describe("sorting", () => {
  it("cycles none → ascending → descending → none, and starts a new column ascending", () => {
    const asc = nextSort(null, 1);
    expect(asc).toEqual({ column: 1, direction: "asc" });
    const desc = nextSort(asc, 1);
    expect(desc).toEqual({ column: 1, direction: "desc" });
    expect(nextSort(desc, 1)).toBeNull();
    expect(nextSort(desc, 2)).toEqual({ column: 2, direction: "asc" });
  });

  it("sorts numbers by value with missing cells last in both directions", () => {
    const all = [0, 1, 2, 3, 4];
    expect(sortRows(rows, all, { column: 1, direction: "asc" }, "decimal")).toEqual([4, 2, 0, 3, 1]);
    expect(sortRows(rows, all, { column: 1, direction: "desc" }, "decimal")).toEqual([3, 0, 2, 4, 1]);
  });

  it("sorts text with digits compared as numbers, stably, missing last", () => {
    const text = [["item10"], ["item9"], ["NA"], ["Item9"], ["apple"]];
    expect(sortRows(text, [0, 1, 2, 3, 4], { column: 0, direction: "asc" }, "text")).toEqual([4, 1, 3, 0, 2]);
  });

  it("keeps the given order without a sort, and sorts only the given indexes", () => {
    expect(sortRows(rows, [3, 1], null, "decimal")).toEqual([3, 1]);
    expect(sortRows(rows, [3, 0], { column: 1, direction: "asc" }, "decimal")).toEqual([0, 3]);
  });
});

describe("column summary", () => {
  it("gives a numeric column its type, missing count, range and a histogram of every present value", () => {
    const stats = columnStats(rows, 1);
    expect(stats).toMatchObject({ type: "decimal", count: 5, missing: 1, distinct: 4, min: -3, max: 100 });
    expect(stats.histogram!.reduce((sum, bin) => sum + bin.count, 0)).toBe(4);
    expect(stats.top).toBeUndefined();
  });

  it("gives a text column its most frequent values", () => {
    const stats = columnStats(rows, 2);
    expect(stats).toMatchObject({ type: "text", missing: 1, distinct: 2 });
    expect(stats.top).toEqual([
      { value: "pro", count: 3 },
      { value: "basic", count: 1 },
    ]);
  });

  it("bins equal widths and puts the maximum in the last bin", () => {
    expect(histogram([0, 1, 2, 3, 4], 0, 4, 2)).toEqual([
      { from: 0, to: 2, count: 2 },
      { from: 2, to: 4, count: 3 },
    ]);
    expect(histogram([7, 7], 7, 7, 12)).toEqual([{ from: 7, to: 7, count: 2 }]);
    expect(histogram([], 0, 0, 12)).toEqual([]);
  });

  it("follows the filter: counts, range and top values cover the kept rows, the type stays the column's", () => {
    const kept = filterRows(rows, "pro");
    const numbers = columnStats(rows, 1, kept, "decimal");
    expect(numbers).toMatchObject({ type: "decimal", count: 3, missing: 0, distinct: 3, min: -3, max: 42.5 });
    expect(numbers.histogram!.reduce((sum, bin) => sum + bin.count, 0)).toBe(3);
    expect(columnStats(rows, 2, kept).top).toEqual([{ value: "pro", count: 3 }]);
    // Without a given type it is read from every row: a filter that keeps only blanks leaves an integer column.
    expect(columnStats([["1"], [""]], 0, [1])).toMatchObject({ type: "integer", count: 1, missing: 1 });
    expect(columnStats(rows, 1, [])).toMatchObject({ type: "decimal", count: 0, missing: 0, histogram: [] });
  });

  it("ranks top values by count, ties in first-seen order", () => {
    expect(topValues(["b", "a", "b", "a", "c"], 2)).toEqual([
      { value: "b", count: 2 },
      { value: "a", count: 2 },
    ]);
  });
});

describe("rowCountNote", () => {
  it("says how many rows there are when the whole file was loaded", () => {
    expect(rowCountNote({ loaded: 3, rowsRead: 3, headOnly: false, columns: 4, matching: null })).toBe(
      "3 rows · 4 columns",
    );
  });

  it("says first N of M when only the first rows were sent, and + when only the head was read", () => {
    expect(rowCountNote({ loaded: 5000, rowsRead: 12345, headOnly: false, columns: 2, matching: null })).toBe(
      "First 5,000 rows of 12,345 · 2 columns · Download the file or use the console for all of it.",
    );
    expect(rowCountNote({ loaded: 5000, rowsRead: 40000, headOnly: true, columns: 1, matching: 7 })).toBe(
      "7 of 5,000 rows match · First 5,000 rows of 40,000+ (only the file's head was read) · 1 column · Download the file or use the console for all of it.",
    );
  });
});
