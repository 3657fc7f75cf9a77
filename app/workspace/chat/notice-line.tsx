import { Info, TriangleAlert } from "lucide-react";
import type { ReactNode } from "react";
import { cn } from "../../_lib/cn";

/** A one-line note inside a step: a restart, a cut output. */
export function NoticeLine({ tone = "info", children, testId }: { tone?: "info" | "warning"; children: ReactNode; testId?: string }) {
  const Icon = tone === "warning" ? TriangleAlert : Info;
  return (
    <p
      className={cn(
        "flex items-start gap-2 rounded-lg px-3 py-2 text-xs",
        tone === "warning" ? "bg-amber-50 text-amber-900 dark:bg-amber-950/40 dark:text-amber-200" : "bg-sky-50 text-sky-900 dark:bg-sky-950/40 dark:text-sky-200",
      )}
      data-testid={testId}
    >
      <Icon className="mt-px size-3.5 shrink-0" aria-hidden />
      <span>{children}</span>
    </p>
  );
}
