"use client";

import { Check, X } from "lucide-react";
import { Progress } from "../../../_components/ui/progress";
import { formatBytes } from "../../_lib/format";
import { displayPath } from "../../_lib/paths";
import type { Upload } from "../../_lib/use-uploads";

/** Uploads in flight, one bar per file, each with a cancel button. */
export function UploadList({ uploads, onCancel }: { uploads: Upload[]; onCancel: (id: number) => void }) {
  if (uploads.length === 0) return null;
  return (
    <ul aria-label="Uploads" className="flex flex-col gap-2 border-t border-slate-200 p-3 dark:border-slate-800">
      {uploads.map((upload) => {
        const percent = upload.total > 0 ? Math.round((upload.loaded / upload.total) * 100) : 0;
        const done = upload.status === "done";
        return (
          <li
            key={upload.id}
            className="flex flex-col gap-1.5"
            data-testid="upload-progress"
            data-status={upload.status}
            data-path={upload.path}
          >
            <div className="flex items-center gap-2 text-xs">
              <span className="min-w-0 flex-1 truncate font-medium" title={displayPath(upload.path)}>
                {upload.name}
              </span>
              <span className="shrink-0 tabular-nums text-slate-500">
                {done ? (
                  <span className="inline-flex items-center gap-1 text-emerald-600 dark:text-emerald-400">
                    <Check className="size-3.5" aria-hidden /> Uploaded
                  </span>
                ) : upload.files ? (
                  `${upload.files.done} of ${upload.files.total} files · ${formatBytes(upload.loaded)} of ${formatBytes(upload.total)}`
                ) : (
                  `${formatBytes(upload.loaded)} of ${formatBytes(upload.total)}`
                )}
              </span>
              {done ? null : (
                <button
                  type="button"
                  onClick={() => onCancel(upload.id)}
                  aria-label={`Cancel uploading ${upload.name}`}
                  className="rounded p-0.5 text-slate-500 hover:bg-slate-100 hover:text-slate-900 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-sky-500 dark:hover:bg-slate-800 dark:hover:text-slate-100"
                  data-testid="upload-cancel"
                >
                  <X className="size-3.5" aria-hidden />
                </button>
              )}
            </div>
            <Progress value={done ? 100 : percent} label={`Uploading ${upload.name}`} className="h-1.5" />
          </li>
        );
      })}
    </ul>
  );
}
