import type { TextareaHTMLAttributes } from "react";
import { cn } from "../../_lib/cn";

export function Textarea({ className, ...props }: TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return (
    <textarea
      className={cn(
        "min-h-20 w-full rounded-md border border-slate-300 bg-white px-3 py-2 font-mono text-sm shadow-sm placeholder:font-sans placeholder:text-slate-400 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-sky-500 aria-[invalid=true]:border-rose-500 dark:border-slate-700 dark:bg-slate-900",
        className,
      )}
      {...props}
    />
  );
}
