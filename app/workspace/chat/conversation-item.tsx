"use client";

import { Loader2, MoreHorizontal, Pencil, Trash2 } from "lucide-react";
import { useEffect, useRef, useState, type KeyboardEvent } from "react";
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuSeparator, DropdownMenuTrigger } from "../../_components/ui/dropdown-menu";
import { cn } from "../../_lib/cn";
import { formatDateTime, formatRelativeTime } from "../_lib/format";

export type ConversationSummary = { id: string; title: string; updatedAt: string | Date; running?: boolean };

type ConversationItemProps = {
  chat: ConversationSummary;
  active: boolean;
  onSelect: () => void;
  onRename: (title: string) => void;
  onDelete: () => void;
};

/** A conversation in the list: opens on click; rename (inline) and delete from its menu. */
export function ConversationItem({ chat, active, onSelect, onRename, onDelete }: ConversationItemProps) {
  const [renaming, setRenaming] = useState(false);
  const updated = new Date(chat.updatedAt).getTime();

  if (renaming) {
    return (
      <RenameField
        title={chat.title}
        onDone={(title) => {
          setRenaming(false);
          if (title && title !== chat.title) onRename(title);
        }}
      />
    );
  }
  return (
    <div
      className={cn(
        "group relative flex items-center rounded-lg text-sm transition-colors",
        active ? "bg-sky-50 text-sky-950 dark:bg-sky-950/50 dark:text-sky-50" : "text-slate-700 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800/60",
      )}
    >
      <button
        type="button"
        onClick={onSelect}
        aria-current={active ? "page" : undefined}
        className="flex min-w-0 flex-1 flex-col items-start rounded-lg px-2.5 py-2 text-left focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-inset focus-visible:ring-sky-500"
        data-testid={`chat-item-${chat.id}`}
      >
        <span className="flex w-full items-center gap-1.5 pr-6">
          {chat.running ? (
            <Loader2 className="size-3.5 shrink-0 animate-spin text-sky-600" role="img" aria-label="The agent is working" data-testid={`chat-item-running-${chat.id}`} />
          ) : null}
          <span className={cn("min-w-0 flex-1 truncate", active && "font-medium")} title={chat.title}>
            {chat.title}
          </span>
        </span>
        <span className="text-xs text-slate-500 dark:text-slate-400" title={formatDateTime(updated)}>
          {formatRelativeTime(updated)}
        </span>
      </button>
      <DropdownMenu>
        <DropdownMenuTrigger asChild>
          <button
            type="button"
            aria-label={`Actions for ${chat.title}`}
            className="absolute right-1.5 top-2 rounded-md p-1 text-slate-500 opacity-0 hover:bg-slate-200 hover:text-slate-900 focus-visible:opacity-100 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-sky-500 group-hover:opacity-100 data-[state=open]:opacity-100 dark:hover:bg-slate-700 dark:hover:text-slate-100"
            data-testid={`chat-item-menu-${chat.id}`}
          >
            <MoreHorizontal className="size-4" aria-hidden />
          </button>
        </DropdownMenuTrigger>
        <DropdownMenuContent align="end">
          <DropdownMenuItem onSelect={() => setRenaming(true)} data-testid="chat-rename">
            <Pencil aria-hidden /> Rename
          </DropdownMenuItem>
          <DropdownMenuSeparator />
          <DropdownMenuItem tone="danger" onSelect={onDelete} data-testid="chat-delete">
            <Trash2 aria-hidden /> Delete
          </DropdownMenuItem>
        </DropdownMenuContent>
      </DropdownMenu>
    </div>
  );
}

function RenameField({ title, onDone }: { title: string; onDone: (title: string | null) => void }) {
  const [value, setValue] = useState(title);
  const input = useRef<HTMLInputElement>(null);
  const finished = useRef(false);
  useEffect(() => {
    // After the menu closes and returns focus to its trigger.
    const timer = setTimeout(() => input.current?.select(), 0);
    return () => clearTimeout(timer);
  }, []);
  const finish = (result: string | null) => {
    if (finished.current) return;
    finished.current = true;
    onDone(result);
  };
  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === "Enter") {
      event.preventDefault();
      finish(value.trim() || null);
    } else if (event.key === "Escape") {
      event.preventDefault();
      finish(null);
    }
  }
  return (
    <div className="px-1 py-1">
      <label className="sr-only" htmlFor="chat-rename-input">
        Conversation name
      </label>
      <input
        id="chat-rename-input"
        ref={input}
        value={value}
        maxLength={120}
        onChange={(event) => setValue(event.target.value)}
        onKeyDown={onKeyDown}
        onBlur={() => finish(value.trim() || null)}
        className="w-full rounded-md border border-sky-500 bg-white px-2 py-1.5 text-sm outline-none ring-2 ring-sky-500/20 dark:bg-slate-900"
        data-testid="chat-rename-input"
      />
    </div>
  );
}
