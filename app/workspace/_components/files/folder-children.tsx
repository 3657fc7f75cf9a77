"use client";

import { useQuery } from "@tanstack/react-query";
import { CloudUpload, RefreshCw } from "lucide-react";
import { Skeleton } from "../../../_components/ui/skeleton";
import { useTRPC } from "../../../_trpc/client";
import { WORKSPACE_ROOT } from "../../_lib/paths";
import { FileRow, INDENT_PX } from "./file-row";
import { useFileTree } from "./tree-context";

/** A folder's entries, listed when the folder is first shown (lazy), with its open subfolders below them. */
export function FolderChildren({ dir, level }: { dir: string; level: number }) {
  const trpc = useTRPC();
  const tree = useFileTree();
  const listing = useQuery(trpc.files.list.queryOptions({ path: dir }, { enabled: tree.enabled }));
  const indent = { paddingLeft: 4 + (level - 1) * INDENT_PX + 22 };

  if (!listing.data) {
    if (listing.isError) {
      return (
        <div
          role="none"
          className="flex items-center gap-2 py-1.5 pr-2 text-xs text-rose-700 dark:text-rose-400"
          style={indent}
        >
          <span className="min-w-0 flex-1 truncate" title={listing.error.message}>
            {listing.error.message}
          </span>
          <button
            type="button"
            onClick={() => void listing.refetch()}
            className="inline-flex items-center gap-1 rounded px-1.5 py-0.5 font-medium hover:bg-rose-50 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-sky-500 dark:hover:bg-rose-950"
            data-testid="file-tree-retry"
          >
            <RefreshCw className="size-3" aria-hidden /> Retry
          </button>
        </div>
      );
    }
    return (
      <div role="none" aria-busy className="flex flex-col gap-1.5 py-1.5" data-testid="file-tree-loading">
        {[72, 56, 64].map((width) => (
          <div key={width} className="flex items-center gap-2" style={{ paddingLeft: indent.paddingLeft - 18 }}>
            <Skeleton className="size-4" />
            <div style={{ width: `${width}%` }}>
              <Skeleton className="h-3.5 w-full" />
            </div>
          </div>
        ))}
      </div>
    );
  }

  const { entries, truncated } = listing.data;
  if (entries.length === 0) {
    if (dir === WORKSPACE_ROOT) return <EmptyWorkspace />;
    return (
      <div role="none" className="py-1 text-xs italic text-slate-400" style={indent}>
        Empty folder
      </div>
    );
  }
  return (
    <>
      {entries.map((entry, index) => (
        <div role="none" key={entry.path}>
          <FileRow
            entry={entry}
            level={level}
            position={index + 1}
            setSize={entries.length}
            firstInTree={dir === WORKSPACE_ROOT && index === 0}
          />
          {entry.isDir && tree.expanded.has(entry.path) ? (
            <div role="group" aria-label={entry.name}>
              <FolderChildren dir={entry.path} level={level + 1} />
            </div>
          ) : null}
        </div>
      ))}
      {truncated ? (
        <div role="none" className="py-1 text-xs text-amber-700 dark:text-amber-400" style={indent}>
          Showing the first {entries.length} entries. Use the console to see the rest.
        </div>
      ) : null}
    </>
  );
}

function EmptyWorkspace() {
  return (
    <div
      role="none"
      className="mx-2 mt-2 flex flex-col items-center gap-2 rounded-lg border border-dashed border-slate-300 px-4 py-8 text-center dark:border-slate-700"
      data-testid="file-tree-empty"
    >
      <CloudUpload className="size-8 text-slate-400" aria-hidden />
      <p className="text-sm font-medium">No files yet</p>
      <p className="text-xs text-slate-500 dark:text-slate-400">
        Drop files here or use Upload. Everything you add to your workspace is kept between sessions.
      </p>
    </div>
  );
}
