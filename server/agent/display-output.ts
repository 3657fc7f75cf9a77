import type { KernelDisplay } from "~/server/sandbox";

// Display outputs (display(), PIL images, _repr_html_ and friends) as the
// chat keeps them and as the model reads them. The UI part keeps the one form
// it shows (images by path, never bytes, like figures); the model gets a short
// text for each, enough to know what the user saw.

type Common = { source: KernelDisplay["source"]; text: string };

export type DisplayOutput =
  | (Common & { kind: "table"; table: number })
  | (Common & { kind: "image"; path: string; mime: "image/png" | "image/jpeg"; width?: number; height?: number })
  | (Common & { kind: "svg"; svg: string })
  | (Common & { kind: "html"; html: string })
  | (Common & { kind: "markdown"; markdown: string })
  | (Common & { kind: "latex"; latex: string })
  | (Common & { kind: "json"; json: unknown });

const MODEL_TEXT_CHARS = 1_500;

/** The UI's form of a display, or null when the kernel sent an entry without its content. */
export function toDisplayOutput(display: KernelDisplay): DisplayOutput | null {
  const common = { source: display.source, text: display.text };
  switch (display.kind) {
    case "table":
      return display.table === undefined ? null : { ...common, kind: "table", table: display.table };
    case "image": {
      const image = display.image;
      if (!image) return null;
      return { ...common, kind: "image", path: image.path, mime: image.mime, ...(image.width ? { width: image.width, height: image.height } : {}) };
    }
    case "svg":
      return display.svg === undefined ? null : { ...common, kind: "svg", svg: display.svg };
    case "html":
      return display.html === undefined ? null : { ...common, kind: "html", html: display.html };
    case "markdown":
      return display.markdown === undefined ? null : { ...common, kind: "markdown", markdown: display.markdown };
    case "latex":
      return display.latex === undefined ? null : { ...common, kind: "latex", latex: display.latex };
    case "json":
      return display.json === undefined ? null : { ...common, kind: "json", json: display.json };
  }
}

/** What the model reads about a display; null for tables (described with the tables). */
export function describeDisplay(display: DisplayOutput): string | null {
  switch (display.kind) {
    case "table":
      return null;
    case "image": {
      const size = display.width ? `, ${display.width}×${display.height} px` : "";
      return `image shown to the user: ${display.path} (${display.mime === "image/png" ? "PNG" : "JPEG"}${size})`;
    }
    case "svg":
      return `SVG image shown to the user (${display.svg.length} characters)`;
    case "html":
      return `HTML shown to the user; its text:\n${cut(htmlToText(display.html))}`;
    case "markdown":
      return `markdown shown to the user:\n${cut(display.markdown)}`;
    case "latex":
      return `LaTeX shown to the user: ${cut(display.latex)}`;
    case "json":
      return `JSON shown to the user: ${cut(JSON.stringify(display.json))}`;
  }
}

/** Readable text of an HTML fragment, for the model only (never rendered). */
export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, "")
    .replace(/<br\s*\/?>|<\/(p|div|tr|li|h[1-6]|table)>/gi, "\n")
    .replace(/<\/t[dh]>/gi, "\t")
    .replace(/<[^>]*>/g, "")
    .replace(/&nbsp;/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/[ \t]+\n/g, "\n")
    .replace(/\n +/g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

function cut(text: string): string {
  return text.length <= MODEL_TEXT_CHARS ? text : `${text.slice(0, MODEL_TEXT_CHARS)}… [${text.length - MODEL_TEXT_CHARS} more characters]`;
}
