import { CircleAlert, X } from "lucide-react";
import type { ChatProblem } from "./_lib/chat-errors";

/** What went wrong with the last message, inline where the answer would have been. */
export function ChatErrorNotice({ problem, onDismiss }: { problem: ChatProblem; onDismiss: () => void }) {
  return (
    <div className="relative flex gap-3 rounded-xl border border-rose-200 bg-rose-50 px-4 py-3 text-sm text-rose-950 dark:border-rose-900/60 dark:bg-rose-950/40 dark:text-rose-100" role="alert" data-testid="chat-error" data-kind={problem.kind}>
      <CircleAlert className="mt-0.5 size-4 shrink-0 text-rose-600 dark:text-rose-400" aria-hidden />
      <div className="flex-1 pr-6">
        <p className="font-medium">{problem.title}</p>
        <p className="mt-0.5 text-rose-900/90 dark:text-rose-200/90">{problem.message}</p>
      </div>
      <button
        type="button"
        onClick={onDismiss}
        aria-label="Dismiss"
        className="absolute right-3 top-3 rounded-md p-1 text-rose-700 hover:bg-rose-100 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-rose-500 dark:text-rose-300 dark:hover:bg-rose-900/60"
      >
        <X className="size-4" aria-hidden />
      </button>
    </div>
  );
}
