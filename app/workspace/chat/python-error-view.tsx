import { CircleAlert } from "lucide-react";
import type { RunPythonOutput } from "./_lib/tool-parts";

type KernelError = NonNullable<RunPythonOutput["error"]>;

/** A Python exception: its name and message first, then the traceback as Python prints it. */
export function PythonErrorView({ error }: { error: KernelError }) {
  return (
    <section className="overflow-hidden rounded-lg border border-rose-200 dark:border-rose-900/60" data-testid="tool-error" aria-label="Python error">
      <p className="flex items-start gap-2 bg-rose-50 px-3 py-2 text-sm font-medium text-rose-900 dark:bg-rose-950/50 dark:text-rose-200">
        <CircleAlert className="mt-0.5 size-4 shrink-0" aria-hidden />
        <span className="break-words font-mono text-[13px]">
          {error.name}
          {error.value ? `: ${error.value}` : ""}
        </span>
      </p>
      {error.traceback ? (
        <pre className="max-h-64 overflow-auto whitespace-pre-wrap break-words border-t border-rose-200 bg-white px-3 py-2 font-mono text-[12px] leading-5 text-rose-900/90 dark:border-rose-900/60 dark:bg-slate-950 dark:text-rose-200/90">
          {error.traceback}
        </pre>
      ) : null}
    </section>
  );
}
