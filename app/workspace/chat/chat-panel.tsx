"use client";

import { MessageSquarePlus, PanelLeftClose, PanelLeftOpen } from "lucide-react";
import { useCallback, useRef, useState } from "react";
import { Button } from "../../_components/ui/button";
import { useCollapseWhenNarrow } from "../_lib/use-collapse-when-narrow";
import { chatFor } from "./_lib/chat-store";
import { useChatEvents } from "./_lib/use-chat-events";
import { useChatId } from "./_lib/use-chat-id";
import { useConversations } from "./_lib/use-conversations";
import { useReopenLatest } from "./_lib/use-reopen-latest";
import { useTurnEndToasts } from "./_lib/use-turn-end-toasts";
import { ChatExportMenu } from "./chat-export-menu";
import { ChatGallery } from "./chat-gallery";
import { ConversationList } from "./conversation-list";
import { ConversationSkeleton } from "./conversation-skeleton";
import { DraftConversation } from "./draft-conversation";
import { OpenConversation } from "./open-conversation";
import { SandboxNotices } from "./sandbox-notices";

/**
 * The Chat tab of the workspace: the user's conversations on the left, the open
 * one on the right (its id in the address, ?chat=<id>, so a reload comes back to it).
 */
export function ChatPanel() {
  const [chatId, setChatId] = useChatId();
  const { resolving, settle } = useReopenLatest(chatId, setChatId);
  const { list, rename, remove } = useConversations();
  const events = useChatEvents();
  const [listOpen, setListOpen] = useState(true);
  // On a phone, or squeezed beside the preview, the list would leave the conversation no room.
  const panelRef = useRef<HTMLDivElement>(null);
  useCollapseWhenNarrow(panelRef, 640, setListOpen);
  const [noModel, setNoModel] = useState<string | null>(null);

  const startNew = useCallback(() => {
    settle();
    setChatId(null);
  }, [settle, setChatId]);

  // A new chat is saved with its first message (the server creates it under the id chosen here).
  const start = useCallback(
    (text: string) => {
      const id = crypto.randomUUID();
      // The turn starts before the conversation view mounts; it picks up the live chat.
      void chatFor(id, [], events).sendMessage({ text });
      setChatId(id);
    },
    [events, setChatId],
  );

  const current = list.data?.find((chat) => chat.id === chatId);
  useTurnEndToasts(list.data, chatId);
  const title = chatId ? (current?.title ?? "Chat") : resolving ? "" : "New chat";

  return (
    <div ref={panelRef} className="flex h-full min-h-0" data-testid="chat-panel">
      {listOpen ? (
        <ConversationList
          chats={list.data}
          loading={list.isPending}
          failed={list.isError}
          onRetry={() => void list.refetch()}
          activeId={chatId}
          onSelect={setChatId}
          onNew={startNew}
          onRename={(id, next) => rename.mutate({ id, title: next })}
          onDelete={(id) => {
            remove.mutate({ id });
            if (id === chatId) startNew();
          }}
        />
      ) : null}
      <section aria-label="Conversation" className="flex min-w-0 flex-1 flex-col">
        <header className="flex h-11 shrink-0 items-center gap-1 border-b border-slate-200 px-2 dark:border-slate-800">
          <Button
            variant="ghost"
            size="icon"
            onClick={() => setListOpen((open) => !open)}
            aria-label={listOpen ? "Hide the chat list" : "Show the chat list"}
            aria-expanded={listOpen}
            data-testid="chat-list-toggle"
          >
            {listOpen ? <PanelLeftClose aria-hidden /> : <PanelLeftOpen aria-hidden />}
          </Button>
          <h2 className="min-w-0 flex-1 truncate px-1 text-sm font-medium text-slate-900 dark:text-slate-100" data-testid="chat-title">
            {title}
          </h2>
          {chatId && !resolving ? (
            <>
              <ChatGallery chatId={chatId} />
              <ChatExportMenu chatId={chatId} />
            </>
          ) : null}
          {listOpen ? null : (
            <Button variant="ghost" size="icon" onClick={startNew} aria-label="New chat" data-testid="chat-new-compact">
              <MessageSquarePlus aria-hidden />
            </Button>
          )}
        </header>
        <SandboxNotices />
        {resolving ? (
          <ConversationSkeleton />
        ) : chatId ? (
          <OpenConversation key={chatId} chatId={chatId} running={current?.running ?? false} noModel={noModel} onNoModel={setNoModel} onStartNew={startNew} />
        ) : (
          <DraftConversation onStart={start} noModel={noModel} onDismissNoModel={() => setNoModel(null)} />
        )}
      </section>
    </div>
  );
}
