"use client";

import { useEffect, useRef } from "react";
import { toast } from "../../../_components/toaster";

type ListedChat = { id: string; title: string; running: boolean };

/**
 * When a conversation's turn ends while the user is in another one (started
 * in this tab, another tab, or before a reload), a toast says so. The chat
 * list is the one source: it says which chats run, and is read again while any does.
 */
export function useTurnEndToasts(chats: ListedChat[] | undefined, openId: string | null): void {
  const running = useRef<Map<string, string> | null>(null);
  useEffect(() => {
    if (!chats) return;
    const now = new Map(chats.filter((chat) => chat.running).map((chat) => [chat.id, chat.title]));
    const before = running.current;
    running.current = now;
    if (!before) return;
    for (const [id, title] of before) {
      if (now.has(id) || id === openId) continue;
      toast.success(
        "The agent has finished",
        `“${chats.find((chat) => chat.id === id)?.title ?? title}” has its answer.`,
      );
    }
  }, [chats, openId]);
}
