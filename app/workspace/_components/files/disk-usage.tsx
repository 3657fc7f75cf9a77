"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "../../../_trpc/client";
import { formatBytes } from "../../_lib/format";
import { useSandbox } from "../../_lib/sandbox-context";

/** How full the workspace's disk is, as a bar; refreshed with the file tree (both are `files.*` queries). */
export function DiskUsage() {
  const trpc = useTRPC();
  const sandbox = useSandbox();
  const usage = useQuery(trpc.files.usage.queryOptions(undefined, { enabled: sandbox.filesReady, refetchInterval: 60_000 }));
  if (!usage.data) return null;
  const { usedBytes, totalBytes } = usage.data;
  const ratio = totalBytes > 0 ? Math.min(1, usedBytes / totalBytes) : 0;
  const full = totalBytes - usedBytes < 1024 * 1024;
  const tone = full ? "bg-rose-600" : ratio > 0.9 ? "bg-amber-500" : "bg-sky-600";
  return (
    <div className="px-4 pt-2.5" data-testid="disk-usage">
      <div className="flex items-baseline justify-between text-xs text-slate-600 dark:text-slate-400">
        <span>Disk</span>
        <span data-testid="disk-usage-text">
          {formatBytes(usedBytes)} of {formatBytes(totalBytes)} used
        </span>
      </div>
      <div
        role="meter"
        aria-label="Workspace disk used"
        aria-valuemin={0}
        aria-valuemax={totalBytes}
        aria-valuenow={usedBytes}
        aria-valuetext={`${formatBytes(usedBytes)} of ${formatBytes(totalBytes)}`}
        className="mt-1 h-1.5 overflow-hidden rounded-full bg-slate-200 dark:bg-slate-800"
      >
        <div className={`h-full ${tone}`} style={{ width: `${(ratio * 100).toFixed(1)}%` }} />
      </div>
      {full ? (
        <p role="status" className="mt-1 text-xs text-rose-700 dark:text-rose-400" data-testid="disk-full">
          Your workspace is full. Delete files to make room, or ask an admin for a larger disk quota.
        </p>
      ) : null}
    </div>
  );
}
