import { describe, expect, it } from "vitest";
import type { KernelRunResult } from "~/server/sandbox";
import { formatBytes, formatExecute, formatGrep, formatListing, formatRunPython, RESTART_NOTICE } from "./tool-output";

const run = (extra: Partial<KernelRunResult>): KernelRunResult => ({
  stdout: "",
  stderr: "",
  outputs: [],
  figures: [],
  tables: [],
  displays: [],
  executionCount: 1,
  files: [],
  truncated: false,
  durationMs: 5,
  interrupted: false,
  timedOut: false,
  restarted: false,
  ...extra,
});

describe("run_python output", () => {
  it("gives the model stdout, the value and the error with its traceback", () => {
    const output = formatRunPython(
      run({ stdout: "loaded\n", result: "42", error: { name: "KeyError", value: "'x'", traceback: "Traceback...\nKeyError: 'x'\n" } }),
      { timeoutMs: 60_000, networkAllowed: false },
    );
    expect(output.text).toBe("stdout:\nloaded\n\nresult:\n42\n\nerror: KeyError: 'x'\nTraceback...\nKeyError: 'x'");
    expect(output.ok).toBe(true);
  });

  it("mentions figures and tables briefly while the UI part keeps paths and rows, not image bytes", () => {
    const table = { name: "df", columns: ["a"], dtypes: ["int64"], rows: [[1], [2]], totalRows: 500 };
    const output = formatRunPython(run({ figures: [{ path: "/workspace/figures/1.png", pngBase64: "iVBOR" }], tables: [table] }), { timeoutMs: 60_000, networkAllowed: false });
    expect(output.text).toContain("figure saved: /workspace/figures/1.png (shown to the user)");
    expect(output.text).toContain("table df: 500 rows × 1 columns; first 2 rows shown to the user");
    expect(output.figures).toEqual([{ path: "/workspace/figures/1.png" }]);
    expect(JSON.stringify(output)).not.toContain("iVBOR");
    expect(output.tables[0]).toBe(table);
  });

  it("describes display outputs for the model and keeps image paths, not bytes, for the UI", () => {
    const output = formatRunPython(
      run({
        result: "<PIL.Image.Image image mode=RGB size=4x4>",
        displays: [
          { source: "result", kind: "image", text: "<PIL.Image.Image image mode=RGB size=4x4>", image: { path: "/workspace/figures/2.png", mime: "image/png", base64: "iVBOR", width: 4, height: 4 } },
          { source: "display", kind: "html", text: "<X>", html: "<b>hello</b>" },
        ],
        executionCount: 7,
      }),
      { timeoutMs: 60_000, networkAllowed: false },
    );
    expect(output.text).toContain("image shown to the user: /workspace/figures/2.png (PNG, 4×4 px)");
    expect(output.text).toContain("HTML shown to the user; its text:\nhello");
    expect(output.displays.map((d) => d.kind)).toEqual(["image", "html"]);
    expect(output.executionCount).toBe(7);
    expect(JSON.stringify(output)).not.toContain("iVBOR");
  });

  it("keeps the order of text, displays and figures for the UI, text by length and displays re-indexed", () => {
    const output = formatRunPython(
      run({
        stdout: "héllo\nbye\n",
        stderr: "warn\n",
        displays: [
          // An image display without its image has nothing to show: left out.
          { source: "display", kind: "image", text: "<broken>" },
          { source: "display", kind: "html", text: "<X>", html: "<b>x</b>" },
        ],
        figures: [{ path: "/workspace/figures/1.png", pngBase64: "" }],
        outputs: [
          { type: "stream", name: "stdout", text: "héllo\n" },
          { type: "display", index: 0 },
          { type: "display", index: 1 },
          { type: "stream", name: "stderr", text: "warn\n" },
          { type: "figure", index: 0 },
          { type: "stream", name: "stdout", text: "bye\n" },
        ],
      }),
      { timeoutMs: 60_000, networkAllowed: false },
    );
    expect(output.displays.map((d) => d.kind)).toEqual(["html"]);
    expect(output.outputs).toEqual([{ stream: "stdout", length: 6 }, { display: 0 }, { stream: "stderr", length: 5 }, { figure: 0 }, { stream: "stdout", length: 4 }]);
  });

  it("adds a chart's summary under its figure line, and keeps it (not the PNG) for the chat to draw", () => {
    const summary = { title: "", totalAxes: 1, axes: [{ kind: "bar" as const, title: "Sales", xlabel: "", ylabel: "", xscale: "linear", yscale: "linear", series: [{ kind: "bar" as const, label: null, points: 2, x: ["a", "b"], y: [1, 2] }] }] };
    const output = formatRunPython(run({ figures: [{ path: "/workspace/figures/3.png", pngBase64: "iVBOR", summary }] }), { timeoutMs: 60_000, networkAllowed: false });
    expect(output.text).toBe('figure saved: /workspace/figures/3.png (shown to the user)\n  bar chart "Sales"; x: (no label); y: (no label)\n    series (bar, 2 points): a=1, b=2');
    expect(output.figures).toEqual([{ path: "/workspace/figures/3.png", summary }]);
  });

  it("says when the kernel restarted, timed out or was cut", () => {
    expect(formatRunPython(run({ restarted: true, result: "1" }), { timeoutMs: 1000, networkAllowed: false }).text.startsWith(RESTART_NOTICE)).toBe(true);
    const timedOut = formatRunPython(run({ interrupted: true, timedOut: true, error: { name: "KeyboardInterrupt", value: "", traceback: "" } }), { timeoutMs: 30_000, networkAllowed: false });
    expect(timedOut.text).toContain("[timed out after 30 s: interrupted with KeyboardInterrupt; variables are kept]");
    expect(formatRunPython(run({ truncated: true, stdout: "x" }), { timeoutMs: 1000, networkAllowed: false }).text).toContain("[output cut: only the first 1 B are shown");
    expect(formatRunPython(run({}), { timeoutMs: 1000, networkAllowed: false }).text).toBe("(no output)");
  });
});

