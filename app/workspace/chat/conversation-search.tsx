"use client";

import { Search, X } from "lucide-react";
import { cn } from "../../_lib/cn";
import { formatDateTime, formatRelativeTime } from "../_lib/format";
import { useChatSearch } from "./_lib/use-chat-search";

/** The search box above the chat list. */
export function ConversationSearchField({ value, onChange }: { value: string; onChange: (value: string) => void }) {
  return (
    <div className="relative px-2 pb-2">
      <Search className="pointer-events-none absolute left-4 top-2 size-3.5 text-slate-400" aria-hidden />
      <input
        type="search"
        value={value}
        onChange={(event) => onChange(event.target.value)}
        onKeyDown={(event) => event.key === "Escape" && onChange("")}
        placeholder="Search chats"
        aria-label="Search chats by title or message"
        maxLength={200}
        className="h-8 w-full rounded-md border border-slate-200 bg-white pl-7 pr-7 text-sm placeholder:text-slate-400 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-sky-500 dark:border-slate-700 dark:bg-slate-900 [&::-webkit-search-cancel-button]:hidden"
        data-testid="chat-search"
      />
      {value ? (
        <button
          type="button"
          onClick={() => onChange("")}
          aria-label="Clear the search"
          className="absolute right-3.5 top-1.5 rounded p-0.5 text-slate-400 hover:text-slate-700 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-sky-500 dark:hover:text-slate-200"
          data-testid="chat-search-clear"
        >
          <X className="size-3.5" aria-hidden />
        </button>
      ) : null}
    </div>
  );
}

/** Conversations matching the search, with where the words were found. */
export function ConversationSearchResults({ query, activeId, onSelect }: { query: string; activeId: string | null; onSelect: (id: string) => void }) {
  const { searching, results } = useChatSearch(query);
  if (results.isError) {
    return <p className="px-2 py-6 text-center text-sm text-rose-600 dark:text-rose-400">Couldn&apos;t search: {results.error.message}</p>;
  }
  const found = results.data ?? [];
  if (found.length === 0) {
    return (
      <p className="px-2 py-6 text-center text-sm text-slate-500 dark:text-slate-400" aria-live="polite" data-testid="chat-search-empty">
        {searching ? "Searching…" : `No chat mentions “${query.trim()}”.`}
      </p>
    );
  }
  return (
    <ul className={cn("flex flex-col gap-0.5", searching && "opacity-70")} aria-label="Search results" data-testid="chat-search-results">
      {found.map((chat) => {
        const updated = new Date(chat.updatedAt).getTime();
        return (
          <li key={chat.id}>
            <button
              type="button"
              onClick={() => onSelect(chat.id)}
              aria-current={chat.id === activeId ? "page" : undefined}
              className={cn(
                "flex w-full flex-col items-start gap-0.5 rounded-lg px-2.5 py-2 text-left text-sm focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-inset focus-visible:ring-sky-500",
                chat.id === activeId ? "bg-sky-50 text-sky-950 dark:bg-sky-950/50 dark:text-sky-50" : "text-slate-700 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800/60",
              )}
              data-testid={`chat-search-result-${chat.id}`}
            >
              <span className="w-full truncate font-medium" title={chat.title}>
                {chat.title}
              </span>
              {chat.snippet ? <span className="line-clamp-2 text-xs text-slate-500 dark:text-slate-400">{chat.snippet}</span> : null}
              <span className="text-xs text-slate-400" title={formatDateTime(updated)}>
                {formatRelativeTime(updated)}
              </span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}
