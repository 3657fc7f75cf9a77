"use client";

import { Eye, Layers, MessageSquare, SquareTerminal, type LucideIcon } from "lucide-react";
import { useCallback, useMemo, useRef, useState, type ReactNode } from "react";
import { cn } from "../../_lib/cn";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "../../_components/ui/tabs";
import { TooltipProvider } from "../../_components/ui/tooltip";
import { baseName } from "../_lib/paths";
import { SandboxProvider } from "../_lib/sandbox-context";
import type { FileEntry } from "../_lib/types";
import { useJobEndToasts } from "../_lib/use-job-end-toasts";
import { useJobs } from "../_lib/use-jobs";
import { usePreviewWidth } from "../_lib/use-preview-width";
import { WorkspaceNavContext, type WorkspaceNav } from "../_lib/workspace-nav";
import { ConsolePanel } from "./console/console-panel";
import { FilePanel } from "./files/file-panel";
import { JobsPanel } from "./jobs/jobs-panel";
import { MobileViewTabs, type MobileView } from "./mobile-view-tabs";
import { PreviewPane } from "./preview-pane";
import { StartProgress } from "./sandbox/start-progress";
import { SplitHandle } from "./split-handle";
import { TopBar } from "./top-bar";

/** A tab of the main area. The list is data: add a panel by adding an entry. */
export type MainPanel = { id: string; label: string; icon: LucideIcon; content: ReactNode };

type WorkspaceShellProps = {
  userId: string;
  uploadMaxBytes: number;
  /**
   * The chat panel (app/workspace/chat/**). When given, it becomes the first tab, "Chat",
   * and opens by default; Console stays beside it.
   */
  chat?: ReactNode;
};

const PREVIEW_ID = "workspace-preview";

/**
 * The signed-in workspace: top bar, file tree on the left, tabs (Chat, Console)
 * in the middle, and the preview of the open file beside them, resizable and closable.
 * Below 768 px the panels stack: one at a time, picked by tabs under the top bar.
 */
