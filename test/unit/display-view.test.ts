import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { orderedPieces } from "~/app/workspace/chat/_lib/run-outputs";
import type { RunPythonOutput, RunPythonPart } from "~/app/workspace/chat/_lib/tool-parts";
import { DisplayView, htmlDocument } from "~/app/workspace/chat/display-view";
import { RunPythonStep } from "~/app/workspace/chat/run-python-step";

// Rich outputs from user code never reach the app's DOM as markup: HTML goes
// into a script-less sandboxed iframe, SVG into an <img>.

const render = (display: Parameters<typeof DisplayView>[0]["display"]) => renderToStaticMarkup(createElement(DisplayView, { display }));

describe("DisplayView", () => {
  it("renders HTML only inside an iframe with an empty sandbox and a CSP that loads nothing", () => {
    const markup = render({ source: "display", kind: "html", text: "", html: '<b>hi</b><script>alert(1)</script><img src="https://evil.test/x.png">' });
    expect(markup).toMatch(/^<iframe [^>]*sandbox=""/);
    expect(markup).not.toContain("<script>");
    expect(markup).not.toContain("<b>");
    expect(markup).toContain("srcDoc=");
    const doc = htmlDocument("<b>hi</b>");
    expect(doc).toContain(`content="default-src 'none'; img-src data:;`);
    expect(doc).toContain("<body><b>hi</b></body>");
  });

  it("renders SVG as an image, never inline", () => {
    const markup = render({ source: "display", kind: "svg", text: "", svg: '<svg onload="alert(1)"><rect/></svg>' });
    expect(markup).toMatch(/^<img [^>]*src="data:image\/svg\+xml;charset=utf-8,%3Csvg%20onload/);
    expect(markup).not.toContain("<svg");
  });

  it("shows JSON as code and leaves tables to the table view", () => {
    expect(render({ source: "display", kind: "json", text: "", json: { a: 1 } })).toContain("tool-display-json");
    expect(render({ source: "result", kind: "table", text: "", table: 0 })).toBe("");
  });
});

const ran = (extra: Partial<RunPythonOutput>): RunPythonOutput => ({
  ok: true,
  text: "",
  stdout: "",
  stderr: "",
  figures: [],
  tables: [],
  displays: [],
  executionCount: 3,
  files: [],
  durationMs: 10,
  interrupted: false,
  timedOut: false,
  restarted: false,
  truncated: false,
  ...extra,
});

describe("a Python step's output in order", () => {
  const interleaved = ran({
    stdout: "one\nthree\n",
    stderr: "careful\n",
    displays: [
      { source: "display", kind: "html", text: "", html: "<b>two</b>" },
      { source: "result", kind: "table", text: "", table: 0 },
    ],
    tables: [{ name: "df", columns: ["x"], dtypes: ["int64"], rows: [[1]], totalRows: 1 }],
    figures: [{ path: "/workspace/figures/a.png" }, { path: "/workspace/figures/b.png" }],
    outputs: [
      { stream: "stdout", length: 4 },
      { display: 0 },
      { stream: "stderr", length: 8 },
      { figure: 0 },
      { figure: 1 },
      { stream: "stdout", length: 6 },
      { display: 1 },
    ],
  });

  it("cuts the text at each display and groups consecutive figures", () => {
    expect(orderedPieces(interleaved)).toEqual([
      { kind: "text", stream: "stdout", text: "one\n" },
      { kind: "display", display: interleaved.displays[0] },
      { kind: "text", stream: "stderr", text: "careful\n" },
      { kind: "figures", figures: interleaved.figures },
      { kind: "text", stream: "stdout", text: "three\n" },
      { kind: "display", display: interleaved.displays[1] },
    ]);
  });

  it("has no order to keep for text alone or for steps stored before it was recorded", () => {
    expect(orderedPieces(ran({ stdout: "hi\n", outputs: [{ stream: "stdout", length: 3 }] }))).toBeNull();
    expect(orderedPieces(ran({ stdout: "hi\n", figures: [{ path: "/workspace/figures/a.png" }] }))).toBeNull();
  });

  it("renders the step's text, HTML, charts and table in that order", () => {
    const part = { type: "tool-run_python", toolCallId: "call-1", state: "output-available", input: { code: "print('one')" }, output: interleaved } as unknown as RunPythonPart;
    const markup = renderToStaticMarkup(createElement(RunPythonStep, { part, active: false }));
    const at = (needle: string) => {
      const index = markup.indexOf(needle);
      expect(index, needle).toBeGreaterThanOrEqual(0);
      return index;
    };
    const order = [at("one\n"), at('data-testid="tool-display-html"'), at("careful"), at("a.png"), at("b.png"), at("three"), at('data-testid="tool-table"')];
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });
});

