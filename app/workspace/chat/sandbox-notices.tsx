"use client";

import { useMutation } from "@tanstack/react-query";
import { ShieldAlert, X } from "lucide-react";
import { useEffect, useRef, useState } from "react";
import { useTRPC } from "../../_trpc/client";

type Notice = { id: string; kind: "sandbox_stopped_by_admin" | "sandbox_restarted_by_admin"; createdAt: string | Date };

/** "at 14:32", or "on 28 Nov at 14:32" for an earlier day, in the user's own time zone. */
function when(date: Date): string {
  const time = date.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
  if (date.toDateString() === new Date().toDateString()) return `at ${time}`;
  return `on ${date.toLocaleDateString(undefined, { day: "numeric", month: "short" })} at ${time}`;
}

function textOf(notice: Notice): string {
  const at = when(new Date(notice.createdAt));
  return notice.kind === "sandbox_stopped_by_admin"
    ? `An admin stopped your sandbox ${at}. Your files are intact; it starts again when you run something.`
    : `An admin restarted your sandbox ${at}. Your files are intact; Python variables and running processes were reset.`;
}

/**
 * What happened to the user's sandbox while they were away (an admin stopped
 * it), said once: the server marks notices seen as it hands them out.
 */
export function SandboxNotices() {
  const trpc = useTRPC();
  const [notices, setNotices] = useState<Notice[]>([]);
  const take = useMutation(trpc.notices.take.mutationOptions({ onSuccess: (taken) => setNotices((shown) => [...shown, ...taken]) }));
  const asked = useRef(false);
  const { mutate } = take;
  useEffect(() => {
    if (!asked.current) {
      asked.current = true;
      mutate();
    }
    // Coming back to a tab left open counts as a next visit.
    const onFocus = () => mutate();
    window.addEventListener("focus", onFocus);
    return () => window.removeEventListener("focus", onFocus);
  }, [mutate]);

  if (notices.length === 0) return null;
  return (
    <div className="flex flex-col gap-1 border-b border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-950 dark:border-amber-900/60 dark:bg-amber-950/40 dark:text-amber-100" role="status">
      {notices.map((notice) => (
        <div key={notice.id} className="flex items-start gap-2" data-testid="sandbox-notice" data-kind={notice.kind}>
          <ShieldAlert className="mt-0.5 size-4 shrink-0" aria-hidden />
          <p className="flex-1">{textOf(notice)}</p>
          <button
            type="button"
            onClick={() => setNotices((shown) => shown.filter((other) => other.id !== notice.id))}
            aria-label="Dismiss"
            className="rounded p-0.5 hover:bg-amber-100 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-amber-500 dark:hover:bg-amber-900/50"
            data-testid="sandbox-notice-dismiss"
          >
            <X className="size-4" aria-hidden />
          </button>
        </div>
      ))}
    </div>
  );
}
