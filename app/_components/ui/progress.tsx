"use client";

import * as ProgressPrimitive from "@radix-ui/react-progress";
import { cn } from "../../_lib/cn";

/** A determinate bar for 0–100, or an indeterminate shimmer when value is null. */
export function Progress({ value, className, label }: { value: number | null; className?: string; label: string }) {
  return (
    <ProgressPrimitive.Root
      aria-label={label}
      value={value}
      className={cn("relative h-2 w-full overflow-hidden rounded-full bg-slate-200 dark:bg-slate-800", className)}
    >
      <ProgressPrimitive.Indicator
        className={cn("h-full bg-sky-600 transition-[width] duration-300", value === null && "w-1/3 animate-pulse")}
        style={value === null ? undefined : { width: `${Math.max(0, Math.min(100, value))}%` }}
      />
    </ProgressPrimitive.Root>
  );
}
