"use client";

import { MessageSquarePlus, RotateCcw } from "lucide-react";
import { useState } from "react";
import { ConfirmDialog } from "../../_components/ui/alert-dialog";
import { Button } from "../../_components/ui/button";
import { Skeleton } from "../../_components/ui/skeleton";
import { ConversationItem, type ConversationSummary } from "./conversation-item";
import { ConversationSearchField, ConversationSearchResults } from "./conversation-search";

type ConversationListProps = {
  chats: ConversationSummary[] | undefined;
  loading: boolean;
  failed: boolean;
  onRetry: () => void;
  activeId: string | null;
  onSelect: (id: string) => void;
  onNew: () => void;
  onRename: (id: string, title: string) => void;
  onDelete: (id: string) => void;
};

/** The user's conversations, most recent first, with a New chat button and a search. */
export function ConversationList({ chats, loading, failed, onRetry, activeId, onSelect, onNew, onRename, onDelete }: ConversationListProps) {
  const [deleting, setDeleting] = useState<ConversationSummary | null>(null);
  const [query, setQuery] = useState("");

  return (
    <nav aria-label="Conversations" className="flex w-60 shrink-0 flex-col border-r border-slate-200 bg-slate-50/60 dark:border-slate-800 dark:bg-slate-900/40" data-testid="chat-list">
      <div className="flex items-center justify-between gap-2 px-3 pb-2 pt-3">
        <h2 className="text-xs font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400">Chats</h2>
        <Button size="sm" variant="secondary" onClick={onNew} className="h-7 px-2 text-xs" data-testid="chat-new">
          <MessageSquarePlus aria-hidden /> New chat
        </Button>
      </div>
      <ConversationSearchField value={query} onChange={setQuery} />
      <div className="min-h-0 flex-1 overflow-y-auto px-2 pb-3">
        {query.trim() ? (
          <ConversationSearchResults query={query} activeId={activeId} onSelect={onSelect} />
        ) : loading ? (
          <div className="flex flex-col gap-2 px-1 pt-1" aria-busy>
            {[0, 1, 2].map((row) => (
              <Skeleton key={row} className="h-11 w-full" />
            ))}
          </div>
        ) : failed ? (
          <div className="flex flex-col items-center gap-2 px-2 py-6 text-center text-sm text-slate-600 dark:text-slate-400">
            Couldn&apos;t load your chats.
            <Button size="sm" variant="secondary" onClick={onRetry}>
              <RotateCcw aria-hidden /> Retry
            </Button>
          </div>
        ) : chats && chats.length > 0 ? (
          <ul className="flex flex-col gap-0.5">
            {chats.map((chat) => (
              <li key={chat.id}>
                <ConversationItem
                  chat={chat}
                  active={chat.id === activeId}
                  onSelect={() => onSelect(chat.id)}
                  onRename={(title) => onRename(chat.id, title)}
                  onDelete={() => setDeleting(chat)}
                />
              </li>
            ))}
          </ul>
        ) : (
          <p className="px-2 py-6 text-center text-sm text-slate-500 dark:text-slate-400" data-testid="chat-list-empty">
            No chats yet. Your conversations will appear here.
          </p>
        )}
      </div>
      <ConfirmDialog
        open={deleting !== null}
        onOpenChange={(open) => !open && setDeleting(null)}
        title="Delete this chat?"
        description={
          <>
            <p>
              “{deleting?.title}” and its steps will be deleted. Files the agent saved stay in your workspace.
            </p>
          </>
        }
        confirmLabel="Delete chat"
        onConfirm={() => {
          if (deleting) onDelete(deleting.id);
          setDeleting(null);
        }}
        testId="chat-delete-confirm"
      />
    </nav>
  );
}
