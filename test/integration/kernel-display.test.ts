import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DockerSandbox, type KernelDisplay, PythonKernel, type RuntimeConfig } from "~/server/sandbox";
import { ensureRuntimeImage, removeLabelled, runtimeSandbox, testLabel } from "../fixtures/runtime-sandbox";
import { makeTempDir, makeWorkspaceDir, removeTempDir } from "./helpers/docker-cleanup-sandbox";

// The display protocol on real Docker with the python-datascience runtime:
// display(), the _repr_*_ methods, PIL images and DataFrames come back as
// typed display entries, images saved beside the figures.

const label = testLabel("kernel-display");
let sandbox: DockerSandbox<RuntimeConfig>;
let kernel: PythonKernel;
let root: string | null = null;

beforeAll(async () => {
  await ensureRuntimeImage("python-datascience");
  root = await makeTempDir("kernel-display");
  sandbox = runtimeSandbox("python-datascience", label, { volumes: { [await makeWorkspaceDir(root)]: "/workspace" } });
  kernel = new PythonKernel(sandbox);
  await sandbox.start();
}, 900_000);

afterAll(async () => {
  await sandbox?.stop();
  await removeLabelled(label);
  if (root) await removeTempDir(root);
});

async function expectSavedImage(display: KernelDisplay | undefined, mime: string, magic: string) {
  expect(display?.kind).toBe("image");
  const image = display!.image!;
  expect(image.mime).toBe(mime);
  expect(image.path).toMatch(/^\/workspace\/figures\/\d{8}-\d{6}-\d{3}-\d+\.(png|jpg)$/);
  const bytes = Buffer.from(image.base64, "base64");
  expect(bytes.subarray(0, 4).toString("latin1")).toContain(magic);
  expect((await sandbox.readBytes(image.path)).equals(bytes)).toBe(true);
}

