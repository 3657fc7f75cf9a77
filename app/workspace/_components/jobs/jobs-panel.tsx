"use client";

import { Layers, Square } from "lucide-react";
import { useEffect, useState } from "react";
import { cn } from "../../../_lib/cn";
import { Button } from "../../../_components/ui/button";
import { useJobActions, useJobs } from "../../_lib/use-jobs";
import { JobOutputView } from "./job-output-view";
import { JobStatus } from "./job-status";

/** Re-renders every second while `active`, for running times. */
function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

/**
 * Background jobs in the sandbox (started from the console or by the agent): each one's state, live output and
 * exit, and Stop. They keep running when the page closes, and end with the sandbox.
 */
export function JobsPanel() {
  const { data: view, error } = useJobs();
  const { stop } = useJobActions();
  const jobs = view?.jobs ?? [];
  const [selectedKey, setSelectedKey] = useState<string | null>(null);
  const now = useNow(jobs.some((job) => job.running));
  const keyOf = (job: { id: string; startedAt: number }) => `${job.id}@${job.startedAt}`;
  // The newest job until the user picks one (and again when the picked one is gone).
  const selected = jobs.find((job) => keyOf(job) === selectedKey) ?? jobs[0] ?? null;

  return (
    <section
      aria-label="Background jobs"
      className="flex h-full min-h-0 flex-col bg-white dark:bg-slate-950"
      data-testid="jobs-panel"
    >
      <div className="flex h-10 shrink-0 items-center gap-2 border-b border-slate-200 px-4 text-xs text-slate-500 dark:border-slate-800 dark:text-slate-400">
        <span className="flex-1 truncate">
          Background jobs keep running when you leave, and end when the sandbox stops.
        </span>
      </div>
      {error ? (
        <p
          className="m-4 rounded-lg bg-rose-50 px-3 py-2 text-sm text-rose-700 dark:bg-rose-950/50 dark:text-rose-300"
          data-testid="jobs-error"
        >
          {error.message}
        </p>
      ) : jobs.length === 0 ? (
        <div
          className="flex flex-1 flex-col items-center justify-center gap-3 p-8 text-center"
          data-testid="jobs-empty"
        >
          <div className="grid size-14 place-items-center rounded-2xl bg-slate-100 dark:bg-slate-800">
            <Layers className="size-7 text-slate-500 dark:text-slate-400" aria-hidden />
          </div>
          <p className="font-medium text-slate-900 dark:text-slate-100">No background jobs</p>
          <p className="max-w-md text-sm text-slate-500 dark:text-slate-400">
            {view?.sandbox === "asleep"
              ? "The sandbox is asleep: jobs end with it, and files in /workspace are intact."
              : "Start long work from the Console with “Run in background”, or ask the agent to run it in the background."}
          </p>
        </div>
      ) : (
        <>
          <ul
            className="max-h-[40%] shrink-0 overflow-y-auto border-b border-slate-200 dark:border-slate-800"
            data-testid="jobs-list"
          >
            {jobs.map((job) => {
              const isSelected = selected !== null && keyOf(job) === keyOf(selected);
              return (
                <li
                  key={keyOf(job)}
                  className={cn("flex items-center gap-2 px-2 py-1", isSelected && "bg-sky-50 dark:bg-sky-950/40")}
                  data-testid={`job-${job.id}`}
                  data-running={job.running}
                >
                  <button
                    type="button"
                    onClick={() => setSelectedKey(keyOf(job))}
                    aria-pressed={isSelected}
                    className="flex min-w-0 flex-1 flex-col items-start gap-0.5 rounded-md px-2 py-1 text-left focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-sky-500"
                    data-testid="job-select"
                  >
                    <span
                      className="w-full truncate font-mono text-[13px] text-slate-900 dark:text-slate-100"
                      data-testid="job-command"
                    >
                      {job.command}
                    </span>
                    <span className="text-xs">
                      <JobStatus job={job} now={now} />
                    </span>
                  </button>
                  {job.running ? (
                    <Button
                      variant="secondary"
                      size="sm"
                      onClick={() => stop.mutate({ id: job.id })}
                      disabled={stop.isPending && stop.variables?.id === job.id}
                      aria-label={`Stop ${job.command}`}
                      data-testid="job-stop"
                    >
                      <Square aria-hidden className="fill-current" />
                      Stop
                    </Button>
                  ) : null}
                </li>
              );
            })}
          </ul>
          {selected ? <JobOutputView key={keyOf(selected)} job={selected} /> : null}
        </>
      )}
    </section>
  );
}
