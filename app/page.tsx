import { ArrowRight, Eye, FolderLock, Waves, Workflow } from "lucide-react";
import Link from "next/link";
import { getSessionUserId } from "~/server/auth/session";
import { getHealth } from "~/server/services/health";
import { HealthStatus } from "./_components/landing/health-status";

export const dynamic = "force-dynamic";

const POINTS = [
  {
    icon: FolderLock,
    title: "Your own sandbox",
    text: "A private workspace that keeps your files between visits. Nothing you upload reaches another user.",
  },
  {
    icon: Workflow,
    title: "Every step in view",
    text: "The agent's code, its output and its charts stream into the chat, so you can check how each answer was reached.",
  },
  {
    icon: Eye,
    title: "Messy files welcome",
    text: "Comment lines, preambles, delimiters and encodings are detected. Sort, filter and summarise a table beside the chat.",
  },
] as const;

const LINK =
  "inline-flex h-10 items-center justify-center gap-2 rounded-md px-5 text-sm font-medium transition-colors focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-sky-500 focus-visible:ring-offset-2 dark:focus-visible:ring-offset-slate-950";
const PRIMARY = `${LINK} bg-sky-600 text-white hover:bg-sky-700`;
const SECONDARY = `${LINK} border border-slate-300 bg-white text-slate-900 hover:bg-slate-100 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100 dark:hover:bg-slate-800`;

/** The first screen: what Tidepool is, the way in, and the platform's health as one small line. */
export default async function HomePage() {
  const [userId, health] = await Promise.all([getSessionUserId(), getHealth()]);
  return (
    <main className="mx-auto flex min-h-dvh max-w-3xl flex-col gap-12 px-6 py-12 sm:py-20">
      <header className="flex flex-col gap-5">
        <p className="flex items-center gap-2 text-sm font-semibold text-sky-700 dark:text-sky-400">
          <span className="grid size-7 place-items-center rounded-lg bg-sky-600 text-white shadow-sm">
            <Waves className="size-4" aria-hidden />
          </span>
          Self-hosted data analysis
        </p>
        <h1 className="text-4xl font-semibold tracking-tight">Tidepool</h1>
        <p className="max-w-2xl text-lg text-slate-600 dark:text-slate-400">
          Drop in a data file and ask a question in plain words. An AI agent loads it, runs Python in your own sandbox
          and answers with the tables and charts it made, showing the code it ran.
        </p>
        <nav aria-label="Account" className="flex flex-wrap gap-3">
          {userId ? (
            <Link href="/workspace" className={PRIMARY} data-testid="landing-open-workspace">
              Open workspace <ArrowRight className="size-4" aria-hidden />
            </Link>
          ) : (
            <>
              <Link href="/sign-in" className={PRIMARY} data-testid="landing-sign-in">
                Sign in
              </Link>
              <Link href="/sign-up" className={SECONDARY} data-testid="landing-sign-up">
                Sign up
              </Link>
            </>
          )}
        </nav>
      </header>
      <ul className="grid gap-6 sm:grid-cols-3">
        {POINTS.map(({ icon: Icon, title, text }) => (
          <li key={title} className="flex flex-col gap-2">
            <Icon className="size-5 text-sky-600 dark:text-sky-400" aria-hidden />
            <h2 className="font-medium">{title}</h2>
            <p className="text-sm text-slate-600 dark:text-slate-400">{text}</p>
          </li>
        ))}
      </ul>
      <footer className="mt-auto border-t border-slate-200 pt-4 dark:border-slate-800">
        <HealthStatus health={health} />
      </footer>
    </main>
  );
}
