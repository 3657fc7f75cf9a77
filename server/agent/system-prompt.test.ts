import { describe, expect, it } from "vitest";
import { BUILTIN_RUNTIMES } from "~/server/sandbox";
import { buildSystemPrompt } from "./system-prompt";

const sales = {
  path: "/workspace/sales.csv",
  size: 1_234_567,
  modifiedMs: 0,
  rows: 10_234,
  columns: [
    { name: "date", dtype: "object", nulls: 0 },
    { name: "revenue", dtype: "float64", nulls: 12 },
  ],
  sample: [["2024-01-01", "12.5"]],
};

describe("buildSystemPrompt", () => {
  it("has the persona, the runtime section, the persistence contract and data-aware files", () => {
    const prompt = buildSystemPrompt({ runtime: BUILTIN_RUNTIMES["python-datascience"], files: { files: [sales], totalFiles: 1 } });
    expect(prompt).toContain("data analyst");
    expect(prompt).toContain("## Runtime Environment");
    expect(prompt).toContain("**Name:** python-datascience");
    expect(prompt).toContain("- pandas");
    expect(prompt).toContain("Files under /workspace persist");
    expect(prompt).toContain("do not survive a sandbox stop");
    expect(prompt).toContain("runs as a background job: start_job");
    expect(prompt).toContain("- /workspace/sales.csv (1.2 MB, 10,234 rows, 2 columns)");
    expect(prompt).toContain("columns: date (object); revenue (float64, 12 nulls)");
    expect(prompt).toContain("    2024-01-01 | 12.5");
    expect(prompt).not.toContain("variables from those messages are gone");
  });

  it("tells the model when the kernel was reset since earlier messages", () => {
    expect(buildSystemPrompt({ kernelReset: true })).toContain("the Python variables from those messages are gone (files are intact)");
  });

  it("caps the files section and says how many files were left out", () => {
    const files = Array.from({ length: 40 }, (_, i) => ({ ...sales, path: `/workspace/f${i}.csv` }));
    const prompt = buildSystemPrompt({ files: { files, totalFiles: 100 }, maxFilesChars: 2_000 });
    const section = prompt.slice(prompt.indexOf("## Files in /workspace"));
    expect(section.length).toBeLessThan(2_300);
    expect(section).toMatch(/… and \d+ more files \(use ls or glob to see them\)/);
    expect(buildSystemPrompt({ files: { files: [], totalFiles: 0 } })).toContain("No files yet.");
  });

  it("notes when a file's details could not be read", () => {
    const prompt = buildSystemPrompt({
      files: { files: [{ path: "/workspace/a.parquet", size: 10, modifiedMs: 0, error: "RuntimeError: no parquet engine installed" }], totalFiles: 1 },
    });
    expect(prompt).toContain("- /workspace/a.parquet (10 B)\n  (could not read details: RuntimeError: no parquet engine installed)");
  });

  it("gives each delimited file its loading call, and says when a file is empty or only a header", () => {
    const files = [
      { ...sales, path: "/workspace/latin.csv", load: 'pd.read_csv("/workspace/latin.csv", encoding="latin-1")' },
      { path: "/workspace/empty.csv", size: 0, modifiedMs: 0, empty: true },
      {
        path: "/workspace/head.csv",
        size: 25,
        modifiedMs: 0,
        rows: 0,
        columns: [{ name: "id", dtype: "object", nulls: 0 }],
      },
    ];
    const prompt = buildSystemPrompt({ files: { files, totalFiles: 3 } });
    expect(prompt).toContain(
      '- /workspace/latin.csv (1.2 MB, 10,234 rows, 2 columns)\n  load with: pd.read_csv("/workspace/latin.csv", encoding="latin-1")',
    );
    expect(prompt).toContain("- /workspace/empty.csv (0 B, empty: no header and no rows, nothing to load)");
    expect(prompt).toContain("- /workspace/head.csv (25 B, 0 rows, 1 columns, header only, no data rows)");
    expect(prompt).toContain('Load a data file with the "load with" call listed for it below');
  });
});
