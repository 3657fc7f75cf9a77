"use client";

import { useLayoutEffect, useRef } from "react";
import { useJobOutput } from "../../_lib/use-jobs";
import type { Job } from "../../_lib/types";

const STICK_THRESHOLD_PX = 48;

/** A job's output (stderr in red), growing live while it runs; it stays scrolled to the end unless the user scrolls up. */
export function JobOutputView({ job }: { job: Job }) {
  const output = useJobOutput(job);
  const box = useRef<HTMLPreElement>(null);
  const stick = useRef(true);

  useLayoutEffect(() => {
    const element = box.current;
    if (element && stick.current) element.scrollTop = element.scrollHeight;
  }, [output]);

  const empty = output.stdout.text.length === 0 && output.stderr.text.length === 0;
  return (
    <div className="flex min-h-0 flex-1 flex-col">
      {output.stdout.cut || output.stderr.cut ? (
        <p className="px-4 pt-2 text-xs italic text-slate-500">
          … earlier output is no longer kept (the last 1 MB of each stream is)
        </p>
      ) : null}
      <pre
        ref={box}
        className="min-h-0 flex-1 overflow-y-auto whitespace-pre-wrap break-all px-4 py-3 font-mono text-[13px] leading-5 text-slate-700 dark:text-slate-300"
        role="log"
        aria-label={`Output of ${job.command}`}
        tabIndex={0}
        data-testid="job-output"
        onScroll={(event) => {
          const element = event.currentTarget;
          stick.current = element.scrollHeight - element.scrollTop - element.clientHeight < STICK_THRESHOLD_PX;
        }}
      >
        {empty ? (
          <span className="font-sans text-sm italic text-slate-500">
            {job.running ? "No output yet." : "No output."}
          </span>
        ) : null}
        {output.stdout.text}
        {output.stderr.text ? (
          <span className="text-rose-600 dark:text-rose-400" data-stream="stderr">
            {output.stderr.text}
          </span>
        ) : null}
      </pre>
      {output.error ? <p className="px-4 pb-2 text-sm text-rose-600 dark:text-rose-400">{output.error}</p> : null}
    </div>
  );
}
