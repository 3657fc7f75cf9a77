"use client";

import { type RefObject, useEffect } from "react";

/**
 * Closes a side list when its container becomes narrower than `minWidth` and
 * reopens it when it widens again (a phone, or the chat squeezed by the preview).
 * Only crossings act: the user's own toggling in between is kept.
 */
export function useCollapseWhenNarrow(
  ref: RefObject<HTMLElement | null>,
  minWidth: number,
  setOpen: (open: boolean) => void,
) {
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    let narrow: boolean | null = null;
    const observer = new ResizeObserver(() => {
      // A hidden panel (another tab, another view on a phone) measures 0: not a real width.
      if (element.clientWidth === 0) return;
      const now = element.clientWidth < minWidth;
      if (now !== narrow) {
        // The first reading only closes: a wide start keeps the list as it was.
        if (narrow !== null || now) setOpen(!now);
        narrow = now;
      }
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref, minWidth, setOpen]);
}
