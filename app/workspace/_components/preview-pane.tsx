"use client";

import { Eye, X } from "lucide-react";
import { type CSSProperties, type KeyboardEvent } from "react";
import { cn } from "../../_lib/cn";
import { Button } from "../../_components/ui/button";
import { PreviewPanel } from "./preview/preview-panel";

/**
 * The preview beside the chat: a bar with its name and a close button, then the
 * file. Escape anywhere inside closes it (unless a control used the key, e.g. the filter clearing).
 * Its width comes in as a CSS variable so a phone's full-width stacking stays pure CSS.
 */
export function PreviewPane({
  id,
  path,
  width,
  className,
  onClose,
}: {
  id: string;
  path: string | null;
  width: number;
  className?: string;
  onClose: () => void;
}) {
  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    if (event.key !== "Escape" || event.defaultPrevented) return;
    event.preventDefault();
    onClose();
  };
  return (
    <section
      id={id}
      aria-label="Preview"
      onKeyDown={onKeyDown}
      style={{ "--preview-width": `${width}px` } as CSSProperties}
      className={cn(
        "min-h-0 w-full min-w-0 shrink-0 flex-col bg-white md:w-[var(--preview-width)] dark:bg-slate-950",
        className,
      )}
      data-testid="panel-preview"
    >
      <div className="flex h-11 shrink-0 items-center gap-2 border-b border-slate-200 bg-slate-50 pr-1 pl-3 dark:border-slate-800 dark:bg-slate-900/40">
        <Eye aria-hidden className="size-4 text-slate-500" />
        <h2 className="flex-1 text-sm font-medium text-slate-700 dark:text-slate-300">Preview</h2>
        <Button
          variant="ghost"
          size="icon"
          onClick={onClose}
          aria-label="Close the preview (Escape)"
          data-testid="preview-close"
        >
          <X aria-hidden />
        </Button>
      </div>
      <div className="flex min-h-0 flex-1 flex-col">
        <PreviewPanel path={path} />
      </div>
    </section>
  );
}
