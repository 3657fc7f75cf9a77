// Which rows of a fixed-row-height list are worth rendering: those in the
// viewport plus a few either side, so scrolling never shows a blank gap.

export type VirtualWindow = {
  /** First row to render (inclusive). */
  start: number;
  /** Row after the last one to render (exclusive). */
  end: number;
  /** Height standing in for the rows above `start`. */
  padTop: number;
  /** Height standing in for the rows from `end` on. */
  padBottom: number;
};

export function virtualWindow({
  scrollTop,
  viewportHeight,
  rowHeight,
  rowCount,
  overscan = 8,
}: {
  /** Scroll offset from the first row (the header's height already taken off). */
  scrollTop: number;
  viewportHeight: number;
  rowHeight: number;
  rowCount: number;
  overscan?: number;
}): VirtualWindow {
  if (rowCount <= 0 || rowHeight <= 0) return { start: 0, end: 0, padTop: 0, padBottom: 0 };
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const visible = Math.ceil(Math.max(0, viewportHeight) / rowHeight) + 1;
  const start = Math.min(rowCount, Math.max(0, first - overscan));
  const end = Math.min(rowCount, first + visible + overscan);
  return { start, end, padTop: start * rowHeight, padBottom: (rowCount - end) * rowHeight };
}
