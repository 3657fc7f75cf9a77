"use client";

import { useLayoutEffect, useRef, type KeyboardEvent } from "react";
import { cn } from "../../../_lib/cn";
import { WORKSPACE_ROOT } from "../../_lib/paths";
import { FolderChildren } from "./folder-children";
import { useFileTree } from "./tree-context";

function visibleItems(tree: HTMLElement): HTMLElement[] {
  return Array.from(tree.querySelectorAll<HTMLElement>('[role="treeitem"]'));
}

/** Moves focus between rows like a desktop file tree: arrows, Home and End (rows handle Enter, F2, Delete). */
function navigate(event: KeyboardEvent<HTMLDivElement>) {
  const current = (event.target as HTMLElement).closest<HTMLElement>('[role="treeitem"]');
  if (!current || event.target !== current) return;
  const items = visibleItems(event.currentTarget);
  const index = items.indexOf(current);
  let next: HTMLElement | undefined;
  if (event.key === "ArrowDown") next = items[index + 1];
  else if (event.key === "ArrowUp") next = items[index - 1];
  else if (event.key === "Home") next = items[0];
  else if (event.key === "End") next = items.at(-1);
  else if (event.key === "ArrowRight" && current.dataset.dir) next = items[index + 1];
  else if (event.key === "ArrowLeft") {
    const level = Number(current.getAttribute("aria-level"));
    next = items.slice(0, index).findLast((item) => Number(item.getAttribute("aria-level")) === level - 1);
  } else return;
  event.preventDefault();
  if (
    event.key === "ArrowRight" &&
    next &&
    Number(next.getAttribute("aria-level")) <= Number(current.getAttribute("aria-level"))
  )
    return;
  next?.focus();
}

export function FileTree({ className }: { className?: string }) {
  const tree = useFileTree();
  const element = useRef<HTMLDivElement>(null);
  const { focusPath, setFocusPath } = tree;

  // If the focused row went away (deleted, renamed, folder closed), the first row takes the Tab stop again.
  useLayoutEffect(() => {
    if (!focusPath || !element.current) return;
    if (!element.current.querySelector('[role="treeitem"][tabindex="0"]')) {
      const first = visibleItems(element.current)[0];
      if (first?.dataset.path) setFocusPath(first.dataset.path);
    }
  });

  return (
    <div
      ref={element}
      role="tree"
      aria-label="Workspace files"
      data-testid="file-tree"
      onKeyDown={navigate}
      {...tree.dropHandlers(WORKSPACE_ROOT)}
      className={cn(
        "flex flex-col gap-px p-1.5",
        tree.dropTarget === WORKSPACE_ROOT &&
          "rounded-lg bg-sky-50/70 ring-2 ring-inset ring-sky-500 dark:bg-sky-950/40",
        className,
      )}
    >
      <FolderChildren dir={WORKSPACE_ROOT} level={1} />
    </div>
  );
}
