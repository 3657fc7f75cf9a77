"use client";

import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTRPC } from "../../../_trpc/client";
import type { ChatMessage } from "./tool-parts";

const POLL_MS = 2_000;

/**
 * A turn that runs on the server without a live stream on this page (it runs
 * in another app process, or ended just as the page attached): the page shows
 * its saved steps, read every POLL_MS until the turn has ended. Only answers
 * fetched after following began are shown, never an older copy.
 */
export function useTurnFollow(input: {
  chatId: string;
  /** The server says a turn runs in this chat. */
  serverRunning: boolean;
  /** This page reads the turn's stream itself. */
  streaming: boolean;
  onMessages: (messages: ChatMessage[]) => void;
  onEnd: () => void;
}): boolean {
  const { chatId, serverRunning, streaming, onMessages, onEnd } = input;
  const trpc = useTRPC();
  const [since, setSince] = useState<number | null>(null);
  useEffect(() => {
    if (streaming) setSince(null);
    else if (serverRunning) setSince((current) => current ?? Date.now());
  }, [serverRunning, streaming]);

  const following = since !== null;
  const query = useQuery(
    trpc.chats.get.queryOptions(
      { id: chatId },
      { enabled: following, refetchInterval: POLL_MS, staleTime: 0, retry: false },
    ),
  );
  const { data, dataUpdatedAt } = query;
  useEffect(() => {
    if (!data || since === null || dataUpdatedAt < since) return;
    onMessages(data.messages as ChatMessage[]);
    if (data.turn?.state !== "running") {
      setSince(null);
      onEnd();
    }
  }, [data, dataUpdatedAt, since, onMessages, onEnd]);
  return following;
}
