"use client";

import { createContext, useContext } from "react";

/** Lets any panel (e.g. the chat) show a workspace file in the Preview tab or switch tabs. */
export type WorkspaceNav = {
  /** Selects the file and shows the Preview tab. */
  openFile: (path: string) => void;
  /** Shows a main-area tab by id: "chat", "preview" or "console". */
  showTab: (id: string) => void;
};

export const WorkspaceNavContext = createContext<WorkspaceNav | null>(null);

export function useWorkspaceNav(): WorkspaceNav {
  const value = useContext(WorkspaceNavContext);
  if (!value) throw new Error("useWorkspaceNav needs the <WorkspaceShell>");
  return value;
}
