"use client";

import { CopyButton } from "../../chat/copy-button";

/** The pandas call that reads the file as the table shows it, to copy; the agent's loading hint is the same call. */
export function PandasCall({ code }: { code: string }) {
  return (
    <div
      className="flex shrink-0 items-center gap-2 border-t border-slate-200 px-4 py-1.5 text-xs text-slate-600 dark:border-slate-800 dark:text-slate-400"
      data-testid="preview-pandas"
    >
      <span className="shrink-0" title="The agent is told to load the file this way too">
        Load in Python:
      </span>
      <code
        className="min-w-0 flex-1 truncate font-mono text-slate-800 dark:text-slate-200"
        title={code}
        data-testid="preview-pandas-code"
      >
        {code}
      </code>
      <CopyButton text={code} label="Copy the pandas call" className="shrink-0" />
    </div>
  );
}
