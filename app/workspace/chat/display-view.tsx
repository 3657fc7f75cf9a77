import type { DisplayOutput } from "~/server/agent/display-output";
import { CodeView } from "./code-view";
import { FigureView } from "./figure-view";
import { Markdown } from "./markdown";

// One rich output of a Python step (display(), a PIL image, _repr_html_...).
// Everything here came from user code: HTML renders in an iframe with an empty
// sandbox (no scripts, no same-origin, no forms) and a CSP that loads nothing
// from the network; SVG only as an <img> (scripts in it never run); markdown
// through the chat's sanitizing renderer. Tables are drawn with the step's
// tables, so they are not repeated here.

const HTML_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:";

/** The HTML document the iframe shows: the fragment, a strict CSP, readable defaults. */
export function htmlDocument(html: string): string {
  return [
    "<!doctype html><html><head><meta charset=\"utf-8\">",
    `<meta http-equiv="Content-Security-Policy" content="${HTML_CSP}">`,
    "<style>body{margin:8px;font:13px/1.45 system-ui,sans-serif;color:#1e293b;background:#fff}table{border-collapse:collapse}th,td{border:1px solid #e2e8f0;padding:2px 6px;text-align:right}</style>",
    "</head><body>",
    html,
    "</body></html>",
  ].join("");
}

export function DisplayView({ display }: { display: DisplayOutput }) {
  switch (display.kind) {
    case "table":
      return null;
    case "image":
      return <FigureView path={display.path} />;
    case "svg":
      return (
        <img
          src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(display.svg)}`}
          alt="SVG output"
          className="block max-h-[420px] w-auto max-w-full rounded-lg border border-slate-200 bg-white object-contain dark:border-slate-800"
          data-testid="tool-display-svg"
        />
      );
    case "html":
      return (
        <iframe
          title="HTML output"
          sandbox=""
          referrerPolicy="no-referrer"
          srcDoc={htmlDocument(display.html)}
          className="h-72 w-full resize-y rounded-lg border border-slate-200 bg-white dark:border-slate-800"
          data-testid="tool-display-html"
        />
      );
    case "markdown":
    case "latex":
      return (
        <div className="rounded-lg border border-slate-200 px-3 py-2 dark:border-slate-800" data-testid={`tool-display-${display.kind}`}>
          <Markdown text={display.kind === "markdown" ? display.markdown : display.latex} streaming={false} />
        </div>
      );
    case "json":
      return <CodeView code={JSON.stringify(display.json, null, 2)} language="json" label="JSON" testId="tool-display-json" />;
  }
}