describe("PythonKernel displays", () => {
  it("shows a PIL image as the last expression, with display() and with img.show()", async () => {
    const last = await kernel.run("from PIL import Image\nimg = Image.new('RGB', (64, 48), (200, 30, 30))\nimg");
    expect(last.error).toBeUndefined();
    expect(last.displays).toHaveLength(1);
    expect(last.displays[0]).toMatchObject({ source: "result", kind: "image", image: { width: 64, height: 48 } });
    await expectSavedImage(last.displays[0], "image/png", "PNG");
    expect(last.result).toContain("PIL.Image.Image image mode=RGB size=64x48");

    const shown = await kernel.run("display(img.convert('L'))\nimg.show()\nprint('after')");
    expect(shown.error).toBeUndefined();
    expect(shown.stdout).toBe("after\n");
    expect(shown.displays.map((d) => [d.source, d.kind])).toEqual([
      ["display", "image"],
      ["display", "image"],
    ]);
    // CMYK has no PNG form: converted rather than failing.
    const cmyk = await kernel.run("Image.new('CMYK', (4, 4))");
    await expectSavedImage(cmyk.displays[0], "image/png", "PNG");
  });

  it("img.show() works when PIL is first imported in the same run", async () => {
    await kernel.restart();
    const result = await kernel.run("from PIL import Image\nImage.new('RGB', (8, 8)).show()");
    expect(result.error).toBeUndefined();
    expect(result.displays).toHaveLength(1);
    expect(result.displays[0]?.kind).toBe("image");
  });

  it("uses the _repr_*_ methods: html, markdown, svg, png, jpeg, latex, json", async () => {
    const result = await kernel.run(
      [
        "import io, base64",
        "from PIL import Image",
        "def png_bytes(fmt):",
        "    b = io.BytesIO(); Image.new('RGB', (5, 5)).save(b, format=fmt); return b.getvalue()",
        "class Html:\n    def _repr_html_(self): return '<b>bold</b><script>alert(1)</script>'",
        "class Md:\n    def _repr_markdown_(self): return '# Title\\n\\n*emphasis*'",
        "class Svg:\n    def _repr_svg_(self): return '<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><rect width=\"10\" height=\"10\"/></svg>'",
        "class Png:\n    def _repr_png_(self): return png_bytes('PNG')",
        "class Jpeg:\n    def _repr_jpeg_(self): return png_bytes('JPEG')",
        "class Latex:\n    def _repr_latex_(self): return r'$\\frac{a}{b}$'",
        "class Json:\n    def _repr_json_(self): return {'a': [1, 2]}",
        "class Nothing:\n    def _repr_html_(self): return None",
        "for obj in [Html(), Md(), Svg(), Png(), Jpeg(), Latex(), Json(), Nothing()]:\n    display(obj)",
      ].join("\n"),
    );
    expect(result.error).toBeUndefined();
    const kinds = result.displays.map((d) => d.kind);
    expect(kinds).toEqual(["html", "markdown", "svg", "image", "image", "latex", "json"]);
    const [html, md, svg, png, jpeg, latex, json] = result.displays;
    expect(html).toMatchObject({ source: "display", html: "<b>bold</b><script>alert(1)</script>" });
    expect(html!.text).toMatch(/<__main__\.Html object at/);
    expect(md?.markdown).toBe("# Title\n\n*emphasis*");
    expect(svg?.svg).toContain("<rect");
    await expectSavedImage(png, "image/png", "PNG");
    await expectSavedImage(jpeg, "image/jpeg", "\xff\xd8");
    expect(latex?.latex).toBe("$\\frac{a}{b}$");
    expect(json?.json).toEqual({ a: [1, 2] });
    // An object whose only rich form is None prints its repr.
    expect(result.stdout).toMatch(/<__main__\.Nothing object at/);
  });

  it("honours _repr_mimebundle_ and an object's own text/plain", async () => {
    const result = await kernel.run(
      "class Bundle:\n    def _repr_mimebundle_(self, include=None, exclude=None):\n        return {'text/plain': 'a bundle', 'text/html': '<i>b</i>'}\nBundle()",
    );
    expect(result.displays).toEqual([{ source: "result", kind: "html", text: "a bundle", html: "<i>b</i>" }]);
  });

  it("shows DataFrames and Series as tables with html and text", async () => {
    const result = await kernel.run("import pandas as pd\ndf = pd.DataFrame({'a': [1, 2, 3], 'b': ['x', 'y', 'z']})\ndisplay(df.a)\ndf");
    expect(result.error).toBeUndefined();
    expect(result.tables).toHaveLength(2);
    expect(result.displays).toHaveLength(2);
    const [series, frame] = result.displays;
    expect(series).toMatchObject({ source: "display", kind: "table", table: 0 });
    expect(series?.html).toContain("<table");
    expect(series?.text).toContain("Name: a, dtype: int64");
    expect(frame).toMatchObject({ source: "result", kind: "table", table: 1 });
    expect(frame?.html).toContain("<td>x</td>");
    expect(result.tables[1]).toMatchObject({ name: "df", columns: ["a", "b"], totalRows: 3 });
    // display() of a DataFrame no longer prints its text as stdout.
    expect(result.stdout).toBe("");
  });

  it("display(fig) shows a matplotlib figure once, even if it is closed afterwards", async () => {
    const result = await kernel.run("import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\nax.plot([1, 2])\ndisplay(fig)\nplt.close(fig)\nfig2 = plt.figure()\ndisplay(fig2)");
    expect(result.error).toBeUndefined();
    expect(result.figures).toHaveLength(2);
    expect(result.displays).toHaveLength(0);
  });

  it("offers IPython.display's classes where IPython is not installed", async () => {
    const result = await kernel.run(
      [
        "from IPython.display import display, HTML, Markdown, Latex, Math, SVG, JSON, Image, clear_output",
        "import io",
        "from PIL import Image as PILImage",
        "buffer = io.BytesIO(); PILImage.new('RGB', (3, 3)).save(buffer, format='JPEG')",
        "display(HTML('<p>hi</p>'), Markdown('**b**'), Latex('$x$'), Math('y^2'))",
        `display(SVG('<svg xmlns="http://www.w3.org/2000/svg"/>'), JSON('{"k": 1}'), Image(data=buffer.getvalue()))`,
        "clear_output()",
        "HTML('<i>last</i>')",
      ].join("\n"),
    );
    expect(result.error).toBeUndefined();
    expect(result.displays.map((d) => [d.source, d.kind])).toEqual([
      ["display", "html"],
      ["display", "markdown"],
      ["display", "latex"],
      ["display", "latex"],
      ["display", "svg"],
      ["display", "json"],
      ["display", "image"],
      ["result", "html"],
    ]);
    expect(result.displays[3]?.latex).toBe("$$y^2$$");
    expect(result.displays[5]?.json).toEqual({ k: 1 });
    expect(result.displays[6]?.image?.mime).toBe("image/jpeg");
    expect(result.displays[7]?.html).toBe("<i>last</i>");
    // matplotlib asks IPython whether it runs inside a shell: the stand-in says no.
    const plot = await kernel.run("import IPython, matplotlib.pyplot as plt\nplt.plot([1, 2])\nIPython.get_ipython() is None");
    expect(plot.error).toBeUndefined();
    expect(plot.result).toBe("True");
    expect(plot.figures).toHaveLength(1);
  });

  it("reads each chart type into a summary with its values", async () => {
    const result = await kernel.run(
      [
        "import matplotlib.pyplot as plt",
        "fig, ax = plt.subplots(); ax.bar(['North', 'South', 'East'], [10, 12.5, 7], label='2024', color='tab:red'); ax.set_title('Sales'); ax.set_xlabel('Region'); ax.set_ylabel('Units')",
        "fig, ax = plt.subplots(); ax.plot([1, 2, 3], [4, 5, 9], label='a'); ax.plot([1, 2, 3], [1, 1, 2], label='b', color='#00ff00'); ax.set_yscale('log')",
        "fig, ax = plt.subplots(); ax.scatter([1, 2, 3], [3, 2, 1], color='purple')",
        "fig, ax = plt.subplots(); ax.pie([1, 2, 7], labels=['x', 'y', 'z'], autopct='%1.0f%%')",
        "fig, ax = plt.subplots(); ax.hist([1, 1, 2, 3, 3, 3, 4], bins=3, color='orange')",
        "fig, ax = plt.subplots(); ax.boxplot([[1, 2, 3, 4, 10], [2, 3, 4]], labels=['A', 'B'])",
        "fig, ax = plt.subplots(); ax.boxplot([[5, 6, 7, 8, 9]], vert=False, patch_artist=True, boxprops={'facecolor': 'white', 'edgecolor': '#123456'})",
        "fig, axs = plt.subplots(1, 2); axs[0].plot([1, 2]); axs[1].barh(['a', 'b'], [3, 4]); fig.suptitle('Two')",
      ].join("\n"),
    );
    expect(result.error).toBeUndefined();
    const summaries = result.figures.map((figure) => figure.summary);
    expect(summaries).toHaveLength(8);
    const [bar, line, scatter, pie, hist, box, boxh, subplots] = summaries;
    expect(bar?.axes[0]).toMatchObject({ kind: "bar", title: "Sales", xlabel: "Region", ylabel: "Units", yscale: "linear" });
    expect(bar?.axes[0]?.series[0]).toEqual({ kind: "bar", label: "2024", points: 3, x: ["North", "South", "East"], y: [10, 12.5, 7], min: 7, max: 12.5, color: "#d62728" });
    expect(line?.axes[0]).toMatchObject({ kind: "line", yscale: "log" });
    expect(line?.axes[0]?.series).toEqual([
      { kind: "line", label: "a", points: 3, x: [1, 2, 3], y: [4, 5, 9], min: 4, max: 9, color: "#1f77b4" },
      { kind: "line", label: "b", points: 3, x: [1, 2, 3], y: [1, 1, 2], min: 1, max: 2, color: "#00ff00" },
    ]);
    expect(scatter?.axes[0]?.series[0]).toEqual({ kind: "scatter", label: null, points: 3, x: [1, 2, 3], y: [3, 2, 1], min: 1, max: 3, color: "#800080" });
    expect(pie?.axes[0]?.series[0]).toMatchObject({ kind: "pie", points: 3, x: ["x", "y", "z"], y: [0.1, 0.2, 0.7] });
    expect(hist?.axes[0]?.series[0]).toEqual({ kind: "histogram", label: null, points: 3, x: [1, 2, 3], y: [2, 1, 4], min: 1, max: 4, color: "#ffa500" });
    // 10 lies past the upper whisker (q3 + 1.5 IQR = 7): an outlier, still in the range.
    expect(box?.axes[0]?.series[0]).toEqual({
      kind: "box",
      label: null,
      points: 2,
      x: ["A", "B"],
      y: [],
      min: 1,
      max: 10,
      color: "#000000",
      boxes: [
        { low: 1, q1: 2, median: 3, q3: 4, high: 4 },
        { low: 2, q1: 2.5, median: 3, q3: 3.5, high: 4 },
      ],
    });
    expect(boxh?.axes[0]?.series[0]).toMatchObject({ kind: "box", points: 1, color: "#123456", boxes: [{ low: 5, q1: 6, median: 7, q3: 8, high: 9 }] });
    expect(subplots).toMatchObject({ title: "Two", totalAxes: 2 });
    expect(subplots?.axes.map((axes) => axes.kind)).toEqual(["line", "barh"]);
    expect(subplots?.axes[0]?.series[0]).toMatchObject({ x: [0, 1], y: [1, 2] });
    expect(subplots?.axes[1]?.series[0]).toMatchObject({ x: ["a", "b"], y: [3, 4], color: "#1f77b4" });
  });

  it("keeps every value of a series up to 1,000, thins longer ones evenly, and bounds a figure's data", async () => {
    const long = await kernel.run(
      "import matplotlib.pyplot as plt\nfig, ax = plt.subplots(); ax.plot(range(5000), [i * 2 for i in range(5000)]); ax.plot(range(1000), range(1000))",
    );
    const [thinned, whole] = long.figures[0]?.summary?.axes[0]?.series ?? [];
    expect(thinned).toMatchObject({ points: 5000, min: 0, max: 9998 });
    expect(thinned?.x).toHaveLength(1000);
    expect([thinned?.x[0], thinned?.y[0], thinned?.x[999], thinned?.y[999]]).toEqual([0, 0, 4999, 9998]);
    expect(whole?.x).toEqual(Array.from({ length: 1000 }, (_, i) => i));

    // 8 subplots of 8 long series: far more than 256 KB, so every series is thinned further.
    const crowded = await kernel.run(
      "import numpy as np\nfig, axs = plt.subplots(2, 4)\nfor ax in axs.flat:\n    for k in range(8): ax.plot(np.arange(3000) / 7, np.sin(np.arange(3000) / (k + 1)))",
    );
    const summary = crowded.figures[0]?.summary;
    expect(summary?.axes).toHaveLength(8);
    expect(Buffer.byteLength(JSON.stringify(summary))).toBeLessThanOrEqual(256 * 1024);
    for (const series of summary?.axes.flatMap((axes) => axes.series) ?? []) {
      expect(series.points).toBe(3000);
      expect(series.x.length).toBe(series.y.length);
      expect(series.x.length).toBeLessThan(1000);
      expect(series.x.length).toBeGreaterThanOrEqual(6);
    }
  });

  it("keeps text, displays and figures in the order the code produced them, child processes' output included", async () => {
    const result = await kernel.run(
      [
        "import os, sys, pandas as pd, matplotlib.pyplot as plt",
        "from IPython.display import HTML",
        "print('one')",
        "display(HTML('<b>two</b>'))",
        "print('three', file=sys.stderr)",
        "fig = plt.figure(); plt.plot([1, 2]); display(fig)",
        "os.system('echo four')",
        "plt.figure(); plt.bar(['a'], [1])",
        "print('five')",
        "pd.DataFrame({'x': [1]})",
      ].join("\n"),
    );
    expect(result.error).toBeUndefined();
    expect(result.outputs).toEqual([
      { type: "stream", name: "stdout", text: "one\n" },
      { type: "display", index: 0 },
      { type: "stream", name: "stderr", text: "three\n" },
      { type: "figure", index: 0 },
      { type: "stream", name: "stdout", text: "four\nfive\n" },
      // The last expression's value, then the figures still open when the run ended.
      { type: "display", index: 1 },
      { type: "figure", index: 1 },
    ]);
    expect(result.displays.map((display) => display.kind)).toEqual(["html", "table"]);
    expect(result.figures.map((figure) => figure.summary?.axes[0]?.kind)).toEqual(["line", "bar"]);
    expect(result.stdout).toBe("one\nfour\nfive\n");
  });

  it("plain values have no display entry and every run has an execution count", async () => {
    const first = await kernel.run("41 + 1");
    expect(first.displays).toEqual([]);
    expect(first.result).toBe("42");
    const second = await kernel.run("display(7, 'x')");
    // Like a notebook, display() of a plain value shows its repr.
    expect(second.stdout).toBe("7\n'x'\n");
    expect(second.executionCount).toBe((first.executionCount ?? 0) + 1);
  });
});
