"use client";

import { useCallback, useEffect, useState, type DragEvent } from "react";
import { toast } from "../../_components/toaster";

const hasFiles = (event: { dataTransfer: DataTransfer | null }) => !!event.dataTransfer?.types.includes("Files");

/** Files dropped from the desktop, with the folder under the pointer highlighted. Folders can't be dropped (say so). */
export function useFileDrop(onDropFiles: (files: File[], dir: string) => void) {
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
        const items = Array.from(event.dataTransfer.items).filter((item) => item.kind === "file");
        const isFolder = items.map((item) => !!item.webkitGetAsEntry?.()?.isDirectory);
        if (isFolder.includes(true))
          toast.error(
            "Folders can't be uploaded by dropping",
            "Open the folder and drop the files inside it, or upload a .zip and unpack it in the console.",
          );
        const files = Array.from(event.dataTransfer.files).filter((_file, index) => !isFolder[index]);
        if (files.length > 0) onDropFiles(files, dir);
      },
    }),
    [onDropFiles],
  );

  return { dropTarget, dropHandlers };
}