describe("other tool outputs", () => {
  it("execute shows output, notes and the exit code", () => {
    const output = formatExecute(
      { output: "a\n", stdout: "a\n", stderr: "", exitCode: 137, truncated: true, outputBytes: 3 * 1024 * 1024, timedOut: true, aborted: false, durationMs: 3 },
      { timeoutMs: 5_000, networkAllowed: false },
    );
    expect(output).toMatchObject({ keptBytes: 2, totalBytes: 3 * 1024 * 1024 });
    expect(output.text).toBe("a\n[output cut: only the first 2 B of 3.0 MB are shown; the rest was not kept]\n[timed out after 5 s: the command and its children were killed]\nexit code: 137");
  });

  it("execute says when the whole sandbox had to be stopped to stop the command", () => {
    const output = formatExecute(
      { output: "fork: retry\n", stdout: "", stderr: "fork: retry\n", exitCode: 137, truncated: false, outputBytes: 12, timedOut: true, aborted: false, sandboxStopped: true, durationMs: 3 },
      { timeoutMs: 5_000, networkAllowed: false },
    );
    expect(output.text).toContain("the sandbox was restarted: files in /workspace are intact; running processes and Python variables are gone");
  });

  it("ls marks folders and sizes; grep gives path:line: text", () => {
    const entry = { path: "/workspace/a.csv", name: "a.csv", isDir: false, type: "file" as const, size: 2048, modifiedMs: 0 };
    const dir = { ...entry, path: "/workspace/data", name: "data", isDir: true, type: "directory" as const };
    expect(formatListing("/workspace", { entries: [dir, entry], truncated: false }).text).toBe("data/\na.csv  (2.0 KB)");
    expect(formatGrep("x", { matches: [{ path: "/workspace/a.py", lineNumber: 3, line: "x = 1" }], truncated: true }).text).toBe(
      "/workspace/a.py:3: x = 1\n[only the first 1 matches are shown; narrow the search]",
    );
    expect(formatBytes(5 * 1024 * 1024)).toBe("5.0 MB");
  });
});
