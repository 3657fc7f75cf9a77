import { CircleAlert, CircleCheck, CircleStop, LoaderCircle, RotateCcw } from "lucide-react";
import { memo } from "react";
import { cn } from "../../../_lib/cn";
import { formatBytes, formatDuration } from "../../_lib/format";
import type { CommandRun, ConsoleEntry } from "../../_lib/use-console";

function RunStatus({ run }: { run: CommandRun }) {
  if (run.state === "running") {
    return (
      <span className="inline-flex items-center gap-1 text-sky-600 dark:text-sky-400">
        <LoaderCircle className="size-3.5 animate-spin" aria-hidden /> running
      </span>
    );
  }
  const duration = run.durationMs === undefined ? "" : ` · ${formatDuration(run.durationMs)}`;
  if (run.state === "stopped") {
    return (
      <span className="inline-flex items-center gap-1 text-amber-600 dark:text-amber-400">
        <CircleStop className="size-3.5" aria-hidden /> stopped{duration}
      </span>
    );
  }
  if (run.state === "failed") {
    return (
      <span className="inline-flex items-center gap-1 text-rose-600 dark:text-rose-400">
        <CircleAlert className="size-3.5" aria-hidden /> didn&apos;t run{duration}
      </span>
    );
  }
  const ok = run.exitCode === 0;
  return (
    <span
      className={cn(
        "inline-flex items-center gap-1",
        ok ? "text-emerald-600 dark:text-emerald-400" : "text-rose-600 dark:text-rose-400",
      )}
      data-testid="console-exit-code"
      data-exit-code={run.exitCode}
    >
      {ok ? <CircleCheck className="size-3.5" aria-hidden /> : <CircleAlert className="size-3.5" aria-hidden />}
      exit {run.exitCode}
      {run.timedOut ? " (timed out)" : ""}
      {duration}
    </span>
  );
}

/** One command with its streamed output (stderr in red), exit code and duration; or a notice line. */
export const ConsoleEntryView = memo(function ConsoleEntryView({ entry }: { entry: ConsoleEntry }) {
  if (entry.kind === "notice") {
    return (
      <div
        className="my-3 flex items-center gap-2 text-xs text-amber-700 dark:text-amber-400"
        data-testid="console-notice"
      >
        <span className="h-px flex-1 bg-amber-300/60 dark:bg-amber-700/60" />
        <RotateCcw className="size-3.5" aria-hidden />
        {entry.text}
        <span className="h-px flex-1 bg-amber-300/60 dark:bg-amber-700/60" />
      </div>
    );
  }
  const hasOutput = entry.chunks.some((chunk) => chunk.text.length > 0);
  return (
    <div className="group py-1.5" data-testid="console-entry" data-state={entry.state}>
      <div className="flex items-baseline gap-3">
        <span className="select-none text-sky-600 dark:text-sky-400" aria-hidden>
          $
        </span>
        <span
          className="min-w-0 flex-1 whitespace-pre-wrap break-all font-semibold text-slate-900 dark:text-slate-100"
          data-testid="console-command"
        >
          {entry.command}
        </span>
        <span className="shrink-0 font-sans text-xs">
          <RunStatus run={entry} />
        </span>
      </div>
      {entry.trimmed ? (
        <p className="pl-5 text-xs italic text-slate-500">… earlier output hidden to keep the page fast</p>
      ) : null}
      {hasOutput ? (
        <pre className="mt-1 whitespace-pre-wrap break-all pl-5 text-slate-700 dark:text-slate-300">
          {entry.chunks.map((chunk, index) => (
            <span
              key={index}
              className={chunk.stream === "stderr" ? "text-rose-600 dark:text-rose-400" : undefined}
              data-stream={chunk.stream}
            >
              {chunk.text}
            </span>
          ))}
        </pre>
      ) : null}
      {entry.truncated ? (
        <p className="pl-5 text-xs italic text-amber-600 dark:text-amber-400" data-testid="console-truncated">
          {entry.keptBytes ? `Output was cut: showing the first ${formatBytes(entry.keptBytes)}${entry.totalBytes ? ` of ${formatBytes(entry.totalBytes)}` : ""}, as much as the sandbox keeps for one command.` : "Output was cut at the sandbox's limit."}
        </p>
      ) : null}
      {entry.error ? <p className="pl-5 font-sans text-sm text-rose-600 dark:text-rose-400">{entry.error}</p> : null}
    </div>
  );
});
