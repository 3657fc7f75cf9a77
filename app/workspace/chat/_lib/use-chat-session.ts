"use client";

import { useChat } from "@ai-sdk/react";
import { useCallback, useEffect, useState } from "react";
import { toast } from "../../../_components/toaster";
import { describeChatError, type ChatProblem } from "./chat-errors";
import { chatFor } from "./chat-store";
import { type ChatMessage, textOf } from "./tool-parts";
import { useChatEvents } from "./use-chat-events";
import { useFileRefresh } from "./use-file-refresh";

type Options = {
  chatId: string;
  initialMessages: ChatMessage[];
  /** A request the server refused before saving it (no model, busy, rate limit): its text goes back to the composer. */
  onRefused: (text: string) => void;
  onProblem: (problem: ChatProblem) => void;
};

/** One conversation's live state: messages, status, send and stop, with errors turned into problems to show. */
export function useChatSession({ chatId, initialMessages, onRefused, onProblem }: Options) {
  const events = useChatEvents();
  const [chat] = useState(() => chatFor(chatId, initialMessages, events));
  const { messages, status, error, sendMessage, stop, clearError, setMessages } = useChat<ChatMessage>({ chat, throttle: 50 });
  useFileRefresh(messages);

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

  const running = status === "submitted" || status === "streaming";
  const send = useCallback((text: string) => void sendMessage({ text }), [sendMessage]);
  return { messages, status, running, send, stop: () => void stop() };
}
