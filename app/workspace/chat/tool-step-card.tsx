"use client";

import { ChevronRight, type LucideIcon } from "lucide-react";
import { useId, useState, type ReactNode } from "react";
import { cn } from "../../_lib/cn";
import { formatDuration } from "../_lib/format";
import type { StepStatus } from "./_lib/tool-parts";
import { StepStatusBadge } from "./step-status-badge";

type ToolStepCardProps = {
  tool: string;
  icon: LucideIcon;
  /** One line: what the step did ("Ran Python", "$ wc -l sales.csv", "Read sales.csv"). */
  title: ReactNode;
  /** A muted hint after the title, e.g. the first line of the code. */
  hint?: ReactNode;
  status: StepStatus;
  statusLabel?: string;
  durationMs?: number;
  /** A link beside the title (a file tool's path); outside the toggle so both work. */
  link?: ReactNode;
  /** Shown when open: the code, the output. */
  details?: ReactNode;
  /** Always shown under the header: charts, tables, file links, notices. */
  attachments?: ReactNode;
};

/**
 * One tool call as a card: a header that opens and closes the details (open by
 * itself while the step runs or when it failed), and its results underneath.
 */
export function ToolStepCard({ tool, icon: Icon, title, hint, status, statusLabel, durationMs, link, details, attachments }: ToolStepCardProps) {
  const [chosen, setChosen] = useState<boolean | null>(null);
  const automatic = status === "preparing" || status === "running" || status === "failed";
  const open = details ? (chosen ?? automatic) : false;
  const detailsId = useId();
  const toggle = () => details && setChosen(!open);

  return (
    <div
      className="overflow-hidden rounded-xl border border-slate-200 bg-white shadow-xs dark:border-slate-800 dark:bg-slate-900/60"
      data-testid="tool-step"
      data-tool={tool}
      data-status={status}
    >
      {/* The button is the toggle for keyboards and screen readers; the rest of the header also toggles on click. */}
      <div
        className={cn("flex items-center gap-2.5 px-3 py-2 text-sm", details && "cursor-pointer transition-colors hover:bg-slate-50 dark:hover:bg-slate-800/50")}
        onClick={toggle}
      >
        <button
          type="button"
          className="flex min-w-0 flex-1 items-center gap-2.5 rounded-md text-left focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-sky-500 disabled:cursor-default"
          aria-expanded={details ? open : undefined}
          aria-controls={open ? detailsId : undefined}
          disabled={!details}
          onClick={(event) => {
            event.stopPropagation();
            toggle();
          }}
          data-testid="tool-step-toggle"
        >
          <span className="grid size-6 shrink-0 place-items-center rounded-md bg-slate-100 text-slate-600 dark:bg-slate-800 dark:text-slate-300">
            <Icon className="size-3.5" aria-hidden />
          </span>
          <span className="flex min-w-0 flex-1 items-baseline gap-2">
            <span className="shrink-0 font-medium text-slate-900 dark:text-slate-100">{title}</span>
            {hint ? <span className="min-w-0 truncate font-mono text-xs text-slate-500 dark:text-slate-400">{hint}</span> : null}
          </span>
        </button>
        {link ? (
          <span className="min-w-0 shrink truncate" onClick={(event) => event.stopPropagation()}>
            {link}
          </span>
        ) : null}
        {durationMs && status !== "running" && status !== "preparing" ? (
          <span className="shrink-0 text-xs tabular-nums text-slate-500 dark:text-slate-400">{formatDuration(durationMs)}</span>
        ) : null}
        <StepStatusBadge status={status} label={statusLabel} />
        {details ? <ChevronRight className={cn("size-4 shrink-0 text-slate-400 transition-transform", open && "rotate-90")} aria-hidden /> : null}
      </div>
      {open ? (
        <div id={detailsId} className="flex flex-col gap-3 border-t border-slate-200 bg-slate-50/50 p-3 dark:border-slate-800 dark:bg-slate-950/30" data-testid="tool-step-details">
          {details}
        </div>
      ) : null}
      {attachments ? <div className="flex flex-col gap-3 border-t border-slate-200 p-3 dark:border-slate-800">{attachments}</div> : null}
    </div>
  );
}
