"use client";

import { useState } from "react";
import { Composer } from "./composer";
import { EmptyState } from "./empty-state";
import { NoModelCard } from "./no-model-card";

type DraftConversationProps = {
  /** Sends the first message, which creates the conversation. */
  onStart: (text: string) => void;
  noModel: string | null;
  onDismissNoModel: () => void;
};

/** A new conversation before its first message: nothing is saved until the user sends. */
export function DraftConversation({ onStart, noModel, onDismissNoModel }: DraftConversationProps) {
  const [input, setInput] = useState("");

  return (
    <div className="flex min-h-0 flex-1 flex-col" data-testid="chat-conversation" data-chat-id="">
      <div className="min-h-0 flex-1 overflow-y-auto">
        <EmptyState onPick={setInput} />
      </div>
      {noModel ? (
        <div className="mx-auto w-full max-w-3xl shrink-0 px-4 pb-3 sm:px-6">
          <NoModelCard message={noModel} onDismiss={onDismissNoModel} />
        </div>
      ) : null}
      <Composer value={input} onChange={setInput} onSend={onStart} onStop={() => undefined} running={false} autoFocus />
    </div>
  );
}
