"use client";

import { type KeyboardEvent, useEffect, useRef, useState } from "react";
import {
  type CartesianPlot,
  type ChartModel,
  type ChartPoint,
  type ChartSeries,
  formatTick,
  formatValue,
  scaleTo,
  ticks,
} from "./_lib/chart-model";
import { ChartLegend } from "./chart-legend";
import { PieView } from "./chart-pie";

// A matplotlib figure drawn again from its data, in plain SVG: hover (or focus
// and arrow keys) shows a value, the legend hides and shows series. Drawn at
// the width it gets, so text stays readable on a phone.

const HEIGHT = 260;
const MARGIN = { top: 12, right: 14, bottom: 42, left: 58 };
const MAX_CATEGORY_LABEL = 14;

type Active = { series: string; index: number } | null;

export function ChartView({ model, name }: { model: ChartModel; name: string }) {
  const box = useRef<HTMLElement>(null);
  const width = useWidth(box);
  return (
    <figure
      ref={box}
      className="flex w-full min-w-0 flex-col gap-2"
      aria-label={`Chart ${name}`}
      data-testid="figure-chart"
    >
      {model.title ? (
        <figcaption className="text-center text-sm font-medium text-slate-800 dark:text-slate-100">
          {model.title}
        </figcaption>
      ) : null}
      {model.plots.map((plot, index) =>
        plot.type === "pie" ? (
          <PieView key={index} plot={plot} width={width} height={HEIGHT} />
        ) : (
          <CartesianView key={index} plot={plot} width={width} />
        ),
      )}
    </figure>
  );
}

function useWidth(ref: React.RefObject<HTMLElement | null>): number {
  const [width, setWidth] = useState(560);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const measure = () => setWidth(Math.max(240, Math.floor(element.clientWidth)));
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref]);
  return width;
}

