"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useCallback, useMemo } from "react";
import { flushSync } from "react-dom";
import { toast } from "../../_components/toaster";
import { useTRPC } from "../../_trpc/client";
import { displayPath } from "./paths";
import { refetchAfterChange } from "../../_lib/refetch-after-change";

/**
 * Rename, delete and new folder, each saying what went wrong in a toast, then refreshing the tree.
 * `then` runs between success and the refresh, so the preview can follow a renamed or deleted
 * file before its old path would be fetched again.
 */
export function useFileActions() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = useCallback(() => refetchAfterChange(queryClient, trpc.files.pathFilter()), [queryClient, trpc]);

  const move = useMutation(
    trpc.files.move.mutationOptions({
      onError: (error, input) => toast.error(`Couldn't rename ${displayPath(input.from)}`, error.message),
    }),
  );
  const remove = useMutation(
    trpc.files.delete.mutationOptions({
      onSuccess: (result) => toast.success(`Deleted ${displayPath(result.path)}`),
      onError: (error, input) => toast.error(`Couldn't delete ${displayPath(input.path)}`, error.message),
    }),
  );
  const mkdir = useMutation(
    trpc.files.mkdir.mutationOptions({
      onError: (error, input) => toast.error(`Couldn't create ${displayPath(input.path)}`, error.message),
    }),
  );

  // Each resolves to whether it worked; the toast already told the user why not.
  const { mutateAsync: moveAsync } = move;
  const { mutateAsync: removeAsync } = remove;
  const { mutateAsync: mkdirAsync } = mkdir;
  return useMemo(() => {
    const settle = (work: Promise<unknown>, then?: () => void) =>
      work.then(
        () => {
          // Rendered at once, so a preview of the old path is gone before the refresh would refetch it.
          if (then) flushSync(then);
          void refresh();
          return true;
        },
        () => false,
      );
    return {
      move: (from: string, to: string, then?: () => void) => settle(moveAsync({ from, to }), then),
      remove: (path: string, then?: () => void) => settle(removeAsync({ path }), then),
      mkdir: (path: string, then?: () => void) => settle(mkdirAsync({ path }), then),
      refresh,
    };
  }, [moveAsync, removeAsync, mkdirAsync, refresh]);
}
