"use client";

import { Eye, MessageSquare, SquareTerminal, type LucideIcon } from "lucide-react";
import { useCallback, useMemo, useState, type ReactNode } from "react";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "../../_components/ui/tabs";
import { TooltipProvider } from "../../_components/ui/tooltip";
import { baseName } from "../_lib/paths";
import { SandboxProvider } from "../_lib/sandbox-context";
import type { FileEntry } from "../_lib/types";
import { WorkspaceNavContext, type WorkspaceNav } from "../_lib/workspace-nav";
import { ConsolePanel } from "./console/console-panel";
import { FilePanel } from "./files/file-panel";
import { PreviewPanel } from "./preview/preview-panel";
import { StartProgress } from "./sandbox/start-progress";
import { TopBar } from "./top-bar";

/** A tab of the main area. The list is data: add a panel by adding an entry. */
export type MainPanel = { id: string; label: string; icon: LucideIcon; content: ReactNode; badge?: string };

type WorkspaceShellProps = {
  userId: string;
  uploadMaxBytes: number;
  /**
   * The chat panel (app/workspace/chat/**). When given, it becomes the first tab, "Chat",
   * and opens by default; Preview and Console stay beside it.
   */
  chat?: ReactNode;
};

/** The signed-in workspace: top bar, file tree on the left, tabs (Chat, Preview, Console) in the main area. */
export function WorkspaceShell({ userId, uploadMaxBytes, chat }: WorkspaceShellProps) {
  const [selectedPath, setSelectedPath] = useState<string | null>(null);
  const [tab, setTab] = useState(chat ? "chat" : "preview");

  const nav = useMemo<WorkspaceNav>(
    () => ({
      openFile: (path) => {
        setSelectedPath(path);
        setTab("preview");
      },
      showTab: setTab,
    }),
    [],
  );
  const openEntry = useCallback((entry: FileEntry) => nav.openFile(entry.path), [nav]);

  // Keep the preview on a renamed file; drop it when the file (or a folder holding it) is deleted.
  const onPathChanged = useCallback((from: string, to: string | null) => {
    setSelectedPath((current) => {
      if (!current || (current !== from && !current.startsWith(`${from}/`))) return current;
      return to === null ? null : to + current.slice(from.length);
    });
  }, []);

  const panels = useMemo<MainPanel[]>(
    () => [
      ...(chat ? [{ id: "chat", label: "Chat", icon: MessageSquare, content: chat }] : []),
      {
        id: "preview",
        label: "Preview",
        icon: Eye,
        content: <PreviewPanel path={selectedPath} />,
        badge: selectedPath ? baseName(selectedPath) : undefined,
      },
      { id: "console", label: "Console", icon: SquareTerminal, content: <ConsolePanel userId={userId} /> },
    ],
    [chat, selectedPath, userId],
  );

  return (
    <TooltipProvider delayDuration={400}>
      <WorkspaceNavContext.Provider value={nav}>
        <SandboxProvider>
          <div className="flex h-dvh flex-col overflow-hidden">
            <TopBar />
            <StartProgress />
            <div className="flex min-h-0 flex-1">
              <aside
                aria-label="Files"
                className="flex w-72 shrink-0 flex-col border-r border-slate-200 bg-white lg:w-80 dark:border-slate-800 dark:bg-slate-900/60"
              >
                <FilePanel
                  selectedPath={selectedPath}
                  onOpenFile={openEntry}
                  onPathChanged={onPathChanged}
                  uploadMaxBytes={uploadMaxBytes}
                />
              </aside>
              <main className="flex min-w-0 flex-1 flex-col">
                <Tabs value={tab} onValueChange={setTab} className="flex min-h-0 flex-1 flex-col">
                  <div className="flex h-11 shrink-0 items-center border-b border-slate-200 bg-slate-50 px-2 dark:border-slate-800 dark:bg-slate-900/40">
                    <TabsList aria-label="Workspace panels">
                      {panels.map(({ id, label, icon: Icon, badge }) => (
                        <TabsTrigger key={id} value={id} data-testid={`tab-${id}`}>
                          <Icon aria-hidden />
                          {label}
                          {badge ? (
                            <span className="max-w-40 truncate font-normal text-slate-500 dark:text-slate-400">
                              · {badge}
                            </span>
                          ) : null}
                        </TabsTrigger>
                      ))}
                    </TabsList>
                  </div>
                  {panels.map(({ id, content }) => (
                    <TabsContent
                      key={id}
                      value={id}
                      className="flex min-h-0 flex-col bg-white dark:bg-slate-950"
                      data-testid={`panel-${id}`}
                    >
                      {content}
                    </TabsContent>
                  ))}
                </Tabs>
              </main>
            </div>
          </div>
        </SandboxProvider>
      </WorkspaceNavContext.Provider>
    </TooltipProvider>
  );
}
