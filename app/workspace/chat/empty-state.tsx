import { BarChart3, FileSpreadsheet, Sparkles, TrendingUp, type LucideIcon } from "lucide-react";

export const EXAMPLE_PROMPTS: { icon: LucideIcon; title: string; prompt: string }[] = [
  {
    icon: FileSpreadsheet,
    title: "Get to know a dataset",
    prompt: "Load the CSV I uploaded, describe each column (type, missing values, range) and show the first rows.",
  },
  {
    icon: BarChart3,
    title: "Plot distributions",
    prompt: "Plot the distribution of every numeric column and point out outliers or skewed columns.",
  },
  {
    icon: TrendingUp,
    title: "Find what drives an outcome",
    prompt: "What drives churn in this data? Compare the groups, plot the strongest effect and save a cleaned copy as CSV.",
  },
];

/** A new conversation: what the agent can do, and three prompts to start from. */
export function EmptyState({ onPick }: { onPick: (prompt: string) => void }) {
  return (
    <div className="mx-auto flex h-full max-w-2xl flex-col items-center justify-center gap-6 px-6 py-10 text-center" data-testid="chat-empty">
      <div className="grid size-12 place-items-center rounded-2xl bg-gradient-to-br from-sky-500 to-indigo-500 text-white shadow-md" aria-hidden>
        <Sparkles className="size-6" />
      </div>
      <div>
        <h2 className="text-xl font-semibold tracking-tight text-slate-900 dark:text-slate-100">What shall we look into?</h2>
        <p className="mt-1.5 text-sm text-slate-600 dark:text-slate-400">
          Upload a file on the left, then ask. The agent writes and runs Python in your sandbox, shows each step, and saves charts and results to your files.
        </p>
      </div>
      <ul className="grid w-full gap-2 sm:grid-cols-3">
        {EXAMPLE_PROMPTS.map(({ icon: Icon, title, prompt }, index) => (
          <li key={title}>
            <button
              type="button"
              onClick={() => onPick(prompt)}
              className="flex h-full w-full flex-col gap-1.5 rounded-xl border border-slate-200 bg-white p-3 text-left text-sm shadow-xs transition hover:border-sky-300 hover:bg-sky-50/50 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-sky-500 dark:border-slate-800 dark:bg-slate-900 dark:hover:border-sky-800 dark:hover:bg-sky-950/30"
              data-testid={`chat-example-${index}`}
            >
              <span className="flex items-center gap-1.5 font-medium text-slate-900 dark:text-slate-100">
                <Icon className="size-4 text-sky-600 dark:text-sky-400" aria-hidden /> {title}
              </span>
              <span className="text-xs leading-5 text-slate-600 dark:text-slate-400">{prompt}</span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
