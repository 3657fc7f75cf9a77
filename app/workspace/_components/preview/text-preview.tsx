import { useMemo } from "react";

const MAX_LINES = 5000;

/** Text or code in a monospace block with line numbers; long files show their first lines. */
export function TextPreview({ text, note, testId = "preview-text" }: { text: string; note?: string; testId?: string }) {
  const { lines, total } = useMemo(() => {
    const all = text.replace(/\n$/, "").split(/\r?\n/);
    return { lines: all.slice(0, MAX_LINES), total: all.length };
  }, [text]);
  const gutter = useMemo(() => lines.map((_line, index) => index + 1).join("\n"), [lines]);

  return (
    <div className="flex min-h-0 flex-1 flex-col">
      {note ? (
        <p className="shrink-0 border-b border-slate-200 bg-slate-50 px-4 py-2 text-xs text-slate-500 dark:border-slate-800 dark:bg-slate-900 dark:text-slate-400">
          {note}
        </p>
      ) : null}
      <div className="min-h-0 flex-1 overflow-auto bg-white dark:bg-slate-950" data-testid={testId}>
        {text.length === 0 ? (
          <p className="p-6 text-sm italic text-slate-500">This file is empty.</p>
        ) : (
          <div className="grid min-w-max grid-cols-[auto_1fr] font-mono text-[13px] leading-5">
            <pre
              aria-hidden
              className="select-none border-r border-slate-200 bg-slate-50 px-3 py-3 text-right text-slate-400 dark:border-slate-800 dark:bg-slate-900/60 dark:text-slate-600"
            >
              {gutter}
            </pre>
            <pre className="px-4 py-3 text-slate-800 dark:text-slate-200">
              <code>{lines.join("\n")}</code>
            </pre>
          </div>
        )}
      </div>
      {total > MAX_LINES ? (
        <p className="shrink-0 border-t border-slate-200 px-4 py-2 text-xs text-slate-500 dark:border-slate-800">
          Showing the first {MAX_LINES.toLocaleString()} of {total.toLocaleString()} lines.
        </p>
      ) : null}
    </div>
  );
}
