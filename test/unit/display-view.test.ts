import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { DisplayView, htmlDocument } from "~/app/workspace/chat/display-view";

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
