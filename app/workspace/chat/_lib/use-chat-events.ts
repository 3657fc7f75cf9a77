"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useMemo } from "react";
import { useTRPC } from "../../../_trpc/client";
import type { ChatEvents } from "./chat-store";
import { refetchAfterChange } from "../../../_lib/refetch-after-change";

const TITLE_CHECKS_MS = [1_500, 5_000, 15_000];

/** What the page does when a turn starts (the list shows the new title) and when it ends: the conversation list (titles, order) and the file tree may have changed. */
export function useChatEvents(): ChatEvents {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return useMemo(
    () => ({
      onTurnStart: () => void queryClient.invalidateQueries(trpc.chats.list.pathFilter()),
      onTurnEnd: () => {
        const refreshList = () => void queryClient.invalidateQueries(trpc.chats.list.pathFilter());
        refreshList();
        // The model names a new chat just after its first answer, off the turn's path: look again shortly.
        for (const delayMs of TITLE_CHECKS_MS) setTimeout(refreshList, delayMs);
        void refetchAfterChange(queryClient, trpc.files.pathFilter());
      },
    }),
    [queryClient, trpc],
  );
}
