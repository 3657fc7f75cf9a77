"use client";

import { useEffect, useRef, useState } from "react";
import { nameProblem } from "../../_lib/paths";

/** Inline rename: Enter saves, Escape cancels, leaving the field saves. The file's extension starts unselected. */
export function RenameInput({
  name,
  onSubmit,
  onCancel,
}: {
  name: string;
  onSubmit: (name: string) => Promise<boolean>;
  onCancel: () => void;
}) {
  const [value, setValue] = useState(name);
  const [problem, setProblem] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const settled = useRef(false);

  useEffect(() => {
    const element = input.current;
    if (!element) return;
    element.focus();
    const dot = name.lastIndexOf(".");
    element.setSelectionRange(0, dot > 0 ? dot : name.length);
  }, [name]);

  async function commit() {
    if (settled.current) return;
    const next = value.trim();
    if (next === name) {
      settled.current = true;
      onCancel();
      return;
    }
    const issue = nameProblem(next);
    if (issue) {
      setProblem(issue);
      return;
    }
    settled.current = true;
    if (!(await onSubmit(next))) settled.current = false;
  }

  return (
    <span className="flex min-w-0 flex-1 flex-col">
      <input
        ref={input}
        value={value}
        aria-label={`New name for ${name}`}
        aria-invalid={!!problem}
        data-testid="rename-input"
        onChange={(event) => {
          setValue(event.target.value);
          setProblem(null);
        }}
        onClick={(event) => event.stopPropagation()}
        onKeyDown={(event) => {
          event.stopPropagation();
          if (event.key === "Enter") void commit();
          if (event.key === "Escape") {
            settled.current = true;
            onCancel();
          }
        }}
        onBlur={() => void commit()}
        className="h-6 w-full min-w-0 rounded border border-sky-500 bg-white px-1.5 text-sm outline-none ring-2 ring-sky-500/30 aria-[invalid=true]:border-rose-500 aria-[invalid=true]:ring-rose-500/30 dark:bg-slate-950"
      />
      {problem ? <span className="mt-0.5 text-xs text-rose-600 dark:text-rose-400">{problem}</span> : null}
    </span>
  );
}
