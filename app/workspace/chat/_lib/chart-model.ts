import type { FigureAxes, FigureSeries, FigureSummary, TableCell } from "~/server/sandbox";

// A figure summary turned into what the interactive chart draws, or null when
// the summary cannot be drawn faithfully (data cut, a kind or scale we do not
// draw, box plots without their statistics): then the chat shows the PNG.

/** matplotlib's default colour cycle, for series whose colour was not read. */
export const PALETTE = [
  "#1f77b4",
  "#ff7f0e",
  "#2ca02c",
  "#d62728",
  "#9467bd",
  "#8c564b",
  "#e377c2",
  "#7f7f7f",
  "#bcbd22",
  "#17becf",
] as const;

export type Scale = "linear" | "log";
export type BoxStats = { low: number; q1: number; median: number; q3: number; high: number };

export type ChartPoint = {
  /** Position on the category axis (an index) or the value axis (a number). */
  x: number;
  /** Right edge of a histogram bin. */
  x2?: number;
  y: number;
  /** The x value as the figure named it (a category, a date, a number). */
  xText: string;
  box?: BoxStats;
};

export type ChartSeries = {
  id: string;
  label: string;
  /** The figure gave it a label (otherwise a lone series needs no legend). */
  named: boolean;
  kind: FigureSeries["kind"];
  color: string;
  points: ChartPoint[];
};

export type CartesianPlot = {
  type: "cartesian";
  title: string;
  xlabel: string;
  ylabel: string;
  /** Bars drawn sideways (barh): categories on the vertical axis. */
  horizontal: boolean;
  /** Category names when the x axis is categorical (bars, boxes, text x values). */
  categories: string[] | null;
  xscale: Scale;
  yscale: Scale;
  xDomain: [number, number];
  yDomain: [number, number];
  series: ChartSeries[];
};

export type PiePlot = { type: "pie"; title: string; slices: { label: string; share: number; color: string }[] };

export type ChartPlot = CartesianPlot | PiePlot;
export type ChartModel = { title: string; plots: ChartPlot[] };

const CATEGORICAL_KINDS = new Set<FigureSeries["kind"]>(["bar", "barh", "box"]);

export function chartModel(summary: FigureSummary | undefined): ChartModel | null {
  if (!summary || summary.axes.length === 0 || summary.totalAxes > summary.axes.length) return null;
  const plots: ChartPlot[] = [];
  for (const axes of summary.axes) {
    const plot = plotOf(axes);
    if (!plot) return null;
    plots.push(plot);
  }
  return { title: summary.title, plots };
}

function plotOf(axes: FigureAxes): ChartPlot | null {
  if (axes.series.length === 0 || !axes.series.every(complete)) return null;
  if (axes.series.some((series) => series.kind === "pie"))
    return axes.series.length === 1 ? pieOf(axes, axes.series[0]!) : null;
  const xscale = scaleOf(axes.xscale);
  const yscale = scaleOf(axes.yscale);
  if (!xscale || !yscale) return null;
  const horizontal = axes.series.some((series) => series.kind === "barh");
  if (horizontal && !axes.series.every((series) => series.kind === "barh")) return null;
  const categorical =
    axes.series.some((series) => CATEGORICAL_KINDS.has(series.kind)) ||
    axes.series.some((series) => series.kind !== "histogram" && series.x.some((value) => typeof value !== "number"));
  // A category axis has no scale; on the value axis, log needs positive values.
  const valueScale = horizontal ? xscale : yscale;
  if (categorical && (horizontal ? yscale : xscale) !== "linear") return null;

  const categories: string[] = [];
  const indexOf = (value: TableCell) => {
    const name = text(value);
    const at = categories.indexOf(name);
    return at >= 0 ? at : categories.push(name) - 1;
  };
  const series: ChartSeries[] = [];
  for (const [index, source] of axes.series.entries()) {
    const points: ChartPoint[] = [];
    for (const [i, x] of source.x.entries()) {
      const box = source.boxes?.[i];
      const y = source.kind === "box" ? box?.median : source.y[i];
      if (typeof y !== "number" || !Number.isFinite(y)) return null;
      if (!categorical && (typeof x !== "number" || !Number.isFinite(x))) return null;
      const position = categorical ? indexOf(x) : (x as number);
      const next = source.x[i + 1];
      const previous = source.x[i - 1];
      const x2 =
        source.kind === "histogram" && typeof x === "number"
          ? typeof next === "number"
            ? next
            : x + (typeof previous === "number" ? x - previous : 1)
          : undefined;
      points.push({ x: position, ...(x2 !== undefined ? { x2 } : {}), y, xText: text(x), ...(box ? { box } : {}) });
    }
    series.push({
      id: `s${index}`,
      label:
        source.label ??
        (axes.series.length > 1 ? `Series ${index + 1}` : source.kind === "histogram" ? "Count" : "Value"),
      named: source.label !== null,
      kind: source.kind,
      color: source.color ?? PALETTE[index % PALETTE.length]!,
      points,
    });
  }

  const values = series.flatMap((s) => s.points.flatMap((p) => (p.box ? [p.box.low, p.box.high] : [p.y])));
  const stacksOnZero = series.some((s) => s.kind === "bar" || s.kind === "barh" || s.kind === "histogram");
  const valueDomain = domainOf(values, valueScale, stacksOnZero);
  if (!valueDomain) return null;
  let positionDomain: [number, number] | null;
  if (categorical) positionDomain = [-0.5, categories.length - 0.5];
  else
    positionDomain = domainOf(
      series.flatMap((s) => s.points.flatMap((p) => (p.x2 !== undefined ? [p.x, p.x2] : [p.x]))),
      horizontal ? yscale : xscale,
      false,
    );
  if (!positionDomain) return null;

  return {
    type: "cartesian",
    title: axes.title,
    xlabel: axes.xlabel,
    ylabel: axes.ylabel,
    horizontal,
    categories: categorical ? categories : null,
    xscale,
    yscale,
    xDomain: horizontal ? valueDomain : positionDomain,
    yDomain: horizontal ? positionDomain : valueDomain,
    series,
  };
}

