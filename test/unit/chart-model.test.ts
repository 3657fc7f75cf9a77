import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { chartModel, PALETTE, scaleTo, ticks } from "~/app/workspace/chat/_lib/chart-model";
import { ChartView } from "~/app/workspace/chat/chart-view";
import type { FigureAxes, FigureSeries, FigureSummary } from "~/server/sandbox";

// The interactive chart draws only what the summary holds in full; anything
// cut, unknown or without its numbers falls back to the PNG (null here).

const series = (fields: Partial<FigureSeries> & Pick<FigureSeries, "kind" | "x" | "y">): FigureSeries => ({
  label: null,
  points: fields.x.length,
  ...fields,
});
const axes = (list: FigureSeries[], fields: Partial<FigureAxes> = {}): FigureAxes => ({
  kind: list[0]?.kind ?? "empty",
  title: "",
  xlabel: "",
  ylabel: "",
  xscale: "linear",
  yscale: "linear",
  series: list,
  ...fields,
});
const figure = (...list: FigureAxes[]): FigureSummary => ({ title: "", axes: list, totalAxes: list.length });

describe("chartModel", () => {
  it("draws grouped bars on a category axis from zero, with their colours or the default cycle", () => {
    const model = chartModel(
      figure(
        axes(
          [
            series({ kind: "bar", label: "2023", x: ["a", "b", "c"], y: [3, 5, 2], color: "#123456" }),
            series({ kind: "bar", label: "2024", x: ["a", "b", "c"], y: [4, 1, 6] }),
          ],
          { title: "Sales", xlabel: "shop", ylabel: "units" },
        ),
      ),
    );
    const plot = model?.plots[0];
    expect(plot?.type).toBe("cartesian");
    if (plot?.type !== "cartesian") return;
    expect(plot.categories).toEqual(["a", "b", "c"]);
    expect(plot.series.map((s) => s.color)).toEqual(["#123456", PALETTE[1]]);
    expect(plot.series[1]?.points.map((p) => [p.x, p.y, p.xText])).toEqual([
      [0, 4, "a"],
      [1, 1, "b"],
      [2, 6, "c"],
    ]);
    expect(plot.yDomain[0]).toBe(0);
    expect(plot.yDomain[1]).toBeGreaterThan(6);
  });

  it("falls back to the PNG when the data was cut, a box has no statistics, or the scale is not drawn", () => {
    expect(chartModel(figure(axes([series({ kind: "line", x: [1, 2], y: [1, 2], points: 5000 })])))).toBeNull();
    expect(chartModel(figure(axes([series({ kind: "box", x: ["a"], y: [] })])))).toBeNull();
    expect(chartModel(figure(axes([series({ kind: "line", x: [1, 2], y: [1, 2] })], { yscale: "symlog" })))).toBeNull();
    expect(chartModel(figure(axes([series({ kind: "line", x: [1, 2], y: [0, 2] })], { yscale: "log" })))).toBeNull();
    expect(chartModel({ ...figure(axes([series({ kind: "line", x: [1], y: [1] })])), totalAxes: 9 })).toBeNull();
    expect(chartModel(undefined)).toBeNull();
  });

  it("keeps histogram bins as numeric ranges and boxes with their five numbers", () => {
    const hist = chartModel(figure(axes([series({ kind: "histogram", x: [0, 10, 20], y: [2, 7, 1] })])))?.plots[0];
    if (hist?.type !== "cartesian") throw new Error("expected a cartesian plot");
    expect(hist.categories).toBeNull();
    expect(hist.series[0]?.points.map((p) => [p.x, p.x2])).toEqual([
      [0, 10],
      [10, 20],
      [20, 30],
    ]);
    const stats = { low: 1, q1: 2, median: 3, q3: 4, high: 5 };
    const box = chartModel(figure(axes([series({ kind: "box", x: ["A"], y: [], boxes: [stats] })])))?.plots[0];
    if (box?.type !== "cartesian") throw new Error("expected a cartesian plot");
    expect(box.series[0]?.points[0]).toMatchObject({ y: 3, box: stats });
  });

  it("puts log ticks on powers of ten and maps them evenly", () => {
    expect(ticks([1, 1000], "log")).toEqual([1, 10, 100, 1000]);
    const to = scaleTo([1, 100], "log", 0, 200);
    expect(to(10)).toBeCloseTo(100);
    expect(ticks([0, 10], "linear")).toEqual([0, 2, 4, 6, 8, 10]);
  });
});

describe("ChartView", () => {
  it("renders an accessible SVG with one bar per value and a legend button per named series", () => {
    const model = chartModel(
      figure(axes([series({ kind: "bar", label: "units", x: ["north", "south"], y: [3, 5] })], { title: "By region" })),
    );
    if (!model) throw new Error("expected a chart");
    const markup = renderToStaticMarkup(createElement(ChartView, { model, name: "fig.png" }));
    expect(markup.match(/data-testid="chart-bar"/g)).toHaveLength(2);
    expect(markup).toMatch(/<svg[^>]*role="img"[^>]*aria-label="By region: units, 2 values/);
    expect(markup).toMatch(/tabindex="0"/i);
    expect(markup).toContain('aria-pressed="true"');
    expect(markup).toContain(">north</text>");
  });
});
