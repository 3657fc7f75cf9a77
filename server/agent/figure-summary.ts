import type { FigureAxes, FigureSeries, FigureSummary, TableCell } from "~/server/sandbox";

// A chart in a few lines for the model, which cannot see the PNG: kind,
// title, axis labels and scales, and per series its first values and range,
// so it can check what it drew (and say what the chart shows) without
// re-computing it. The kernel sends every value (for the browser to redraw
// the chart); the model gets the first few.

const MAX_LINE = 300;
/** Values shown per series. */
const SAMPLE = 6;

export function describeFigure(summary: FigureSummary): string {
  const lines: string[] = [];
  if (summary.title) lines.push(`  title: ${quote(summary.title)}`);
  summary.axes.forEach((axes, index) => {
    const prefix = summary.axes.length > 1 ? `  [${index + 1}] ` : "  ";
    lines.push(`${prefix}${describeAxes(axes)}`);
    for (const series of axes.series) lines.push(`    ${describeSeries(series)}`);
  });
  if (summary.totalAxes > summary.axes.length) lines.push(`  (${summary.totalAxes - summary.axes.length} more subplots not described)`);
  return lines.join("\n");
}

function describeAxes(axes: FigureAxes): string {
  const parts = [`${axes.kind === "empty" ? "empty axes" : `${axes.kind} chart`}${axes.title ? ` ${quote(axes.title)}` : ""}`];
  if (axes.kind !== "pie") {
    parts.push(`x: ${axis(axes.xlabel, axes.xscale)}`);
    parts.push(`y: ${axis(axes.ylabel, axes.yscale)}`);
  }
  return parts.join("; ");
}

function axis(label: string, scale: string): string {
  const name = label ? quote(label) : "(no label)";
  return scale === "linear" ? name : `${name}, ${scale} scale`;
}

function describeSeries(series: FigureSeries): string {
  const name = series.label ? quote(series.label) : "series";
  const x = series.x.slice(0, SAMPLE);
  const y = series.y.slice(0, SAMPLE);
  const more = series.points > SAMPLE ? ", …" : "";
  let values: string;
  switch (series.kind) {
    case "bar":
    case "barh":
      values = pairs(x, y, "=") + more;
      break;
    case "pie":
      values = x.map((label, i) => `${cell(label)} ${percent(y[i])}`).join(", ") + more;
      break;
    case "histogram":
      values = `bins from ${x.map(cell).join(", ")}${more}; counts ${y.map(cell).join(", ")}${more}`;
      break;
    case "box":
      values = `${series.points} boxes${x.length ? ` (${describeBoxes(x, series.boxes ?? [])}${more})` : ""}`;
      break;
    default:
      values = pairs(x, y, ",", true) + more;
  }
  const range = series.min !== undefined && series.kind !== "pie" ? `; ${series.kind === "barh" || series.kind === "bar" ? "values" : "y"} ${cell(series.min)}..${cell(series.max ?? null)}` : "";
  const text = `${name} (${series.kind}, ${series.points} ${series.kind === "pie" ? "wedges" : "points"}): ${values}${range}`;
  return text.length > MAX_LINE ? `${text.slice(0, MAX_LINE)}…` : text;
}

/** Each box as "name: median m, quartiles q1..q3, whiskers low..high", or its name alone when its numbers are unknown. */
function describeBoxes(names: TableCell[], boxes: NonNullable<FigureSeries["boxes"]>): string {
  return names
    .map((name, i) => {
      const box = boxes[i];
      return box ? `${cell(name)}: median ${box.median}, quartiles ${box.q1}..${box.q3}, whiskers ${box.low}..${box.high}` : cell(name);
    })
    .join(", ");
}

function pairs(xs: TableCell[], ys: TableCell[], joiner: string, parenthesised = false): string {
  return xs.map((x, i) => (parenthesised ? `(${cell(x)}${joiner} ${cell(ys[i] ?? null)})` : `${cell(x)}${joiner}${cell(ys[i] ?? null)}`)).join(", ");
}

function percent(value: TableCell | undefined): string {
  return typeof value === "number" ? `${Math.round(value * 1000) / 10}%` : cell(value ?? null);
}

function cell(value: TableCell): string {
  return value === null ? "NaN" : String(value);
}

function quote(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
}
