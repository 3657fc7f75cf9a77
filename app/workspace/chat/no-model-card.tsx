"use client";

import { useQuery } from "@tanstack/react-query";
import { KeyRound, Settings, X } from "lucide-react";
import Link from "next/link";
import { Button } from "../../_components/ui/button";
import { useTRPC } from "../../_trpc/client";

/**
 * No AI model is configured: say so in the server's words (which name where to
 * set one), and that files and the console work without it. An admin gets a
 * button to the settings page.
 */
export function NoModelCard({ message, onDismiss }: { message: string; onDismiss: () => void }) {
  const trpc = useTRPC();
  const me = useQuery(trpc.auth.me.queryOptions(undefined, { staleTime: Infinity }));
  const isAdmin = me.data?.role === "ADMIN";
  return (
    <div className="relative flex gap-3 rounded-xl border border-amber-200 bg-amber-50 p-4 text-sm text-amber-950 dark:border-amber-900/60 dark:bg-amber-950/40 dark:text-amber-100" role="alert" data-testid="chat-no-model">
      <div className="grid size-8 shrink-0 place-items-center rounded-lg bg-amber-100 text-amber-700 dark:bg-amber-900/60 dark:text-amber-300">
        <KeyRound className="size-4" aria-hidden />
      </div>
      <div className="flex-1 pr-6">
        <p className="font-semibold">The chat needs an AI model first</p>
        <p className="mt-1 leading-6 text-amber-900 dark:text-amber-200/90" data-testid="chat-no-model-message">
          {message}
        </p>
        <p className="mt-2 text-xs text-amber-800/80 dark:text-amber-200/70">Your message is still in the box below; send it again once a model is set.</p>
        {isAdmin ? (
          <Button size="sm" variant="secondary" className="mt-3" asChild>
            <Link href="/admin/settings" data-testid="chat-no-model-settings">
              <Settings aria-hidden /> Open model settings
            </Link>
          </Button>
        ) : null}
      </div>
      <button
        type="button"
        onClick={onDismiss}
        aria-label="Dismiss"
        className="absolute right-3 top-3 rounded-md p-1 text-amber-700 hover:bg-amber-100 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-amber-500 dark:text-amber-300 dark:hover:bg-amber-900/60"
      >
        <X className="size-4" aria-hidden />
      </button>
    </div>
  );
}
