"use client";

import { useQuery } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import { useTRPC } from "../../../_trpc/client";

/**
 * A plain visit to the workspace (no ?chat=) reopens the conversation the
 * user was last active in, rather than an empty one. Decided once per page:
 * after that, "New chat" means a new chat. `resolving`: still finding out;
 * `settle()`: the user chose (New chat, a chat in the list) before it was known.
 */
export function useReopenLatest(chatId: string | null, setChatId: (id: string | null) => void): { resolving: boolean; settle: () => void } {
  const trpc = useTRPC();
  const [pending, setPending] = useState(chatId === null);
  const decided = useRef(chatId !== null);
  const latest = useQuery(trpc.chats.latest.queryOptions(undefined, { enabled: pending, staleTime: 0, retry: 1 }));

  useEffect(() => {
    if (decided.current) return;
    if (chatId !== null) {
      // The user chose a conversation (or started one) first.
      decided.current = true;
      setPending(false);
      return;
    }
    if (latest.isPending) return;
    decided.current = true;
    setPending(false);
    if (latest.data) setChatId(latest.data.id);
  }, [chatId, latest.isPending, latest.data, setChatId]);

  const settle = useCallback(() => {
    decided.current = true;
    setPending(false);
  }, []);

  return { resolving: pending && latest.isPending, settle };
}
