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

  it("shows the model only the first values of a long series, and each box's five numbers", () => {
    const xs = Array.from({ length: 1000 }, (_, i) => i);
    const summary: FigureSummary = {
      title: "",
      totalAxes: 2,
      axes: [
        { ...axes, kind: "line", series: [{ kind: "line", label: "long", points: 5000, x: xs, y: xs.map((x) => x * 2), min: 0, max: 9998, color: "#1f77b4" }] },
        {
          ...axes,
          kind: "box",
          series: [{ kind: "box", label: null, points: 1, x: ["A"], y: [], min: 1, max: 10, boxes: [{ low: 1, q1: 2, median: 3, q3: 4, high: 4 }] }],
        },
      ],
    };
    expect(describeFigure(summary).split("\n")).toEqual([
      "  [1] line chart; x: (no label); y: (no label)",
      '    "long" (line, 5000 points): (0, 0), (1, 2), (2, 4), (3, 6), (4, 8), (5, 10), …; y 0..9998',
      "  [2] box chart; x: (no label); y: (no label)",
      "    series (box, 1 points): 1 boxes (A: median 3, quartiles 2..4, whiskers 1..4); y 1..10",
    ]);
  });
});
