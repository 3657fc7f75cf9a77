"use client";

import { Download, Ellipsis, FileArchive, FolderPlus, Pencil, Trash2, Upload } from "lucide-react";
import { useRef } from "react";
import { cn } from "../../../_lib/cn";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "../../../_components/ui/dropdown-menu";
import type { FileEntry } from "../../_lib/types";
import { useFileTree } from "./tree-context";

type FileRowMenuProps = {
  entry: FileEntry;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** Where focus goes back when the menu closes without starting a rename. */
  onRestoreFocus: () => void;
};

/** A row's actions, from its "…" button, a right-click or the keyboard's context-menu key. */
export function FileRowMenu({ entry, open, onOpenChange, onRestoreFocus }: FileRowMenuProps) {
  const tree = useFileTree();
  const keepFocusAway = useRef(false);
  return (
    <DropdownMenu open={open} onOpenChange={onOpenChange} modal={false}>
      <DropdownMenuTrigger
        tabIndex={-1}
        aria-label={`Actions for ${entry.name}`}
        data-testid={`file-actions-${entry.name}`}
        onClick={(event) => event.stopPropagation()}
        className={cn(
          "hidden size-6 shrink-0 place-items-center rounded text-slate-500 hover:bg-slate-200 hover:text-slate-900 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-sky-500 group-hover:grid group-focus-visible:grid dark:hover:bg-slate-700 dark:hover:text-slate-100",
          open && "grid",
        )}
      >
        <Ellipsis className="size-4" aria-hidden />
      </DropdownMenuTrigger>
      <DropdownMenuContent
        onClick={(event) => event.stopPropagation()}
        onCloseAutoFocus={(event) => {
          event.preventDefault();
          if (!keepFocusAway.current) onRestoreFocus();
          keepFocusAway.current = false;
        }}
      >
        <DropdownMenuItem data-testid="file-action-download" onSelect={() => tree.download(entry)}>
          <Download aria-hidden />
          {entry.isDir ? "Download as .tar" : "Download"}
        </DropdownMenuItem>
        {entry.isDir ? (
          <DropdownMenuItem data-testid="file-action-download-zip" onSelect={() => tree.downloadZip(entry)}>
            <FileArchive aria-hidden />
            Download as zip
          </DropdownMenuItem>
        ) : null}
        <DropdownMenuItem
          data-testid="file-action-rename"
          onSelect={() => {
            keepFocusAway.current = true;
            tree.setRenamingPath(entry.path);
          }}
        >
          <Pencil aria-hidden />
          Rename
          <kbd className="ml-auto text-xs text-slate-400">F2</kbd>
        </DropdownMenuItem>
        {entry.isDir ? (
          <DropdownMenuItem data-testid="file-action-upload" onSelect={() => tree.requestUpload(entry.path)}>
            <Upload aria-hidden />
            Upload files here…
          </DropdownMenuItem>
        ) : null}
        {entry.isDir ? (
          <DropdownMenuItem
            data-testid="file-action-new-folder"
            onSelect={() => {
              keepFocusAway.current = true;
              tree.requestNewFolder(entry.path);
            }}
          >
            <FolderPlus aria-hidden />
            New folder inside
          </DropdownMenuItem>
        ) : null}
        <DropdownMenuSeparator />
        <DropdownMenuItem
          tone="danger"
          data-testid="file-action-delete"
          onSelect={() => {
            keepFocusAway.current = true;
            tree.requestDelete(entry);
          }}
        >
          <Trash2 aria-hidden />
          Delete…
          <kbd className="ml-auto text-xs opacity-60">Del</kbd>
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