function pieOf(axes: FigureAxes, series: FigureSeries): PiePlot | null {
  const slices: PiePlot["slices"] = [];
  for (const [i, label] of series.x.entries()) {
    const share = series.y[i];
    if (typeof share !== "number" || !Number.isFinite(share) || share < 0) return null;
    slices.push({ label: text(label), share, color: PALETTE[i % PALETTE.length]! });
  }
  return slices.length > 0 ? { type: "pie", title: axes.title, slices } : null;
}

/** All the data is there: nothing was cut, values line up with positions, boxes have their numbers. */
function complete(series: FigureSeries): boolean {
  if (series.points !== series.x.length) return false;
  if (series.kind === "box") return series.boxes?.length === series.x.length;
  return series.y.length === series.x.length;
}

function scaleOf(name: string): Scale | null {
  return name === "linear" || name === "log" ? name : null;
}

function domainOf(values: number[], scale: Scale, includeZero: boolean): [number, number] | null {
  if (values.length === 0 || values.some((value) => !Number.isFinite(value))) return null;
  if (scale === "log") {
    if (values.some((value) => value <= 0)) return null;
    const low = Math.min(...values);
    const high = Math.max(...values);
    return low === high ? [low / 10, high * 10] : [low, high];
  }
  let low = Math.min(...values, ...(includeZero ? [0] : []));
  let high = Math.max(...values, ...(includeZero ? [0] : []));
  if (low === high) {
    low -= 1;
    high += 1;
  }
  const pad = (high - low) * 0.05;
  return [low < 0 || !includeZero ? low - pad : low, high > 0 || !includeZero ? high + pad : high];
}

/** Round tick positions for an axis (about `count` of them). */
export function ticks([low, high]: [number, number], scale: Scale, count = 5): number[] {
  if (scale === "log") {
    const result: number[] = [];
    for (let power = Math.floor(Math.log10(low)); power <= Math.ceil(Math.log10(high)); power++) {
      const value = 10 ** power;
      if (value >= low && value <= high) result.push(value);
    }
    return result.length > 0 ? result : [low, high];
  }
  const raw = (high - low) / Math.max(1, count);
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((candidate) => candidate >= raw) ?? raw;
  const result: number[] = [];
  for (let value = Math.ceil(low / step) * step; value <= high + step * 1e-9; value += step)
    result.push(Number(value.toPrecision(12)));
  return result;
}

/** Maps a value on an axis to a pixel between `from` and `to`. */
export function scaleTo(domain: [number, number], scale: Scale, from: number, to: number): (value: number) => number {
  const f = scale === "log" ? Math.log10 : (value: number) => value;
  const low = f(domain[0]);
  const span = f(domain[1]) - low || 1;
  return (value) => from + ((f(value) - low) / span) * (to - from);
}

const NUMBER = new Intl.NumberFormat(undefined, { maximumSignificantDigits: 6 });
const COMPACT = new Intl.NumberFormat(undefined, { notation: "compact", maximumSignificantDigits: 3 });

/** A value as the tooltip says it. */
export function formatValue(value: number): string {
  return NUMBER.format(value);
}

/** A tick label: short. */
export function formatTick(value: number): string {
  return Math.abs(value) >= 10_000 || (value !== 0 && Math.abs(value) < 0.001)
    ? COMPACT.format(value)
    : NUMBER.format(value);
}

function text(value: TableCell | undefined): string {
  if (value === null || value === undefined) return "";
  return typeof value === "number" ? formatValue(value) : String(value);
}
