"use client";

import { useCallback, useEffect, useState, type DragEvent } from "react";
import { toast } from "../../_components/toaster";
import { readDroppedFolder } from "./dropped-folders";
import type { TarItem } from "./tar-blob";

const hasFiles = (event: { dataTransfer: DataTransfer | null }) => !!event.dataTransfer?.types.includes("Files");

/** Files and folders dropped from the desktop, with the folder under the pointer highlighted. */
export function useFileDrop(
  onDropFiles: (files: File[], dir: string) => void,
  onDropFolder: (items: TarItem[], dir: string, name: string) => void,
) {
  const [dropTarget, setDropTarget] = useState<string | null>(null);

  // A file dropped next to the drop zones must not navigate the page away.
  useEffect(() => {
    const guard = (event: globalThis.DragEvent) => {
      if (hasFiles(event)) event.preventDefault();
    };
    const clear = () => setDropTarget(null);
    window.addEventListener("dragover", guard);
    window.addEventListener("drop", guard);
    window.addEventListener("dragend", clear);
    return () => {
      window.removeEventListener("dragover", guard);
      window.removeEventListener("drop", guard);
      window.removeEventListener("dragend", clear);
    };
  }, []);

  const dropHandlers = useCallback(
    (dir: string) => ({
      onDragEnter: (event: DragEvent) => {
        if (!hasFiles(event)) return;
        event.preventDefault();
        event.stopPropagation();
        setDropTarget(dir);
      },
      onDragOver: (event: DragEvent) => {
        if (!hasFiles(event)) return;
        event.preventDefault();
        event.stopPropagation();
        event.dataTransfer.dropEffect = "copy";
        setDropTarget(dir);
      },
      onDragLeave: (event: DragEvent) => {
        if (event.relatedTarget instanceof Node && event.currentTarget.contains(event.relatedTarget)) return;
        setDropTarget((current) => (current === dir ? null : current));
      },
      onDrop: (event: DragEvent) => {
        if (!hasFiles(event)) return;
        event.preventDefault();
        event.stopPropagation();
        setDropTarget(null);
        // Entries must be taken now: the DataTransfer is emptied once this handler returns.
        const entries = Array.from(event.dataTransfer.items)
          .filter((item) => item.kind === "file")
          .map((item) => item.webkitGetAsEntry?.() ?? null);
        const files = Array.from(event.dataTransfer.files).filter((_file, index) => !entries[index]?.isDirectory);
        if (files.length > 0) onDropFiles(files, dir);
        for (const entry of entries) {
          if (!entry?.isDirectory) continue;
          readDroppedFolder(entry as FileSystemDirectoryEntry).then(
            (items) => onDropFolder(items, dir, entry.name),
            () => toast.error(`Couldn't read the folder “${entry.name}”`, "Check that you may read it, then drop it again."),
          );
        }
      },
    }),
    [onDropFiles, onDropFolder],
  );

  return { dropTarget, dropHandlers };
}
