import { describe, expect, it } from "vitest";
import type { FigureSummary } from "~/server/sandbox";
import { describeFigure } from "./figure-summary";

const axes = { title: "", xlabel: "", ylabel: "", xscale: "linear", yscale: "linear" };

describe("describeFigure", () => {
  it("describes a bar chart with its categories and values", () => {
    const summary: FigureSummary = {
      title: "",
      totalAxes: 1,
      axes: [
        {
          ...axes,
          kind: "bar",
          title: "Sales",
          xlabel: "Region",
          ylabel: "Units",
          series: [{ kind: "bar", label: "2024", points: 3, x: ["North", "South", "East"], y: [10, 12.5, 7], min: 7, max: 12.5 }],
        },
      ],
    };
    expect(describeFigure(summary)).toBe('  bar chart "Sales"; x: "Region"; y: "Units"\n    "2024" (bar, 3 points): North=10, South=12.5, East=7; values 7..12.5');
  });

  it("names log scales, subplots, pies and cut series", () => {
    const summary: FigureSummary = {
      title: "Overview",
      totalAxes: 10,
      axes: [
        { ...axes, kind: "line", yscale: "log", series: [{ kind: "line", label: null, points: 100, x: [0, 1], y: [1, 10], min: 1, max: 1000 }] },
        { ...axes, kind: "pie", series: [{ kind: "pie", label: null, points: 2, x: ["a", "b"], y: [0.25, 0.75], min: 0.25, max: 0.75 }] },
      ],
    };
    expect(describeFigure(summary).split("\n")).toEqual([
      '  title: "Overview"',
      '  [1] line chart; x: (no label); y: (no label), log scale',
      "    series (line, 100 points): (0, 1), (1, 10), …; y 1..1000",
      "  [2] pie chart",
      "    series (pie, 2 wedges): a 25%, b 75%",
      "  (8 more subplots not described)",
    ]);
  });
});
