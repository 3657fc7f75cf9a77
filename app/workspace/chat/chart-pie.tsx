"use client";

import { type KeyboardEvent, useState } from "react";
import { formatValue, type PiePlot } from "./_lib/chart-model";

/** A pie drawn from its shares: hover a wedge, or focus the chart and use the arrow keys, to read it. */
export function PieView({ plot, width, height }: { plot: PiePlot; width: number; height: number }) {
  const [active, setActive] = useState<number | null>(null);
  const total = plot.slices.reduce((sum, slice) => sum + slice.share, 0) || 1;
  const radius = Math.min(width / 2, height) / 2 - 8;
  const center = { x: width / 2, y: height / 2 };
  let angle = -Math.PI / 2;
  const arcs = plot.slices.map((slice) => {
    const start = angle;
    angle += (slice.share / total) * Math.PI * 2;
    return { ...slice, start, end: angle };
  });
  const point = (a: number, r = radius) => `${center.x + r * Math.cos(a)},${center.y + r * Math.sin(a)}`;
  const activeSlice = active === null ? undefined : arcs[active];
  const say = (slice: { label: string; share: number }) =>
    `${slice.label}: ${formatValue(Math.round((slice.share / total) * 1000) / 10)}%`;
  const onKeyDown = (event: KeyboardEvent) => {
    const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[event.key];
    if (step === undefined) return;
    event.preventDefault();
    setActive((current) => ((current ?? -step) + step + arcs.length) % arcs.length);
  };
  return (
    <div className="flex flex-col items-center gap-1">
      {plot.title ? <p className="text-[13px] font-medium text-slate-700 dark:text-slate-200">{plot.title}</p> : null}
      <svg
        width={width}
        height={height}
        role="img"
        aria-label={`${plot.title || "Pie chart"}: ${arcs.map(say).join(", ")}`}
        tabIndex={0}
        onKeyDown={onKeyDown}
        onBlur={() => setActive(null)}
        className="block max-w-full rounded-md focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-sky-500"
        data-testid="chart-plot"
      >
        {arcs.map((arc, index) => (
          <path
            key={index}
            d={
              arcs.length === 1
                ? `M ${point(0)} A ${radius} ${radius} 0 1 1 ${point(Math.PI)} A ${radius} ${radius} 0 1 1 ${point(0)} Z`
                : `M ${center.x},${center.y} L ${point(arc.start)} A ${radius} ${radius} 0 ${arc.end - arc.start > Math.PI ? 1 : 0} 1 ${point(arc.end)} Z`
            }
            fill={arc.color}
            stroke="white"
            strokeWidth={active === index ? 3 : 1}
            onPointerEnter={() => setActive(index)}
            onPointerLeave={() => setActive(null)}
            data-testid="chart-slice"
          />
        ))}
      </svg>
      <p className="min-h-5 text-xs text-slate-700 dark:text-slate-200" aria-live="polite" data-testid="chart-tooltip">
        {activeSlice ? say(activeSlice) : plot.slices.map((slice) => slice.label).join(" · ")}
      </p>
    </div>
  );
}
