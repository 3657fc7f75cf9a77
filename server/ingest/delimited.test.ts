import { describe, expect, it } from "vitest";
import { parseDelimited, parseRecords } from "./delimited";

describe("parseDelimited", () => {
  it("handles quotes, doubled quotes, embedded newlines and CRLF", () => {
    const text = 'name,quote\r\n"Smith, Jo","She said ""hi""\nthen left"\r\nAda,plain\r\n';
    expect(parseDelimited(text, ",", 10)).toEqual({
      columns: ["name", "quote"],
      rows: [
        ["Smith, Jo", 'She said "hi"\nthen left'],
        ["Ada", "plain"],
      ],
      truncated: false,
    });
  });

  it("stops after maxRows and says so", () => {
    const text = ["n", ...Array.from({ length: 50 }, (_, i) => String(i))].join("\n");
    const preview = parseDelimited(text, ",", 10);
    expect(preview.rows).toHaveLength(10);
    expect(preview.rows.at(-1)).toEqual(["9"]);
    expect(preview.truncated).toBe(true);
  });

  it("keeps a last line without a newline", () => {
    expect(parseDelimited("a;b\n1;2", ";", 5).rows).toEqual([["1", "2"]]);
  });
});

describe("parseRecords", () => {
  it("keeps maxRecords records but counts every record in the text, blank lines and quoted newlines aside", () => {
    const text = 'a,b\n1,2\n\n"3\n3",4\n5,6\n7,8';
    const { records, truncated, count } = parseRecords(text, ",", 2);
    expect(records).toEqual([
      ["a", "b"],
      ["1", "2"],
    ]);
    expect(truncated).toBe(true);
    expect(count).toBe(5);
    expect(parseRecords(text, ",", 5)).toMatchObject({ truncated: false, count: 5 });
  });
});
