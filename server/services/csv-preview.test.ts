import { describe, expect, it } from "vitest";
import { previewTable } from "./csv-preview";

describe("previewTable", () => {
  it("reads past a comment line and gives the pandas call", () => {
    const preview = previewTable("/workspace/q.csv", Buffer.from("# source: test\na,b\n1,2\n"), false, 10);
    expect(preview?.table).toMatchObject({ columns: ["a", "b"], rows: [["1", "2"]], shape: "rows" });
    expect(preview?.pandas).toBe('pd.read_csv("/workspace/q.csv", comment="#")');
  });

  it("applies the user's overrides and keeps what was detected", () => {
    const preview = previewTable("/workspace/q.csv", Buffer.from("a;b\n1;2\n"), false, 10, {
      delimiter: ",",
      header: false,
    });
    expect(preview?.detected).toMatchObject({ delimiter: ";", header: true });
    expect(preview?.table).toMatchObject({ columns: ["0"], rows: [["a;b"], ["1;2"]] });
    expect(preview?.pandas).toBe('pd.read_csv("/workspace/q.csv", header=None)');
  });

  it("marks a head of a longer file as truncated", () => {
    expect(previewTable("/workspace/q.csv", Buffer.from("a,b\n1,2\n3,"), true, 10)?.table).toMatchObject({
      rows: [["1", "2"]],
      truncated: true,
    });
  });
});
