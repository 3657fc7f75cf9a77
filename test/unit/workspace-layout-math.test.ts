import { describe, expect, it } from "vitest";
import {
  CHAT_MIN,
  clampSplit,
  parseStoredSplit,
  SPLIT_DEFAULT,
  SPLIT_MIN,
  SPLIT_STEP,
  SPLIT_STEP_LARGE,
  splitAfterKey,
} from "~/app/workspace/_lib/split-size";
import { virtualWindow } from "~/app/workspace/_lib/virtual-window";

describe("virtualWindow", () => {
  it("renders the rows in view plus the overscan, with padding for the rest", () => {
    const window = virtualWindow({ scrollTop: 3200, viewportHeight: 320, rowHeight: 32, rowCount: 5000, overscan: 5 });
    expect(window).toEqual({ start: 95, end: 116, padTop: 95 * 32, padBottom: (5000 - 116) * 32 });
  });

  it("keeps the total height: padding plus rendered rows is every row", () => {
    for (const scrollTop of [0, 17, 1000, 159_990, 1e9]) {
      const { start, end, padTop, padBottom } = virtualWindow({
        scrollTop,
        viewportHeight: 500,
        rowHeight: 32,
        rowCount: 5000,
      });
      expect(padTop + (end - start) * 32 + padBottom).toBe(5000 * 32);
      expect(start).toBeLessThanOrEqual(end);
    }
  });

  it("renders everything when the list is short, and nothing when it is empty", () => {
    expect(virtualWindow({ scrollTop: 0, viewportHeight: 600, rowHeight: 32, rowCount: 3 })).toEqual({
      start: 0,
      end: 3,
      padTop: 0,
      padBottom: 0,
    });
    expect(virtualWindow({ scrollTop: 0, viewportHeight: 600, rowHeight: 32, rowCount: 0 })).toEqual({
      start: 0,
      end: 0,
      padTop: 0,
      padBottom: 0,
    });
  });

  it("treats a negative scroll (overscroll bounce) as the top", () => {
    expect(
      virtualWindow({ scrollTop: -50, viewportHeight: 64, rowHeight: 32, rowCount: 100, overscan: 0 }),
    ).toMatchObject({ start: 0, end: 3 });
  });
});

describe("split size", () => {
  it("keeps the preview between its minimum and what leaves the chat its minimum", () => {
    expect(clampSplit(100, 1200)).toBe(SPLIT_MIN);
    expect(clampSplit(5000, 1200)).toBe(1200 - CHAT_MIN);
    expect(clampSplit(500.4, 1200)).toBe(500);
    // A narrow main area still gives the preview its minimum.
    expect(clampSplit(500, 400)).toBe(SPLIT_MIN);
  });

  it("moves with the arrow keys (Shift for big steps), Home and End", () => {
    expect(splitAfterKey("ArrowLeft", false, 500, 1200)).toBe(500 + SPLIT_STEP);
    expect(splitAfterKey("ArrowRight", true, 500, 1200)).toBe(500 - SPLIT_STEP_LARGE);
    expect(splitAfterKey("Home", false, 500, 1200)).toBe(SPLIT_MIN);
    expect(splitAfterKey("End", false, 500, 1200)).toBe(1200 - CHAT_MIN);
    expect(splitAfterKey("Enter", false, 500, 1200)).toBeNull();
  });

  it("reads a stored width, falling back to the default", () => {
    expect(parseStoredSplit("640")).toBe(640);
    expect(parseStoredSplit(null)).toBe(SPLIT_DEFAULT);
    expect(parseStoredSplit("wide")).toBe(SPLIT_DEFAULT);
    expect(parseStoredSplit("-4")).toBe(SPLIT_DEFAULT);
  });
});
