import { CircleStop } from "lucide-react";

/** The end of a reply the user stopped: what is above is what was done. */
export function StoppedNote({ empty }: { empty: boolean }) {
  return (
    <p className="flex items-center gap-2 text-sm text-slate-500 dark:text-slate-400" role="note" data-testid="chat-stopped">
      <CircleStop className="size-4 shrink-0" aria-hidden />
      <span>
        <span className="font-medium text-slate-700 dark:text-slate-300">Stopped</span>
        {empty ? " before the agent answered." : ". What was done until then is above."}
      </span>
    </p>
  );
}
