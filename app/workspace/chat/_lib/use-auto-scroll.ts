"use client";

import { useCallback, useEffect, useRef, useState } from "react";

/** How close to the bottom (px) still counts as "following" the conversation. */
const FOLLOW_THRESHOLD_PX = 80;

/**
 * Keeps a scrolling list pinned to its newest content while the user is at
 * the bottom; once they scroll up to read, it leaves them there and offers a
 * way back (`atBottom` false → show "Jump to latest").
 */
export function useAutoScroll<T extends HTMLElement, C extends HTMLElement>() {
  const scrollRef = useRef<T>(null);
  const contentRef = useRef<C>(null);
  const following = useRef(true);
  const [atBottom, setAtBottom] = useState(true);

  const scrollToBottom = useCallback((behavior: ScrollBehavior = "auto") => {
    const element = scrollRef.current;
    if (!element) return;
    following.current = true;
    setAtBottom(true);
    element.scrollTo({ top: element.scrollHeight, behavior });
  }, []);

  useEffect(() => {
    const element = scrollRef.current;
    const content = contentRef.current;
    if (!element || !content) return;
    // Only the user scrolls up (following the content only ever scrolls down, and content
    // growing changes no scrollTop): scrolling up stops following, reaching the bottom resumes it.
    let lastTop = element.scrollTop;
    const onScroll = () => {
      const top = element.scrollTop;
      const distance = element.scrollHeight - top - element.clientHeight;
      if (distance <= FOLLOW_THRESHOLD_PX) following.current = true;
      else if (top < lastTop - 2) following.current = false;
      lastTop = top;
      setAtBottom(following.current);
    };
    // Content grows as text streams, steps open and images load: follow it if the user is following.
    const observer = new ResizeObserver(() => {
      if (following.current) element.scrollTop = element.scrollHeight;
    });
    observer.observe(content);
    element.addEventListener("scroll", onScroll, { passive: true });
    element.scrollTop = element.scrollHeight;
    return () => {
      observer.disconnect();
      element.removeEventListener("scroll", onScroll);
    };
  }, []);

  return { scrollRef, contentRef, atBottom, scrollToBottom };
}
