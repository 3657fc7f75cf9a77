"use client";

import { type RefObject, useEffect, useState } from "react";
import { clampSplit, parseStoredSplit, SPLIT_DEFAULT, SPLIT_STORAGE_KEY } from "./split-size";

/**
 * The preview panel's width: what the user last chose (remembered in
 * localStorage), kept within what the area beside the file tree allows now.
 * `areaRef` is that area (chat + preview); its width is watched as the window resizes.
 */
export function usePreviewWidth(areaRef: RefObject<HTMLElement | null>) {
  const [chosen, setChosen] = useState(SPLIT_DEFAULT);
  const [available, setAvailable] = useState(0);

  // Read after mounting: the server has no localStorage, and the first render must match it.
  useEffect(() => {
    setChosen(parseStoredSplit(window.localStorage.getItem(SPLIT_STORAGE_KEY)));
  }, []);

  useEffect(() => {
    const area = areaRef.current;
    if (!area) return;
    const observer = new ResizeObserver(() => setAvailable(area.clientWidth));
    observer.observe(area);
    return () => observer.disconnect();
  }, [areaRef]);

  const width = available > 0 ? clampSplit(chosen, available) : chosen;
  const choose = (next: number) => {
    setChosen(next);
    try {
      window.localStorage.setItem(SPLIT_STORAGE_KEY, String(next));
    } catch {
      // Storage full or blocked (private mode): the width still applies for this visit.
    }
  };
  return { width, available, choose };
}
