"use client";

import { useCallback, useEffect, useRef } from "react";

const MAX_HISTORY = 200;

function load(key: string): string[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(key) ?? "[]");
    return Array.isArray(parsed)
      ? parsed.filter((item): item is string => typeof item === "string").slice(-MAX_HISTORY)
      : [];
  } catch {
    return [];
  }
}

/**
 * The console's command history, kept in localStorage per user. Up walks back from the newest,
 * Down walks forward and finally returns what was being typed before.
 */
export function useCommandHistory(userId: string) {
  const key = `tidepool:console-history:${userId}`;
  const history = useRef<string[]>([]);
  const cursor = useRef<number | null>(null);
  const draft = useRef("");

  useEffect(() => {
    history.current = load(key);
  }, [key]);

  const push = useCallback(
    (command: string) => {
      const items = history.current.filter((item) => item !== command);
      items.push(command);
      history.current = items.slice(-MAX_HISTORY);
      cursor.current = null;
      try {
        localStorage.setItem(key, JSON.stringify(history.current));
      } catch {
        // storage full or disabled: history lasts for this page only
      }
    },
    [key],
  );

  /** The previous command, or null at the oldest. `current` is kept as the draft when leaving it. */
  const older = useCallback((current: string): string | null => {
    const items = history.current;
    if (items.length === 0) return null;
    if (cursor.current === null) {
      draft.current = current;
      cursor.current = items.length;
    }
    if (cursor.current === 0) return null;
    cursor.current -= 1;
    return items[cursor.current] ?? null;
  }, []);

  /** The next command, the draft after the newest, or null when not walking the history. */
  const newer = useCallback((): string | null => {
    if (cursor.current === null) return null;
    cursor.current += 1;
    if (cursor.current >= history.current.length) {
      cursor.current = null;
      return draft.current;
    }
    return history.current[cursor.current] ?? null;
  }, []);

  const reset = useCallback(() => {
    cursor.current = null;
  }, []);

  return { push, older, newer, reset };
}
