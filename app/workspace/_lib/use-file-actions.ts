"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useCallback, useMemo } from "react";
import { toast } from "../../_components/toaster";
import { useTRPC } from "../../_trpc/client";
import { displayPath } from "./paths";

/** Rename, delete and new folder, each refreshing the tree and saying what went wrong in a toast. */
export function useFileActions() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = useCallback(() => queryClient.invalidateQueries(trpc.files.pathFilter()), [queryClient, trpc]);

  const move = useMutation(
    trpc.files.move.mutationOptions({
      onSuccess: () => refresh(),
      onError: (error, input) => toast.error(`Couldn't rename ${displayPath(input.from)}`, error.message),
    }),
  );
  const remove = useMutation(
    trpc.files.delete.mutationOptions({
      onSuccess: (result) => {
        toast.success(`Deleted ${displayPath(result.path)}`);
        return refresh();
      },
      onError: (error, input) => toast.error(`Couldn't delete ${displayPath(input.path)}`, error.message),
    }),
  );
  const mkdir = useMutation(
    trpc.files.mkdir.mutationOptions({
      onSuccess: () => refresh(),
      onError: (error, input) => toast.error(`Couldn't create ${displayPath(input.path)}`, error.message),
    }),
  );

  // Each resolves to whether it worked; the toast already told the user why not.
  const { mutateAsync: moveAsync } = move;
  const { mutateAsync: removeAsync } = remove;
  const { mutateAsync: mkdirAsync } = mkdir;
  return useMemo(() => {
    const ok = () => true;
    const failed = () => false;
    return {
      move: (from: string, to: string) => moveAsync({ from, to }).then(ok, failed),
      remove: (path: string) => removeAsync({ path }).then(ok, failed),
      mkdir: (path: string) => mkdirAsync({ path }).then(ok, failed),
      refresh,
    };
  }, [moveAsync, removeAsync, mkdirAsync, refresh]);
}
