"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { useTRPC } from "../../../_trpc/client";
import { changedFiles, isToolPart, type ChatMessage } from "./tool-parts";
import { refetchAfterChange } from "../../../_lib/refetch-after-change";

/**
 * Refreshes the file tree as soon as a tool call of this session finishes
 * having written files (a figure, a saved CSV, an edited script), not only at
 * the end of the turn. Steps loaded from history are ignored.
 */
export function useFileRefresh(messages: ChatMessage[]): void {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const seen = useRef<Set<string> | null>(null);

  useEffect(() => {
    const done = (message: ChatMessage) => message.parts.filter(isToolPart).filter(changedFiles).map((part) => part.toolCallId);
    if (seen.current === null) {
      seen.current = new Set(messages.flatMap(done));
      return;
    }
    const last = messages.at(-1);
    if (!last || last.role !== "assistant") return;
    const fresh = done(last).filter((id) => !seen.current!.has(id));
    if (fresh.length === 0) return;
    for (const id of fresh) seen.current.add(id);
    void refetchAfterChange(queryClient, trpc.files.pathFilter());
  }, [messages, queryClient, trpc]);
}
