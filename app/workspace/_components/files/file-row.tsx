"use client";

import { ChevronRight } from "lucide-react";
import { useRef, useState, type KeyboardEvent } from "react";
import { cn } from "../../../_lib/cn";
import { fileKind } from "../../_lib/file-kind";
import { formatBytes, formatDateTime, formatRelativeTime } from "../../_lib/format";
import { parentOf } from "../../_lib/paths";
import type { FileEntry } from "../../_lib/types";
import { FileIcon } from "./file-icon";
import { FileRowMenu } from "./file-row-menu";
import { RenameInput } from "./rename-input";
import { useFileTree } from "./tree-context";

type FileRowProps = { entry: FileEntry; level: number; position: number; setSize: number; firstInTree: boolean };

export const INDENT_PX = 14;

/** One file or folder: a treeitem that opens, expands, renames and takes dropped files. */
export function FileRow({ entry, level, position, setSize, firstInTree }: FileRowProps) {
  const tree = useFileTree();
  const row = useRef<HTMLDivElement>(null);
  const [menuOpen, setMenuOpen] = useState(false);
  const expanded = entry.isDir && tree.expanded.has(entry.path);
  const renaming = tree.renamingPath === entry.path;
  const selected = tree.selectedPath === entry.path;
  const focusable = tree.focusPath === entry.path || (tree.focusPath === null && firstInTree);
  const dropDir = entry.isDir ? entry.path : parentOf(entry.path);
  const isDropTarget = entry.isDir && tree.dropTarget === entry.path;

  function activate() {
    if (entry.isDir) tree.setExpanded(entry.path, !expanded);
    else tree.openFile(entry);
  }

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (event.target !== event.currentTarget) return;
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      activate();
    } else if (event.key === "ArrowRight" && entry.isDir && !expanded) {
      event.preventDefault();
      event.stopPropagation();
      tree.setExpanded(entry.path, true);
    } else if (event.key === "ArrowLeft" && expanded) {
      event.preventDefault();
      event.stopPropagation();
      tree.setExpanded(entry.path, false);
    } else if (event.key === "F2") {
      event.preventDefault();
      tree.setRenamingPath(entry.path);
    } else if (event.key === "Delete") {
      event.preventDefault();
      tree.requestDelete(entry);
    }
  }

  return (
    <div
      ref={row}
      role="treeitem"
      aria-level={level}
      aria-posinset={position}
      aria-setsize={setSize}
      aria-expanded={entry.isDir ? expanded : undefined}
      aria-selected={selected}
      aria-label={entry.name}
      tabIndex={focusable ? 0 : -1}
      data-testid={`file-row-${entry.name}`}
      data-path={entry.path}
      data-dir={entry.isDir || undefined}
      onFocus={(event) => event.target === event.currentTarget && tree.setFocusPath(entry.path)}
      onClick={() => !renaming && activate()}
      onKeyDown={onKeyDown}
      onContextMenu={(event) => {
        event.preventDefault();
        setMenuOpen(true);
      }}
      {...tree.dropHandlers(dropDir)}
      className={cn(
        "group relative flex h-8 cursor-default select-none items-center gap-1.5 rounded-md pr-1 text-sm outline-none",
        "hover:bg-slate-100 focus-visible:ring-2 focus-visible:ring-inset focus-visible:ring-sky-500 dark:hover:bg-slate-800/70",
        selected &&
          "bg-sky-50 text-sky-900 hover:bg-sky-100 dark:bg-sky-950/60 dark:text-sky-100 dark:hover:bg-sky-950",
        isDropTarget && "bg-sky-100 ring-2 ring-inset ring-sky-500 dark:bg-sky-950",
        entry.name.startsWith(".") && "text-slate-500 dark:text-slate-500",
      )}
      style={{ paddingLeft: 4 + (level - 1) * INDENT_PX }}
    >
      <span className="grid size-4 shrink-0 place-items-center" aria-hidden>
        {entry.isDir ? (
          <ChevronRight className={cn("size-3.5 text-slate-400 transition-transform", expanded && "rotate-90")} />
        ) : null}
      </span>
      <FileIcon kind={fileKind(entry.name, entry.isDir)} open={expanded} />
      {renaming ? (
        <RenameInput
          name={entry.name}
          onCancel={() => {
            tree.setRenamingPath(null);
            row.current?.focus();
          }}
          onSubmit={async (name) => {
            const ok = await tree.rename(entry, name);
            if (ok) tree.setRenamingPath(null);
            return ok;
          }}
        />
      ) : (
        <>
          <span className="min-w-0 flex-1 truncate" title={entry.name}>
            {entry.name}
          </span>
          <span
            className={cn(
              "shrink-0 pr-1 text-xs tabular-nums text-slate-400 group-hover:hidden group-focus-visible:hidden dark:text-slate-500",
              menuOpen && "hidden",
            )}
            title={formatDateTime(entry.modifiedMs)}
          >
            {entry.isDir
              ? formatRelativeTime(entry.modifiedMs)
              : `${formatBytes(entry.size)} · ${formatRelativeTime(entry.modifiedMs)}`}
          </span>
        </>
      )}
      {renaming ? null : (
        <FileRowMenu
          entry={entry}
          open={menuOpen}
          onOpenChange={setMenuOpen}
          onRestoreFocus={() => row.current?.focus()}
        />
      )}
    </div>
  );
}
