import { Hourglass } from "lucide-react";
import { Button } from "../../_components/ui/button";

/** The closing note of a turn that reached its step limit, with a way to carry on. */
export function StepLimitNote({ text, onContinue }: { text: string; onContinue?: () => void }) {
  const limit = text.match(/limit of (\d+) steps/)?.[1];
  return (
    <div className="flex items-start gap-3 rounded-xl border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900 dark:border-amber-900/60 dark:bg-amber-950/40 dark:text-amber-100" role="note" data-testid="chat-step-limit">
      <Hourglass className="mt-0.5 size-4 shrink-0" aria-hidden />
      <div className="flex-1">
        <p className="font-medium">Stopped: this answer reached the limit of {limit ?? "its"} steps.</p>
        <p className="mt-0.5 text-amber-800 dark:text-amber-200/80">The work so far is above. Ask it to continue to carry on from here.</p>
      </div>
      {onContinue ? (
        <Button size="sm" variant="secondary" onClick={onContinue} data-testid="chat-continue">
          Continue
        </Button>
      ) : null}
    </div>
  );
}
