import { describe, expect, it } from "vitest";
import { parseDelimited } from "./delimited";

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
