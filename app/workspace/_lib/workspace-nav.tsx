"use client";

import { createContext, useContext } from "react";

/** Lets any panel (e.g. the chat) show a workspace file in the preview beside it or switch tabs. */
export type WorkspaceNav = {
  /** Selects the file and opens the preview panel (on a phone, switches to it). */
  openFile: (path: string) => void;
  /** Shows a panel by id: "chat", "console" or "jobs" (tabs), or "preview" (the panel beside them). */
  showTab: (id: string) => void;
};

export const WorkspaceNavContext = createContext<WorkspaceNav | null>(null);

export function useWorkspaceNav(): WorkspaceNav {
  const value = useContext(WorkspaceNavContext);
  if (!value) throw new Error("useWorkspaceNav needs the <WorkspaceShell>");
  return value;
}
