"use client";

import { ArrowDown, Sparkles } from "lucide-react";
import { useEffect, type ReactNode } from "react";
import { Button } from "../../_components/ui/button";
import type { ChatMessage } from "./_lib/tool-parts";
import { useAutoScroll } from "./_lib/use-auto-scroll";
import { AssistantMessage } from "./assistant-message";
import { TypingIndicator } from "./typing-indicator";
import { UserMessage } from "./user-message";

type MessageListProps = {
  messages: ChatMessage[];
  running: boolean;
  onContinue: () => void;
  /** Shown after the messages (notices). */
  footer?: ReactNode;
};

/** The conversation, following new output unless the user scrolled up to read. */
export function MessageList({ messages, running, onContinue, footer }: MessageListProps) {
  const { scrollRef, contentRef, atBottom, scrollToBottom } = useAutoScroll<HTMLDivElement, HTMLDivElement>();
  const last = messages.at(-1);
  const awaitingFirstPart = running && last?.role === "user";

  // A message the user just sent: show it, and follow the answer from here.
  const userCount = messages.filter((message) => message.role === "user").length;
  useEffect(() => {
    if (userCount > 0) scrollToBottom();
  }, [userCount, scrollToBottom]);

  return (
    <div className="relative min-h-0 flex-1">
      <div ref={scrollRef} className="h-full overflow-y-auto" data-testid="chat-messages">
        <div ref={contentRef} className="mx-auto flex max-w-3xl flex-col gap-6 px-4 py-6 sm:px-6" role="log" aria-live="polite" aria-relevant="additions" aria-label="Conversation">
          {messages.map((message, index) =>
            message.role === "user" ? (
              <UserMessage key={message.id} message={message} />
            ) : message.role === "assistant" ? (
              <AssistantMessage key={message.id} message={message} streaming={running && index === messages.length - 1} onContinue={index === messages.length - 1 ? onContinue : undefined} />
            ) : null,
          )}
          {awaitingFirstPart ? (
            <div className="flex gap-3" data-testid="chat-message-pending">
              <div className="grid size-7 shrink-0 place-items-center rounded-full bg-gradient-to-br from-sky-500 to-indigo-500 text-white shadow-sm" aria-hidden>
                <Sparkles className="size-3.5" />
              </div>
              <TypingIndicator label="Thinking" />
            </div>
          ) : null}
          {footer}
        </div>
      </div>
      {atBottom ? null : (
        <Button
          variant="secondary"
          size="sm"
          className="absolute bottom-3 left-1/2 -translate-x-1/2 rounded-full shadow-md"
          onClick={() => scrollToBottom("smooth")}
          data-testid="chat-jump-latest"
        >
          <ArrowDown aria-hidden /> Latest
        </Button>
      )}
    </div>
  );
}
