import { ChevronDown, LoaderCircle } from "lucide-react";
import type { ComponentProps } from "react";
import { cn } from "../../../_lib/cn";
import type { StateCopy } from "../../_lib/sandbox-copy";

const TONES: Record<StateCopy["tone"], { dot: string; pill: string }> = {
  good: {
    dot: "bg-emerald-500",
    pill: "border-emerald-200 bg-emerald-50 text-emerald-800 dark:border-emerald-900 dark:bg-emerald-950/60 dark:text-emerald-300",
  },
  busy: {
    dot: "bg-sky-500",
    pill: "border-sky-200 bg-sky-50 text-sky-800 dark:border-sky-900 dark:bg-sky-950/60 dark:text-sky-300",
  },
  idle: {
    dot: "bg-amber-400",
    pill: "border-amber-200 bg-amber-50 text-amber-900 dark:border-amber-900 dark:bg-amber-950/50 dark:text-amber-300",
  },
  neutral: {
    dot: "bg-slate-400",
    pill: "border-slate-200 bg-white text-slate-700 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-300",
  },
};

/** The sandbox's state as a coloured pill; a button that opens the details and actions. */
export function StatusPill({
  copy,
  label,
  busy,
  className,
  ...props
}: ComponentProps<"button"> & { copy: StateCopy; label: string; busy: boolean }) {
  const tone = TONES[copy.tone];
  return (
    <button
      type="button"
      className={cn(
        "inline-flex h-8 items-center gap-2 rounded-full border pl-3 pr-2 text-xs font-medium transition-colors hover:brightness-95 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-sky-500 focus-visible:ring-offset-2 dark:hover:brightness-125 dark:focus-visible:ring-offset-slate-950",
        tone.pill,
        className,
      )}
      {...props}
    >
      {busy ? (
        <LoaderCircle className="size-3.5 animate-spin" aria-hidden />
      ) : (
        <span className="relative flex size-2" aria-hidden>
          {copy.tone === "good" ? (
            <span className="absolute inline-flex size-full animate-ping rounded-full bg-emerald-400 opacity-50" />
          ) : null}
          <span className={cn("relative inline-flex size-2 rounded-full", tone.dot)} />
        </span>
      )}
      <span>
        <span className="sr-only">Sandbox: </span>
        {label}
      </span>
      <ChevronDown className="size-3.5 opacity-60" aria-hidden />
    </button>
  );
}
