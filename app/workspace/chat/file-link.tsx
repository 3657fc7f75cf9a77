"use client";

import { Download, FileText } from "lucide-react";
import { useContext } from "react";
import { baseName, displayPath, downloadUrl } from "../_lib/paths";
import { WorkspaceNavContext } from "../_lib/workspace-nav";

const linkClass =
  "rounded font-mono text-xs text-sky-700 underline decoration-sky-300 underline-offset-2 hover:text-sky-900 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-sky-500 dark:text-sky-400 dark:decoration-sky-700 dark:hover:text-sky-300";

/** A file in the workspace the agent wrote or read: opens in the Preview tab, with a download button beside it. */
export function FileLink({ path, label }: { path: string; label?: string }) {
  const nav = useContext(WorkspaceNavContext);
  const text = label ?? displayPath(path);
  return (
    <span className="inline-flex max-w-full items-center gap-1" data-testid="tool-file-link" data-path={path}>
      {nav ? (
        <button type="button" onClick={() => nav.openFile(path)} className={`inline-flex min-w-0 items-center gap-1 ${linkClass}`} title={`Show ${text} in Preview`}>
          <FileText className="size-3.5 shrink-0" aria-hidden />
          <span className="truncate">{text}</span>
        </button>
      ) : (
        <a href={downloadUrl(path, { inline: true })} target="_blank" rel="noreferrer" className={`inline-flex min-w-0 items-center gap-1 ${linkClass}`}>
          <FileText className="size-3.5 shrink-0" aria-hidden />
          <span className="truncate">{text}</span>
        </a>
      )}
      <a
        href={downloadUrl(path)}
        download={baseName(path)}
        aria-label={`Download ${text}`}
        title={`Download ${text}`}
        className="rounded p-0.5 text-slate-500 hover:text-slate-900 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-sky-500 dark:text-slate-400 dark:hover:text-slate-100"
      >
        <Download className="size-3.5" aria-hidden />
      </a>
    </span>
  );
}
