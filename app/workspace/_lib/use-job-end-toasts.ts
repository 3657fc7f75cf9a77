"use client";

import { useEffect } from "react";
import { toast } from "../../_components/toaster";
import type { JobsView } from "./types";

// A toast when a background job ends while the user looks elsewhere (another
// tab of the workspace, or another page: the jobs seen running are kept for
// the browser tab's session, so coming back tells what ended meanwhile).

type Seen = { key: string; command: string };

const keyOf = (job: { id: string; startedAt: number }) => `${job.id}@${job.startedAt}`;
const storageKey = (userId: string) => `tidepool:running-jobs:${userId}`;

function load(userId: string): Seen[] {
  try {
    return JSON.parse(sessionStorage.getItem(storageKey(userId)) ?? "[]") as Seen[];
  } catch {
    return [];
  }
}

function shortCommand(command: string): string {
  return command.length > 80 ? `${command.slice(0, 79)}…` : command;
}

/** `watching`: the Jobs panel is in view, where the end shows by itself. */
export function useJobEndToasts(userId: string, view: JobsView | undefined, watching: boolean): void {
  useEffect(() => {
    if (!view) return;
    const before = load(userId);
    const byKey = new Map(view.jobs.map((job) => [keyOf(job), job]));
    if (!watching) {
      const ended = before.map((seen) => ({ seen, job: byKey.get(seen.key) })).filter(({ job }) => !job?.running);
      const withSandbox = ended.filter(({ job }) => job === undefined);
      for (const { seen, job } of ended) {
        if (!job) continue;
        const description = `${shortCommand(seen.command)} · exit ${job.exitCode ?? "?"}`;
        if (job.exitCode === 0) toast.success("Background job finished", description);
        else toast.error("Background job failed", description);
      }
      if (withSandbox.length > 0) {
        const what =
          withSandbox.length === 1 ? shortCommand(withSandbox[0]!.seen.command) : `${withSandbox.length} jobs`;
        toast.error(
          "Background job ended with the sandbox",
          `${what} · the sandbox stopped; files in /workspace are intact`,
        );
      }
    }
    const running: Seen[] = view.jobs
      .filter((job) => job.running)
      .map((job) => ({ key: keyOf(job), command: job.command }));
    sessionStorage.setItem(storageKey(userId), JSON.stringify(running));
  }, [userId, view, watching]);
}
