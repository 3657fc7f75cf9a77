"use client";

import { useQuery } from "@tanstack/react-query";
import { MessageSquareOff } from "lucide-react";
import { Button } from "../../_components/ui/button";
import { useTRPC } from "../../_trpc/client";
import { hasChat } from "./_lib/chat-store";
import type { ChatMessage } from "./_lib/tool-parts";
import { Conversation } from "./conversation";
import { ConversationSkeleton } from "./conversation-skeleton";

type OpenConversationProps = {
  chatId: string;
  /** The chat list says a turn runs in this chat. */
  running: boolean;
  noModel: string | null;
  onNoModel: (message: string | null) => void;
  onStartNew: () => void;
};

/** Loads a saved conversation (its messages, steps and whether a turn runs) and opens it; a live one opens as it is. */
export function OpenConversation({ chatId, running, noModel, onNoModel, onStartNew }: OpenConversationProps) {
  const trpc = useTRPC();
  const live = hasChat(chatId);
  const query = useQuery(trpc.chats.get.queryOptions({ id: chatId }, { enabled: !live, staleTime: Infinity, retry: false }));

  if (live || query.data) {
    const messages = (query.data?.messages ?? []) as ChatMessage[];
    const serverRunning = running || query.data?.turn?.state === "running";
    return <Conversation chatId={chatId} initialMessages={messages} serverRunning={serverRunning} noModel={noModel} onNoModel={onNoModel} />;
  }
  if (query.error) {
    return (
      <div className="flex flex-1 flex-col items-center justify-center gap-3 p-8 text-center" data-testid="chat-not-found">
        <MessageSquareOff className="size-8 text-slate-400" aria-hidden />
        <p className="font-medium">This conversation can&apos;t be opened</p>
        <p className="max-w-sm text-sm text-slate-600 dark:text-slate-400">{query.error.message}</p>
        <Button onClick={onStartNew} data-testid="chat-start-new">
          Start a new chat
        </Button>
      </div>
    );
  }
  return <ConversationSkeleton />;
}
