"use client";

import { cn } from "../../_lib/cn";

/** One toggle button per series: pressed while the series is shown. */
export function ChartLegend({
  series,
  hidden,
  onToggle,
}: {
  series: { id: string; label: string; color: string }[];
  hidden: ReadonlySet<string>;
  onToggle: (id: string) => void;
}) {
  return (
    <div className="flex flex-wrap justify-center gap-1.5" role="group" aria-label="Series">
      {series.map((item) => {
        const shown = !hidden.has(item.id);
        return (
          <button
            key={item.id}
            type="button"
            aria-pressed={shown}
            onClick={() => onToggle(item.id)}
            className={cn(
              "inline-flex min-h-7 items-center gap-1.5 rounded-md border border-slate-200 px-2 text-xs text-slate-700 hover:bg-slate-100 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-sky-500 dark:border-slate-700 dark:text-slate-200 dark:hover:bg-slate-800",
              !shown && "text-slate-400 line-through dark:text-slate-500",
            )}
            title={shown ? `Hide ${item.label}` : `Show ${item.label}`}
            data-testid="chart-legend-item"
          >
            <span
              aria-hidden
              className="size-2.5 rounded-sm"
              style={{ background: shown ? item.color : "transparent", border: `1.5px solid ${item.color}` }}
            />
            {item.label}
          </button>
        );
      })}
    </div>
  );
}
