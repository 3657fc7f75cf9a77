import type { ColumnStats } from "../../_lib/table/column-stats";

// A column at a glance, under its name: missing cells, distinct values, and a
// tiny histogram (numbers) or the most frequent values (everything else), over
// the rows the filter kept.

const number = new Intl.NumberFormat(undefined, { maximumSignificantDigits: 4 });
const count = new Intl.NumberFormat();

export function ColumnSummary({ stats, filtered, testId }: { stats: ColumnStats; filtered: boolean; testId: string }) {
  return (
    <div
      className="mt-1.5 flex w-40 flex-col gap-1 text-[11px] font-normal text-slate-600 dark:text-slate-400"
      data-testid={testId}
    >
      <p>
        <span data-testid={`${testId}-missing`} data-missing={stats.missing}>
          {count.format(stats.missing)} missing
        </span>{" "}
        · {count.format(stats.distinct)} distinct
      </p>
      {filtered ? (
        <p data-testid={`${testId}-scope`}>
          of {count.format(stats.count)} filtered {stats.count === 1 ? "row" : "rows"}
        </p>
      ) : null}
      {stats.histogram && stats.histogram.length > 0 ? (
        <>
          <Histogram bins={stats.histogram} />
          <p className="flex justify-between tabular-nums">
            <span>{number.format(stats.min!)}</span>
            <span>{number.format(stats.max!)}</span>
          </p>
        </>
      ) : null}
      {stats.top && stats.top.length > 0 ? (
        <ol className="flex flex-col gap-0.5" aria-label="Most frequent values">
          {stats.top.slice(0, 3).map((top) => (
            <li key={top.value} className="flex items-center gap-1">
              <span className="min-w-0 flex-1 truncate" title={top.value}>
                {top.value}
              </span>
              <span className="shrink-0 tabular-nums text-slate-400">{count.format(top.count)}</span>
            </li>
          ))}
        </ol>
      ) : null}
    </div>
  );
}

function Histogram({ bins }: { bins: NonNullable<ColumnStats["histogram"]> }) {
  const tallest = Math.max(...bins.map((bin) => bin.count));
  const width = 160 / bins.length;
  const label = bins.map((bin) => `${number.format(bin.from)}–${number.format(bin.to)}: ${bin.count}`).join("; ");
  return (
    <svg viewBox="0 0 160 32" className="h-8 w-40" role="img" aria-label={`Histogram: ${label}`}>
      {bins.map((bin, index) => {
        const height = tallest === 0 ? 0 : Math.max(1, (bin.count / tallest) * 32);
        return (
          <rect
            key={index}
            x={index * width + 0.5}
            y={32 - height}
            width={width - 1}
            height={height}
            className="fill-sky-500/70 dark:fill-sky-400/70"
          >
            <title>{`${number.format(bin.from)} – ${number.format(bin.to)}: ${bin.count}`}</title>
          </rect>
        );
      })}
    </svg>
  );
}
