"use client";

import { type KeyboardEvent, type PointerEvent, useRef } from "react";
import { cn } from "../../_lib/cn";
import { clampSplit, SPLIT_MIN, splitAfterKey } from "../_lib/split-size";

/**
 * The drag handle between the chat and the preview: drag it with a pointer, or
 * focus it and use the arrow keys (Shift for bigger steps), Home and End.
 * It sits on the preview's left edge, so moving it left widens the preview.
 */
export function SplitHandle({
  width,
  available,
  onResize,
  controls,
  className,
}: {
  width: number;
  /** Width of the chat + preview area, the bound for both. */
  available: number;
  onResize: (width: number) => void;
  /** Id of the panel it resizes. */
  controls: string;
  className?: string;
}) {
  const drag = useRef<{ x: number; width: number } | null>(null);

  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    if (event.button !== 0) return;
    event.preventDefault();
    event.currentTarget.setPointerCapture(event.pointerId);
    event.currentTarget.focus();
    drag.current = { x: event.clientX, width };
  };
  const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
    if (!drag.current) return;
    onResize(clampSplit(drag.current.width + (drag.current.x - event.clientX), available));
  };
  const endDrag = (event: PointerEvent<HTMLDivElement>) => {
    if (!drag.current) return;
    drag.current = null;
    if (event.currentTarget.hasPointerCapture(event.pointerId))
      event.currentTarget.releasePointerCapture(event.pointerId);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const next = splitAfterKey(event.key, event.shiftKey, width, available);
    if (next === null) return;
    event.preventDefault();
    onResize(next);
  };

  return (
    <div
      role="separator"
      aria-orientation="vertical"
      aria-label="Resize the preview"
      aria-controls={controls}
      aria-valuenow={width}
      aria-valuemin={SPLIT_MIN}
      aria-valuemax={clampSplit(Number.POSITIVE_INFINITY, available)}
      tabIndex={0}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={endDrag}
      onPointerCancel={endDrag}
      onKeyDown={onKeyDown}
      className={cn(
        "group relative w-1.5 shrink-0 cursor-col-resize touch-none bg-slate-200 transition-colors select-none hover:bg-sky-400 focus-visible:bg-sky-500 focus-visible:outline-none dark:bg-slate-800",
        className,
      )}
      data-testid="split-handle"
    >
      {/* A wider hit area than the visible line. */}
      <span aria-hidden className="absolute inset-y-0 -left-1.5 -right-1.5" />
    </div>
  );
}
