import { CircleAlert, CircleCheck, LoaderCircle } from "lucide-react";
import { cn } from "../../../_lib/cn";
import { formatDuration } from "../../_lib/format";
import type { Job } from "../../_lib/types";

/** Running (with how long so far), or the exit code and how long it ran. */
export function JobStatus({ job, now }: { job: Job; now: number }) {
  const took = formatDuration(Math.max(0, (job.endedAt ?? now) - job.startedAt));
  if (job.running) {
    return (
      <span className="inline-flex items-center gap-1 text-sky-600 dark:text-sky-400" data-testid="job-running">
        <LoaderCircle className="size-3.5 animate-spin" aria-hidden /> running · {took}
      </span>
    );
  }
  const ok = job.exitCode === 0;
  return (
    <span
      className={cn(
        "inline-flex items-center gap-1",
        ok ? "text-emerald-600 dark:text-emerald-400" : "text-rose-600 dark:text-rose-400",
      )}
      data-testid="job-exit"
      data-exit-code={job.exitCode ?? ""}
    >
      {ok ? <CircleCheck className="size-3.5" aria-hidden /> : <CircleAlert className="size-3.5" aria-hidden />}
      exit {job.exitCode ?? "?"} · {took}
    </span>
  );
}
