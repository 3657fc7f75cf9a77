"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "../../../_trpc/client";
import { formatBytes } from "../../_lib/format";
import { displayPath } from "../../_lib/paths";
import type { FileEntry } from "../../_lib/types";

function plural(count: number, word: string): string {
  return `${new Intl.NumberFormat().format(count)} ${word}${count === 1 ? "" : "s"}`;
}

/** What a delete removes, in numbers: a folder's files and their size (counted in the sandbox), or the file's size. */
export function DeleteDescription({ entry }: { entry: FileEntry }) {
  const trpc = useTRPC();
  const summary = useQuery(trpc.files.folderSummary.queryOptions({ path: entry.path }, { enabled: entry.isDir, staleTime: 0, retry: false }));

  if (!entry.isDir) {
    return (
      <p>
        {displayPath(entry.path)} ({formatBytes(entry.size)}) will be removed from your workspace. This can&apos;t be undone.
      </p>
    );
  }
  const data = summary.data;
  const contents = data
    ? data.files === 0
      ? "The folder is empty; it will be removed from your workspace."
      : `The folder holds ${data.atLeast ? "at least " : ""}${plural(data.files, "file")} (${data.atLeast ? "at least " : ""}${formatBytes(data.totalBytes)}); they and every subfolder will be removed from your workspace.`
    : summary.isError
      ? "The folder and everything inside it will be removed from your workspace (its files could not be counted)."
      : "Counting the files in this folder…";
  return (
    <p data-testid="delete-dialog-summary" data-state={data ? "counted" : summary.isError ? "failed" : "counting"}>
      {contents} This can&apos;t be undone.
    </p>
  );
}
