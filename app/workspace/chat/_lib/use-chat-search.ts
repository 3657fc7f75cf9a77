"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTRPC } from "../../../_trpc/client";

const DEBOUNCE_MS = 250;

/** Searches the user's conversations (titles and messages, on the server) as they type, after a short pause. */
export function useChatSearch(query: string) {
  const trpc = useTRPC();
  const [settled, setSettled] = useState(query.trim());
  useEffect(() => {
    const timer = setTimeout(() => setSettled(query.trim()), DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [query]);
  const results = useQuery(trpc.chats.search.queryOptions({ query: settled }, { enabled: settled.length > 0, placeholderData: keepPreviousData }));
  return { active: query.trim().length > 0, searching: query.trim() !== settled || results.isFetching, results };
}