export function WorkspaceShell({ userId, uploadMaxBytes, chat }: WorkspaceShellProps) {
  const [selectedPath, setSelectedPath] = useState<string | null>(null);
  const [tab, setTab] = useState(chat ? "chat" : "console");
  const [previewOpen, setPreviewOpen] = useState(false);
  const [mobileView, setMobileView] = useState<MobileView>(chat ? "chat" : "files");
  const areaRef = useRef<HTMLDivElement>(null);
  const mainRef = useRef<HTMLElement>(null);
  const { width, available, choose } = usePreviewWidth(areaRef);

  const nav = useMemo<WorkspaceNav>(
    () => ({
      openFile: (path) => {
        setSelectedPath(path);
        setPreviewOpen(true);
        setMobileView("preview");
      },
      showTab: (id) => {
        if (id === "preview") {
          setPreviewOpen(true);
          setMobileView("preview");
        } else {
          setTab(id);
          setMobileView(isMainView(id) ? id : "chat");
        }
      },
    }),
    [],
  );
  const openEntry = useCallback((entry: FileEntry) => nav.openFile(entry.path), [nav]);

  const closePreview = useCallback(() => {
    setPreviewOpen(false);
    setMobileView(isMainView(tab) ? tab : "chat");
    // Focus would otherwise fall to the page: keep it where the user works next.
    mainRef.current?.focus();
  }, [tab]);

  const showMobileView = useCallback((view: MobileView) => {
    setMobileView(view);
    if (isMainView(view)) setTab(view);
  }, []);

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
      { id: "console", label: "Console", icon: SquareTerminal, content: <ConsolePanel userId={userId} /> },
      { id: "jobs", label: "Jobs", icon: Layers, content: <JobsPanel /> },
    ],
    [chat, userId],
  );
  const mainShown = isMainView(mobileView);
  const jobs = useJobs().data;
  const runningJobs = jobs?.jobs.filter((job) => job.running).length ?? 0;
  useJobEndToasts(userId, jobs, tab === "jobs");

  return (
    <TooltipProvider delayDuration={400}>
      <WorkspaceNavContext.Provider value={nav}>
        <SandboxProvider>
          <div className="flex h-dvh flex-col overflow-hidden">
            <TopBar />
            <StartProgress />
            <MobileViewTabs view={mobileView} onChange={showMobileView} hasChat={Boolean(chat)} />
            <div className="flex min-h-0 flex-1">
              <aside
                aria-label="Files"
                className={cn(
                  "w-full min-w-0 shrink-0 flex-col border-slate-200 bg-white md:flex md:w-72 md:border-r lg:w-80 dark:border-slate-800 dark:bg-slate-900/60",
                  mobileView === "files" ? "flex" : "hidden",
                )}
              >
                <FilePanel
                  selectedPath={selectedPath}
                  onOpenFile={openEntry}
                  onPathChanged={onPathChanged}
                  uploadMaxBytes={uploadMaxBytes}
                />
              </aside>
              <div
                ref={areaRef}
                className={cn("min-w-0 flex-1 md:flex", mainShown || mobileView === "preview" ? "flex" : "hidden")}
              >
                <main
                  ref={mainRef}
                  tabIndex={-1}
                  className={cn("min-w-0 flex-1 flex-col focus:outline-none md:flex", mainShown ? "flex" : "hidden")}
                >
                  <Tabs value={tab} onValueChange={setTab} className="flex min-h-0 flex-1 flex-col">
                    <div className="hidden h-11 shrink-0 items-center gap-2 border-b border-slate-200 bg-slate-50 px-2 md:flex dark:border-slate-800 dark:bg-slate-900/40">
                      <TabsList aria-label="Workspace panels">
                        {panels.map(({ id, label, icon: Icon }) => (
                          <TabsTrigger key={id} value={id} data-testid={`tab-${id}`}>
                            <Icon aria-hidden />
                            {label}
                            {id === "jobs" && runningJobs > 0 ? (
                              <span
                                className="rounded-full bg-sky-100 px-1.5 text-xs font-semibold text-sky-700 dark:bg-sky-900/60 dark:text-sky-200"
                                aria-label={`${runningJobs} running`}
                                data-testid="jobs-running-count"
                              >
                                {runningJobs}
                              </span>
                            ) : null}
                          </TabsTrigger>
                        ))}
                      </TabsList>
                      {!previewOpen && selectedPath ? (
                        <button
                          type="button"
                          onClick={() => setPreviewOpen(true)}
                          className="ml-auto inline-flex h-8 min-w-0 items-center gap-1.5 rounded-md px-3 text-sm text-slate-600 hover:bg-slate-100 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-sky-500 dark:text-slate-400 dark:hover:bg-slate-800 [&_svg]:size-4"
                          aria-controls={PREVIEW_ID}
                          data-testid="preview-reopen"
                        >
                          <Eye aria-hidden className="shrink-0" />
                          <span className="truncate">Preview · {baseName(selectedPath)}</span>
                        </button>
                      ) : null}
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
                {previewOpen ? (
                  <SplitHandle
                    className="hidden md:block"
                    width={width}
                    available={available}
                    onResize={choose}
                    controls={PREVIEW_ID}
                  />
                ) : null}
                <PreviewPane
                  id={PREVIEW_ID}
                  path={selectedPath}
                  width={width}
                  onClose={closePreview}
                  className={cn(mobileView === "preview" ? "flex" : "hidden", previewOpen ? "md:flex" : "md:hidden")}
                />
              </div>
            </div>
          </div>
        </SandboxProvider>
      </WorkspaceNavContext.Provider>
    </TooltipProvider>
  );
}

/** The views that are tabs of the main area (the rest are the file tree and the preview). */
function isMainView(view: string): view is "chat" | "console" | "jobs" {
  return view === "chat" || view === "console" || view === "jobs";
}
