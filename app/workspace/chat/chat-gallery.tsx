"use client";

import { useQuery } from "@tanstack/react-query";
import { ArrowUpRight, FileText, GalleryHorizontalEnd } from "lucide-react";
import { useState } from "react";
import { Button } from "../../_components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogTrigger } from "../../_components/ui/dialog";
import { Skeleton } from "../../_components/ui/skeleton";
import { useTRPC } from "../../_trpc/client";
import { baseName, displayPath, downloadUrl } from "../_lib/paths";
import { keptFigureUrl } from "./_lib/figure-origin";
import { CodeView } from "./code-view";

/** Scrolls the conversation to a message and marks it for a moment. */
function scrollToMessage(messageId: string) {
  const element = document.querySelector<HTMLElement>(`[data-message-id="${CSS.escape(messageId)}"]`);
  if (!element) return;
  element.scrollIntoView({ behavior: "smooth", block: "start" });
  element.dataset.highlight = "true";
  window.setTimeout(() => delete element.dataset.highlight, 2000);
}

/** The conversation's charts and files, each linked to its message and the code that made it. */
export function ChatGallery({ chatId }: { chatId: string }) {
  const [open, setOpen] = useState(false);
  const trpc = useTRPC();
  const gallery = useQuery(
    trpc.chats.gallery.queryOptions({ id: chatId }, { enabled: open, refetchOnMount: "always" }),
  );
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button
          variant="ghost"
          size="icon"
          aria-label="Charts and files of this chat"
          title="Charts and files"
          data-testid="chat-gallery-open"
        >
          <GalleryHorizontalEnd aria-hidden />
        </Button>
      </DialogTrigger>
      <DialogContent
        title="Charts and files"
        description="What this conversation made, with the code that made it."
        className="max-w-3xl"
        data-testid="chat-gallery"
      >
        <div className="max-h-[65vh] overflow-y-auto pr-1">
          {gallery.isPending ? (
            <div className="grid gap-3 sm:grid-cols-2">
              <Skeleton className="h-40" />
              <Skeleton className="h-40" />
            </div>
          ) : gallery.isError ? (
            <p className="text-sm text-rose-700 dark:text-rose-400">
              The list could not be loaded. Close this and try again.
            </p>
          ) : gallery.data.length === 0 ? (
            <p className="text-sm text-slate-500 dark:text-slate-400" data-testid="chat-gallery-empty">
              Nothing yet: charts and files the agent makes in this chat appear here.
            </p>
          ) : (
            <ul className="grid gap-3 sm:grid-cols-2">
              {gallery.data.map((item) => (
                <li
                  key={item.id}
                  className="flex min-w-0 flex-col gap-2 rounded-lg border border-slate-200 p-2 dark:border-slate-800"
                  data-testid="chat-gallery-item"
                  data-kind={item.kind}
                >
                  {item.kind === "figure" ? (
                    <img
                      src={
                        item.kept
                          ? keptFigureUrl({ chatId, messageId: item.messageId }, item.path)
                          : downloadUrl(item.path, { inline: true })
                      }
                      alt={`Chart ${baseName(item.path)}`}
                      className="h-36 w-full rounded-md bg-white object-contain"
                      loading="lazy"
                    />
                  ) : (
                    <div className="flex h-16 items-center gap-2 rounded-md bg-slate-50 px-3 text-slate-500 dark:bg-slate-900">
                      <FileText className="size-5 shrink-0" aria-hidden />
                    </div>
                  )}
                  <p className="truncate text-xs text-slate-700 dark:text-slate-200" title={displayPath(item.path)}>
                    {displayPath(item.path)}
                  </p>
                  {item.madeBy && "code" in item.madeBy ? (
                    <details className="text-xs">
                      <summary
                        className="cursor-pointer select-none text-slate-600 dark:text-slate-300"
                        data-testid="chat-gallery-code-toggle"
                      >
                        The code that made it
                      </summary>
                      <CodeView
                        code={item.madeBy.code}
                        language={item.madeBy.language}
                        className="mt-1"
                        testId="chat-gallery-code"
                      />
                    </details>
                  ) : item.madeBy ? (
                    <p className="text-xs text-slate-500 dark:text-slate-400">Written by {item.madeBy.tool}</p>
                  ) : null}
                  <DialogClose asChild>
                    <Button
                      variant="secondary"
                      size="sm"
                      className="self-start"
                      onClick={() => requestAnimationFrame(() => scrollToMessage(item.messageId))}
                      data-testid="chat-gallery-goto"
                    >
                      <ArrowUpRight aria-hidden /> Go to message
                    </Button>
                  </DialogClose>
                </li>
              ))}
            </ul>
          )}
        </div>
      </DialogContent>
    </Dialog>
  );
}
