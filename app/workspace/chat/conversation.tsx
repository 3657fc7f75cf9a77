"use client";

import { useCallback, useEffect, useMemo, useState } from "react";
import type { ChatProblem } from "./_lib/chat-errors";
import { FigureOriginContext } from "./_lib/figure-origin";
import type { ChatMessage } from "./_lib/tool-parts";
import { useChatSession } from "./_lib/use-chat-session";
import { ChatErrorNotice } from "./chat-error-notice";
import { Composer } from "./composer";
import { EmptyState } from "./empty-state";
import { MessageList } from "./message-list";
import { NoModelCard } from "./no-model-card";

type ConversationProps = {
  chatId: string;
  initialMessages: ChatMessage[];
  /** The server says a turn runs in this chat now. */
  serverRunning: boolean;
  /** The server's "no model configured" message, shared by every conversation of the page. */
  noModel: string | null;
  onNoModel: (message: string | null) => void;
};

/** One open conversation: its messages streaming in, notices, and the composer. */
export function Conversation({ chatId, initialMessages, serverRunning, noModel, onNoModel }: ConversationProps) {
  const [input, setInput] = useState("");
  const [problem, setProblem] = useState<ChatProblem | null>(null);
  const onRefused = useCallback((text: string) => setInput((current) => current || text), []);
  const onProblem = useCallback(
    (next: ChatProblem) => (next.kind === "no-model" ? onNoModel(next.message) : setProblem(next)),
    [onNoModel],
  );
  const { messages, status, running, send, stop } = useChatSession({ chatId, initialMessages, serverRunning, onRefused, onProblem });

  // An answer is streaming, so a model is configured now.
  useEffect(() => {
    if (status === "streaming") onNoModel(null);
  }, [status, onNoModel]);

  const submit = useCallback(
    (text: string) => {
      setProblem(null);
      setInput("");
      send(text);
    },
    [send],
  );
  const onContinue = useCallback(() => submit("continue"), [submit]);
  const empty = messages.length === 0 && !running;
  const figureOrigin = useMemo(() => ({ chatId, messageId: null }), [chatId]);

  return (
    <div
      className="flex min-h-0 flex-1 flex-col"
      data-testid="chat-conversation"
      data-chat-id={chatId}
      data-status={status}
    >
      {empty ? (
        <div className="min-h-0 flex-1 overflow-y-auto">
          <EmptyState onPick={setInput} />
        </div>
      ) : (
        <FigureOriginContext.Provider value={figureOrigin}>
          <MessageList
            messages={messages}
            running={running}
            onContinue={onContinue}
            footer={problem ? <ChatErrorNotice problem={problem} onDismiss={() => setProblem(null)} /> : null}
          />
        </FigureOriginContext.Provider>
      )}
      {noModel ? (
        <div className="mx-auto w-full max-w-3xl shrink-0 px-4 pb-3 sm:px-6">
          <NoModelCard message={noModel} onDismiss={() => onNoModel(null)} />
        </div>
      ) : null}
      {empty && problem ? (
        <div className="mx-auto w-full max-w-3xl shrink-0 px-4 pb-3 sm:px-6">
          <ChatErrorNotice problem={problem} onDismiss={() => setProblem(null)} />
        </div>
      ) : null}
      <Composer value={input} onChange={setInput} onSend={submit} onStop={stop} running={running} autoFocus />
    </div>
  );
}
