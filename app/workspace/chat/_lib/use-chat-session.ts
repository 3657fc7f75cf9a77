"use client";

import { useChat } from "@ai-sdk/react";
import { useMutation } from "@tanstack/react-query";
import { useCallback, useEffect, useState } from "react";
import { toast } from "../../../_components/toaster";
import { useTRPC } from "../../../_trpc/client";
import { describeChatError, type ChatProblem } from "./chat-errors";
import { chatFor } from "./chat-store";
import { type ChatMessage, textOf } from "./tool-parts";
import { useChatEvents } from "./use-chat-events";
import { useFileRefresh } from "./use-file-refresh";
import { useTurnFollow } from "./use-turn-follow";

type Options = {
  chatId: string;
  initialMessages: ChatMessage[];
  /** The server says a turn runs in this chat (it may have been started elsewhere: another tab, before a reload). */
  serverRunning: boolean;
  /** A request the server refused before saving it (no model, busy, rate limit): its text goes back to the composer. */
  onRefused: (text: string) => void;
  onProblem: (problem: ChatProblem) => void;
};

/**
 * One conversation's live state: messages, status, send and stop, with errors
 * turned into problems to show. On opening, it attaches to the chat's running
 * turn (replayed from its start), or follows its saved steps when the turn's
 * stream is not reachable from here.
 */
export function useChatSession({ chatId, initialMessages, serverRunning, onRefused, onProblem }: Options) {
  const events = useChatEvents();
  const trpc = useTRPC();
  const [chat] = useState(() => chatFor(chatId, initialMessages, events));
  const { messages, status, error, sendMessage, clearError, setMessages } = useChat<ChatMessage>({ chat, throttle: 50, resume: true });
  useFileRefresh(messages);
  const streaming = status === "submitted" || status === "streaming";
  const onEnd = useCallback(() => events.onTurnEnd(chatId), [events, chatId]);
  const following = useTurnFollow({ chatId, serverRunning, streaming, onMessages: setMessages, onEnd });

  useEffect(() => {
    if (status === "streaming") events.onTurnStart(chatId);
  }, [status, events, chatId]);

  useEffect(() => {
    if (!error) return;
    const problem = describeChatError(error);
    clearError();
    const last = chat.messages.at(-1);
    if (problem.refused && last?.role === "user") {
      // Nothing was saved: take the message back out of the list and into the composer.
      setMessages(chat.messages.slice(0, -1));
      onRefused(textOf(last));
    }
    onProblem(problem);
    if (problem.kind !== "no-model") toast.error(problem.title, problem.message);
  }, [error, chat, clearError, setMessages, onRefused, onProblem]);

  const stopTurn = useMutation(
    trpc.chats.stop.mutationOptions({ onError: (failure) => toast.error("Couldn't stop the agent", failure.message) }),
  );
  const running = streaming || following;
  const send = useCallback((text: string) => void sendMessage({ text }), [sendMessage]);
  // The turn runs on the server: Stop asks it to end; the stream (or the saved steps) then shows it stopped.
  const stop = useCallback(() => stopTurn.mutate({ id: chatId }), [stopTurn, chatId]);
  return { messages, status, running, send, stop };
}
