"use client";

import { useCallback, useLayoutEffect, useRef, useState } from "react";
import { virtualWindow } from "../../_lib/virtual-window";

/**
 * Which rows of a fixed-height table to render for its scroll container: reads
 * the scroll offset and the container's and header's heights, and re-reads them
 * on scroll and resize. The rows above and below are stood in for by padding.
 */
export function useVirtualRows(rowCount: number, rowHeight: number) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const headerRef = useRef<HTMLTableSectionElement>(null);
  const [view, setView] = useState({ scrollTop: 0, height: 0, header: 0 });

  const measure = useCallback(() => {
    const scroller = scrollRef.current;
    if (!scroller) return;
    const next = {
      scrollTop: scroller.scrollTop,
      height: scroller.clientHeight,
      header: headerRef.current?.offsetHeight ?? 0,
    };
    setView((current) =>
      current.scrollTop === next.scrollTop && current.height === next.height && current.header === next.header
        ? current
        : next,
    );
  }, []);

  useLayoutEffect(() => {
    const scroller = scrollRef.current;
    if (!scroller) return;
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(scroller);
    if (headerRef.current) observer.observe(headerRef.current);
    return () => observer.disconnect();
  }, [measure]);

  const window = virtualWindow({
    scrollTop: view.scrollTop - view.header,
    viewportHeight: view.height - view.header,
    rowHeight,
    rowCount,
  });
  return { scrollRef, headerRef, onScroll: measure, window };
}
