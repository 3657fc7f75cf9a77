"use client";

import { useSearchParams } from "next/navigation";
import { useCallback } from "react";

const PARAM = "chat";

/**
 * The open conversation, kept in the address as ?chat=<id> so a reload (or a
 * shared link of one's own) comes back to it. null: a new, unsaved chat.
 */
export function useChatId(): [string | null, (id: string | null) => void] {
  const params = useSearchParams();
  const chatId = params.get(PARAM);
  const setChatId = useCallback((id: string | null) => {
    const url = new URL(window.location.href);
    if (id) url.searchParams.set(PARAM, id);
    else url.searchParams.delete(PARAM);
    // Next keeps useSearchParams in step with the History API, without a server round trip.
    window.history.replaceState(null, "", url);
  }, []);
  return [chatId, setChatId];
}
