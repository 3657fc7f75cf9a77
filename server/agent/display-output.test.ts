import { describe, expect, it } from "vitest";
import type { KernelDisplay } from "~/server/sandbox";
import { describeDisplay, htmlToText, toDisplayOutput } from "./display-output";

const image: KernelDisplay = {
  source: "display",
  kind: "image",
  text: "<PIL.Image.Image image mode=RGB size=64x48>",
  image: { path: "/workspace/figures/a.png", mime: "image/png", base64: "iVBORw0KGgo", width: 64, height: 48 },
};

describe("toDisplayOutput", () => {
  it("keeps images by path, never their bytes", () => {
    const output = toDisplayOutput(image);
    expect(output).toEqual({ source: "display", kind: "image", text: image.text, path: "/workspace/figures/a.png", mime: "image/png", width: 64, height: 48 });
    expect(JSON.stringify(output)).not.toContain("iVBOR");
  });

  it("keeps only the form that is shown", () => {
    const table: KernelDisplay = { source: "result", kind: "table", text: "   a\n0  1", table: 0, html: "<table></table>" };
    expect(toDisplayOutput(table)).toEqual({ source: "result", kind: "table", text: "   a\n0  1", table: 0 });
    const html: KernelDisplay = { source: "display", kind: "html", text: "x", html: "<b>x</b>", markdown: "**x**" };
    expect(toDisplayOutput(html)).toEqual({ source: "display", kind: "html", text: "x", html: "<b>x</b>" });
    expect(toDisplayOutput({ source: "display", kind: "svg", text: "x" })).toBeNull();
  });
});

describe("describeDisplay", () => {
  it("gives the model a compact text of each kind", () => {
    expect(describeDisplay(toDisplayOutput(image)!)).toBe("image shown to the user: /workspace/figures/a.png (PNG, 64×48 px)");
    expect(describeDisplay({ source: "display", kind: "html", text: "", html: "<h1>Report</h1><script>evil()</script><p>a &amp; b</p>" })).toBe(
      "HTML shown to the user; its text:\nReport\na & b",
    );
    expect(describeDisplay({ source: "display", kind: "markdown", text: "", markdown: "# T" })).toBe("markdown shown to the user:\n# T");
    expect(describeDisplay({ source: "display", kind: "latex", text: "", latex: "$x$" })).toBe("LaTeX shown to the user: $x$");
    expect(describeDisplay({ source: "display", kind: "json", text: "", json: { a: [1] } })).toBe('JSON shown to the user: {"a":[1]}');
    expect(describeDisplay({ source: "display", kind: "svg", text: "", svg: "<svg/>" })).toBe("SVG image shown to the user (6 characters)");
    expect(describeDisplay({ source: "result", kind: "table", text: "", table: 0 })).toBeNull();
  });

  it("cuts long content", () => {
    const text = describeDisplay({ source: "display", kind: "markdown", text: "", markdown: "x".repeat(5_000) })!;
    expect(text.length).toBeLessThan(1_700);
    expect(text).toContain("[3500 more characters]");
  });
});

describe("htmlToText", () => {
  it("keeps table cells apart and drops styles", () => {
    expect(htmlToText("<style>td{}</style><table><tr><th>a</th><th>b</th></tr><tr><td>1</td><td>2</td></tr></table>")).toBe("a\tb\n1\t2");
  });
});
