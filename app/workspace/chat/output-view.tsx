import { cn } from "../../_lib/cn";

type OutputViewProps = { label: string; text: string; tone?: "plain" | "stderr" | "error"; live?: boolean; testId?: string };

/** Program output as it was printed: stdout plain, stderr and errors in red; a caret while it is still running. */
export function OutputView({ label, text, tone = "plain", live, testId }: OutputViewProps) {
  return (
    <section aria-label={label} className="flex flex-col gap-1" data-testid={testId}>
      <h4 className="text-[11px] font-medium uppercase tracking-wide text-slate-500 dark:text-slate-400">{label}</h4>
      <pre
        className={cn(
          "max-h-80 overflow-auto whitespace-pre-wrap break-words rounded-lg border px-3 py-2 font-mono text-[12.5px] leading-5",
          tone === "plain" && "border-slate-200 bg-white text-slate-800 dark:border-slate-800 dark:bg-slate-950 dark:text-slate-200",
          tone === "stderr" && "border-amber-200 bg-amber-50/60 text-amber-900 dark:border-amber-900/60 dark:bg-amber-950/30 dark:text-amber-200",
          tone === "error" && "border-rose-200 bg-rose-50/70 text-rose-900 dark:border-rose-900/60 dark:bg-rose-950/30 dark:text-rose-200",
        )}
        aria-live={live ? "polite" : undefined}
      >
        {text}
        {live ? <span aria-hidden className="ml-0.5 inline-block h-3.5 w-1.5 translate-y-0.5 animate-pulse bg-sky-500" /> : null}
      </pre>
    </section>
  );
}
