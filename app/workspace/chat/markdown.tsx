"use client";

import { memo } from "react";
import { defaultUrlTransform, Streamdown, type UrlTransform } from "streamdown";
import { cn } from "../../_lib/cn";
import { downloadUrl } from "../_lib/paths";
import { markdownHighlighter } from "./_lib/markdown-highlighter";

const plugins = { code: markdownHighlighter };

// Paths in the workspace that the agent writes as links or images open through the download route.
const urlTransform: UrlTransform = (url, key, node) => {
  if (url.startsWith("/workspace/")) return downloadUrl(url, { inline: true });
  return defaultUrlTransform(url, key, node);
};

/**
 * The agent's answer as markdown, rendered safely while it streams (unclosed
 * code fences, half tables). Streamdown's design tokens (background, muted,
 * border, primary) are mapped to the app's palette in globals.css.
 */
export const Markdown = memo(function Markdown({ text, streaming, className }: { text: string; streaming: boolean; className?: string }) {
  return (
    <Streamdown
      className={cn(
        "chat-markdown min-w-0 text-[15px] leading-7 text-slate-800 dark:text-slate-200",
        className,
      )}
      mode={streaming ? "streaming" : "static"}
      isAnimating={streaming}
      plugins={plugins}
      urlTransform={urlTransform}
      lineNumbers={false}
      controls={{ code: { copy: true, download: false }, table: { copy: true, download: true, fullscreen: false }, mermaid: false, image: false }}
      linkSafety={{ enabled: false }}
    >
      {text}
    </Streamdown>
  );
});
