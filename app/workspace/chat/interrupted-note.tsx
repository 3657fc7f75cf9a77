import { TriangleAlert } from "lucide-react";

/** The end of a reply whose turn the server could not finish (it stopped or crashed meanwhile): what is above was saved. */
export function InterruptedNote({ empty }: { empty: boolean }) {
  return (
    <p
      className="flex items-center gap-2 text-sm text-amber-700 dark:text-amber-400"
      role="note"
      data-testid="chat-interrupted"
    >
      <TriangleAlert className="size-4 shrink-0" aria-hidden />
      <span>
        <span className="font-medium">Interrupted</span>
        {empty
          ? ": the server stopped before the agent answered. Send your message again."
          : ": the server stopped while the agent worked. The finished steps are above; ask again to carry on."}
      </span>
    </p>
  );
}
