"use client";

import { Eye, FolderTree, Layers, MessageSquare, SquareTerminal, type LucideIcon } from "lucide-react";
import { cn } from "../../_lib/cn";

/** On a phone one panel fills the screen; these pick which. */
export type MobileView = "files" | "chat" | "console" | "jobs" | "preview";

const VIEWS: { id: MobileView; label: string; icon: LucideIcon }[] = [
  { id: "files", label: "Files", icon: FolderTree },
  { id: "chat", label: "Chat", icon: MessageSquare },
  { id: "console", label: "Console", icon: SquareTerminal },
  { id: "jobs", label: "Jobs", icon: Layers },
  { id: "preview", label: "Preview", icon: Eye },
];

/** The panel switcher under the top bar below 768 px (md); wider screens show the panels side by side. */
export function MobileViewTabs({
  view,
  onChange,
  hasChat,
}: {
  view: MobileView;
  onChange: (view: MobileView) => void;
  hasChat: boolean;
}) {
  return (
    <nav
      aria-label="Workspace panels"
      className="grid shrink-0 auto-cols-fr grid-flow-col border-b border-slate-200 bg-slate-50 md:hidden dark:border-slate-800 dark:bg-slate-900/40"
      data-testid="mobile-views"
    >
      {VIEWS.filter(({ id }) => hasChat || id !== "chat").map(({ id, label, icon: Icon }) => (
        <button
          key={id}
          type="button"
          onClick={() => onChange(id)}
          aria-current={view === id ? "page" : undefined}
          className={cn(
            "flex h-11 min-w-0 items-center justify-center gap-1.5 border-b-2 text-sm font-medium focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-sky-500 focus-visible:ring-inset [&_svg]:size-4",
            view === id
              ? "border-sky-600 text-slate-900 dark:text-slate-100"
              : "border-transparent text-slate-600 dark:text-slate-400",
          )}
          data-testid={`mobile-view-${id}`}
        >
          <Icon aria-hidden />
          <span className="truncate">{label}</span>
        </button>
      ))}
    </nav>
  );
}