function CartesianView({ plot, width }: { plot: CartesianPlot; width: number }) {
  const [active, setActive] = useState<Active>(null);
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  const toggle = (id: string) =>
    setHidden((current) => {
      const next = new Set(current);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  const left =
    plot.horizontal && plot.categories
      ? Math.min(110, 14 + 7 * Math.max(...plot.categories.map((c) => Math.min(c.length, MAX_CATEGORY_LABEL))))
      : MARGIN.left;
  const inner = { x0: left, x1: width - MARGIN.right, y0: MARGIN.top, y1: HEIGHT - MARGIN.bottom };
  const x = scaleTo(plot.xDomain, plot.xscale, inner.x0, inner.x1);
  const y = scaleTo(plot.yDomain, plot.yscale, inner.y1, inner.y0);
  const visible = plot.series.filter((series) => !hidden.has(series.id));
  const order = visible.flatMap((series) => series.points.map((_, index) => ({ series: series.id, index })));
  const activeSeries = active ? plot.series.find((series) => series.id === active.series) : undefined;
  const activePoint = active && activeSeries ? activeSeries.points[active.index] : undefined;

  const onKeyDown = (event: KeyboardEvent) => {
    if (order.length === 0) return;
    const at = active ? order.findIndex((item) => item.series === active.series && item.index === active.index) : -1;
    const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[event.key];
    if (step !== undefined) {
      event.preventDefault();
      setActive(order[(at + step + order.length) % order.length] ?? null);
    } else if (event.key === "Home" || event.key === "End") {
      event.preventDefault();
      setActive((event.key === "Home" ? order[0] : order.at(-1)) ?? null);
    } else if (event.key === "Escape" && active) {
      event.stopPropagation();
      setActive(null);
    }
  };

  // The category axis: one band per category; grouped bars share it side by side.
  const bars = visible.filter((series) => series.kind === "bar" || series.kind === "barh");
  const band = plot.categories ? Math.abs(plot.horizontal ? y(1) - y(0) : x(1) - x(0)) : 0;
  const barWidth = bars.length > 0 ? (band * 0.8) / bars.length : 0;
  const position = plot.horizontal ? y : x;
  const value = plot.horizontal ? x : y;
  const baseline = value(
    plot.horizontal
      ? Math.max(plot.xDomain[0], plot.xscale === "log" ? plot.xDomain[0] : 0)
      : Math.max(plot.yDomain[0], plot.yscale === "log" ? plot.yDomain[0] : 0),
  );
  const at = (vPos: number, vVal: number) => (plot.horizontal ? { cx: vVal, cy: vPos } : { cx: vPos, cy: vVal });

  const marks = (series: ChartSeries) => {
    const hover = (index: number) => ({
      onPointerEnter: () => setActive({ series: series.id, index }),
      onPointerLeave: () => setActive(null),
    });
    const isActive = (index: number) => active?.series === series.id && active.index === index;
    switch (series.kind) {
      case "bar":
      case "barh": {
        const offset = (bars.indexOf(series) - (bars.length - 1) / 2) * barWidth;
        return series.points.map((point, index) => {
          const p = position(point.x) + offset - barWidth / 2;
          const v = value(point.y);
          const rect = plot.horizontal
            ? { x: Math.min(baseline, v), y: p, width: Math.abs(v - baseline), height: barWidth }
            : { x: p, y: Math.min(baseline, v), width: barWidth, height: Math.abs(v - baseline) };
          return (
            <rect
              key={index}
              {...rect}
              fill={series.color}
              opacity={isActive(index) ? 1 : 0.85}
              stroke={isActive(index) ? "#0f172a" : "none"}
              data-testid="chart-bar"
              data-label={point.xText}
              {...hover(index)}
            />
          );
        });
      }
      case "histogram":
        return series.points.map((point, index) => {
          const x0 = x(point.x);
          const x1 = x(point.x2 ?? point.x);
          const v = y(point.y);
          return (
            <rect
              key={index}
              x={Math.min(x0, x1)}
              y={Math.min(v, baseline)}
              width={Math.max(1, Math.abs(x1 - x0) - 1)}
              height={Math.abs(baseline - v)}
              fill={series.color}
              opacity={isActive(index) ? 1 : 0.8}
              data-testid="chart-bar"
              data-label={point.xText}
              {...hover(index)}
            />
          );
        });
      case "box":
        return series.points.map((point, index) => {
          if (!point.box) return null;
          const c = position(point.x);
          const half = Math.max(4, band * 0.3);
          const { low, q1, median, q3, high } = point.box;
          return (
            <g
              key={index}
              stroke={series.color}
              strokeWidth={isActive(index) ? 2.5 : 1.5}
              fill="none"
              data-testid="chart-box"
              {...hover(index)}
            >
              <line x1={c} x2={c} y1={y(low)} y2={y(q1)} />
              <line x1={c} x2={c} y1={y(q3)} y2={y(high)} />
              <line x1={c - half / 2} x2={c + half / 2} y1={y(low)} y2={y(low)} />
              <line x1={c - half / 2} x2={c + half / 2} y1={y(high)} y2={y(high)} />
              <rect
                x={c - half}
                width={half * 2}
                y={y(q3)}
                height={Math.abs(y(q1) - y(q3))}
                fill="white"
                fillOpacity={0.01}
              />
              <line x1={c - half} x2={c + half} y1={y(median)} y2={y(median)} strokeWidth={2.5} />
            </g>
          );
        });
      default: {
        const dots = series.points.map((point) => at(position(point.x), value(point.y)));
        return (
          <g>
            {series.kind === "line" ? (
              <polyline
                points={dots.map((d) => `${d.cx},${d.cy}`).join(" ")}
                fill="none"
                stroke={series.color}
                strokeWidth={2}
              />
            ) : null}
            {dots.map((dot, index) => (
              <g key={index} {...hover(index)} data-testid="chart-point">
                <circle {...dot} r={isActive(index) ? 5 : series.kind === "scatter" ? 3.5 : 2.5} fill={series.color} />
                <circle {...dot} r={9} fill="transparent" />
              </g>
            ))}
          </g>
        );
      }
    }
  };

  const valueTicks = ticks(plot.horizontal ? plot.xDomain : plot.yDomain, plot.horizontal ? plot.xscale : plot.yscale);
  const positionTicks = plot.categories
    ? categoryTicks(plot.categories, plot.horizontal ? (inner.y1 - inner.y0) / 16 : (inner.x1 - inner.x0) / 56)
    : ticks(plot.horizontal ? plot.yDomain : plot.xDomain, plot.horizontal ? plot.yscale : plot.xscale);
  const label = (tick: number) => (plot.categories ? shorten(plot.categories[tick] ?? "") : formatTick(tick));
  const description = `${plot.title || "Chart"}: ${visible.map((series) => `${series.label}, ${series.points.length} ${series.kind === "box" ? "boxes" : "values"}`).join("; ")}. Arrow keys read the values.`;

  return (
    <div className="flex flex-col gap-1">
      {plot.title ? (
        <p className="text-center text-[13px] font-medium text-slate-700 dark:text-slate-200">{plot.title}</p>
      ) : null}
      <div className="relative">
        <svg
          width={width}
          height={HEIGHT}
          role="img"
          aria-label={description}
          tabIndex={0}
          onKeyDown={onKeyDown}
          onBlur={() => setActive(null)}
          className="block max-w-full rounded-md text-slate-500 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-sky-500 dark:text-slate-400"
          data-testid="chart-plot"
        >
          <g fontSize={11} fill="currentColor">
            {valueTicks.map((tick) => {
              const v = value(tick);
              return plot.horizontal ? (
                <g key={tick}>
                  <line x1={v} x2={v} y1={inner.y0} y2={inner.y1} stroke="currentColor" strokeOpacity={0.15} />
                  <text x={v} y={inner.y1 + 14} textAnchor="middle">
                    {formatTick(tick)}
                  </text>
                </g>
              ) : (
                <g key={tick}>
                  <line x1={inner.x0} x2={inner.x1} y1={v} y2={v} stroke="currentColor" strokeOpacity={0.15} />
                  <text x={inner.x0 - 6} y={v + 4} textAnchor="end">
                    {formatTick(tick)}
                  </text>
                </g>
              );
            })}
            {positionTicks.map((tick) => {
              const p = position(tick);
              return plot.horizontal ? (
                <text key={tick} x={inner.x0 - 6} y={p + 4} textAnchor="end">
                  {label(tick)}
                </text>
              ) : (
                <text key={tick} x={p} y={inner.y1 + 14} textAnchor="middle">
                  {label(tick)}
                </text>
              );
            })}
            <line x1={inner.x0} x2={inner.x1} y1={inner.y1} y2={inner.y1} stroke="currentColor" strokeOpacity={0.5} />
            <line x1={inner.x0} x2={inner.x0} y1={inner.y0} y2={inner.y1} stroke="currentColor" strokeOpacity={0.5} />
            {plot.xlabel ? (
              <text x={(inner.x0 + inner.x1) / 2} y={HEIGHT - 8} textAnchor="middle" fontSize={12}>
                {plot.xlabel}
                {plot.xscale === "log" ? " (log)" : ""}
              </text>
            ) : null}
            {plot.ylabel ? (
              <text
                transform={`translate(12 ${(inner.y0 + inner.y1) / 2}) rotate(-90)`}
                textAnchor="middle"
                fontSize={12}
              >
                {plot.ylabel}
                {plot.yscale === "log" ? " (log)" : ""}
              </text>
            ) : null}
          </g>
          <g>
            {visible.map((series) => (
              <g key={series.id}>{marks(series)}</g>
            ))}
          </g>
        </svg>
        {activeSeries && activePoint ? (
          <ChartTooltip
            plot={plot}
            series={activeSeries}
            point={activePoint}
            anchor={at(
              position(activePoint.x2 !== undefined ? (activePoint.x + activePoint.x2) / 2 : activePoint.x),
              value(activePoint.box?.high ?? activePoint.y),
            )}
            width={width}
          />
        ) : null}
      </div>
      {plot.series.length > 1 || plot.series[0]?.named ? (
        <ChartLegend series={plot.series} hidden={hidden} onToggle={toggle} />
      ) : null}
      <p className="sr-only" aria-live="polite">
        {activeSeries && activePoint ? tooltipText(plot, activeSeries, activePoint) : ""}
      </p>
    </div>
  );
}

function ChartTooltip({
  plot,
  series,
  point,
  anchor,
  width,
}: {
  plot: CartesianPlot;
  series: ChartSeries;
  point: ChartPoint;
  anchor: { cx: number; cy: number };
  width: number;
}) {
  const left = Math.min(Math.max(anchor.cx, 70), width - 70);
  return (
    <div
      className="pointer-events-none absolute z-10 -translate-x-1/2 -translate-y-full whitespace-nowrap rounded-md bg-slate-900 px-2 py-1 text-xs text-white shadow-md dark:bg-slate-100 dark:text-slate-900"
      style={{ left, top: Math.max(anchor.cy - 8, 24) }}
      data-testid="chart-tooltip"
    >
      {tooltipText(plot, series, point)}
    </div>
  );
}

function tooltipText(plot: CartesianPlot, series: ChartSeries, point: ChartPoint): string {
  const where = point.x2 !== undefined ? `${point.xText}–${formatValue(point.x2)}` : point.xText;
  const name = plot.series.length > 1 ? `${series.label} · ` : "";
  if (point.box) {
    const { low, q1, median, q3, high } = point.box;
    return `${name}${where}: median ${formatValue(median)} (quartiles ${formatValue(q1)}–${formatValue(q3)}, range ${formatValue(low)}–${formatValue(high)})`;
  }
  return `${name}${where}: ${formatValue(point.y)}`;
}

/** Category positions to label, thinned so the labels do not overlap. */
function categoryTicks(categories: string[], room: number): number[] {
  const every = Math.max(1, Math.ceil(categories.length / Math.max(1, Math.floor(room))));
  return categories.map((_, index) => index).filter((index) => index % every === 0);
}

function shorten(label: string): string {
  return label.length > MAX_CATEGORY_LABEL ? `${label.slice(0, MAX_CATEGORY_LABEL - 1)}…` : label;
}
