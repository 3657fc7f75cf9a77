// The preview panel's width beside the chat: kept between sensible bounds,
// moved in steps from the keyboard, and remembered between visits.

export const SPLIT_STORAGE_KEY = "tidepool.previewWidth";
export const SPLIT_DEFAULT = 480;
export const SPLIT_MIN = 320;
/** The chat keeps at least this much of the main area. */
export const CHAT_MIN = 400;
export const SPLIT_STEP = 24;
export const SPLIT_STEP_LARGE = 120;

/** The width within bounds for a main area `available` px wide. */
export function clampSplit(width: number, available: number): number {
  const max = Math.max(SPLIT_MIN, available - CHAT_MIN);
  return Math.round(Math.min(max, Math.max(SPLIT_MIN, width)));
}

/**
 * The width after a key on the focused handle, or null for other keys. The handle
 * sits on the preview's left edge, so ArrowLeft widens the preview.
 */
export function splitAfterKey(key: string, shiftKey: boolean, width: number, available: number): number | null {
  const step = shiftKey ? SPLIT_STEP_LARGE : SPLIT_STEP;
  switch (key) {
    case "ArrowLeft":
      return clampSplit(width + step, available);
    case "ArrowRight":
      return clampSplit(width - step, available);
    case "Home":
      return clampSplit(SPLIT_MIN, available);
    case "End":
      return clampSplit(Number.POSITIVE_INFINITY, available);
    default:
      return null;
  }
}

/** A stored width, or the default when nothing (or nonsense) is stored. */
export function parseStoredSplit(stored: string | null): number {
  const value = Number(stored);
  return stored !== null && Number.isFinite(value) && value > 0 ? value : SPLIT_DEFAULT;
}
