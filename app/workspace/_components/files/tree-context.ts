"use client";

import { createContext, useContext, type DragEvent } from "react";
import type { FileEntry } from "../../_lib/types";

export type DropHandlers = {
  onDragEnter: (event: DragEvent) => void;
  onDragOver: (event: DragEvent) => void;
  onDragLeave: (event: DragEvent) => void;
  onDrop: (event: DragEvent) => void;
};

/** What every row of the file tree needs from the panel that owns it. */
export type FileTreeContextValue = {
  enabled: boolean;
  expanded: ReadonlySet<string>;
  setExpanded: (path: string, open: boolean) => void;
  selectedPath: string | null;
  focusPath: string | null;
  setFocusPath: (path: string) => void;
  renamingPath: string | null;
  setRenamingPath: (path: string | null) => void;
  dropTarget: string | null;
  dropHandlers: (dir: string) => DropHandlers;
  openFile: (entry: FileEntry) => void;
  rename: (entry: FileEntry, newName: string) => Promise<boolean>;
  requestDelete: (entry: FileEntry) => void;
  requestNewFolder: (dir: string) => void;
  requestUpload: (dir: string) => void;
  download: (entry: FileEntry) => void;
  /** A folder as a .zip. */
  downloadZip: (entry: FileEntry) => void;
};

export const FileTreeContext = createContext<FileTreeContextValue | null>(null);

export function useFileTree(): FileTreeContextValue {
  const value = useContext(FileTreeContext);
  if (!value) throw new Error("useFileTree needs a FileTreeContext provider");
  return value;
}
