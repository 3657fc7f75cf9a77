import { ShieldCheck, SquareTerminal } from "lucide-react";
import { PERSISTENCE_CONTRACT } from "../../_lib/sandbox-copy";

const EXAMPLES = [
  "ls -la",
  "python3 --version",
  "python3 -c 'import pandas; print(pandas.__version__)'",
  "du -sh /workspace",
];

/** What the console is for, what lasts, and a few commands to try. */
export function ConsoleEmpty({ onPick }: { onPick: (command: string) => void }) {
  return (
    <div
      className="flex h-full flex-col items-center justify-center gap-4 p-8 text-center font-sans"
      data-testid="console-empty"
    >
      <div className="grid size-14 place-items-center rounded-2xl bg-slate-100 dark:bg-slate-800">
        <SquareTerminal className="size-7 text-slate-500 dark:text-slate-400" aria-hidden />
      </div>
      <div>
        <p className="font-medium text-slate-900 dark:text-slate-100">Run commands in your sandbox</p>
        <p className="mt-1 max-w-md text-sm text-slate-500 dark:text-slate-400">
          Each command runs in a fresh shell in /workspace, so <code className="font-mono">cd</code> and shell variables
          don&apos;t carry over to the next one.
        </p>
      </div>
      <p className="flex max-w-md items-start gap-2 rounded-lg bg-emerald-50 px-3 py-2 text-left text-xs text-emerald-900 dark:bg-emerald-950/50 dark:text-emerald-200">
        <ShieldCheck className="mt-0.5 size-4 shrink-0" aria-hidden />
        {PERSISTENCE_CONTRACT}
      </p>
      <div className="flex flex-wrap justify-center gap-2">
        {EXAMPLES.map((command) => (
          <button
            key={command}
            type="button"
            onClick={() => onPick(command)}
            className="rounded-full border border-slate-200 bg-white px-3 py-1 font-mono text-xs text-slate-700 hover:border-sky-300 hover:text-sky-700 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-sky-500 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-300 dark:hover:border-sky-700 dark:hover:text-sky-300"
          >
            {command}
          </button>
        ))}
      </div>
    </div>
  );
}
