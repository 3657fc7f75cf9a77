import { JOBS_ENDED } from "../sandbox/errors";
import type { JobInfo, JobOutput } from "../sandbox/jobs";
import { recordActivity } from "./activity";
import { DomainError } from "./errors";
import { getSandboxStatus, liveSandboxFor, sandboxFor } from "./sandboxes";

// The user's background jobs: commands the sandbox's supervisor keeps running
// after the page, the turn and an app restart, until they end, are stopped or
// the sandbox stops. Watching them never wakes a sleeping sandbox or counts as
// use (a job itself does: the idle reaper leaves a sandbox alone while one runs).

export type JobsView = {
  /** "asleep": no running sandbox, so no jobs (they end with the sandbox). */
  sandbox: "running" | "asleep";
  /** Newest first. */
  jobs: JobInfo[];
};

export async function listBackgroundJobs(userId: string): Promise<JobsView> {
  // Asking must not start or wake a sandbox, even one a Stop takes away while this asks.
  // The database answers first: most polls of a sleeping sandbox end here, taking no lock.
  if ((await getSandboxStatus(userId)).state !== "running") return { sandbox: "asleep", jobs: [] };
  const jobs = await (await liveSandboxFor(userId))?.jobsIfRunning();
  if (!jobs) return { sandbox: "asleep", jobs: [] };
  return { sandbox: "running", jobs: jobs.sort((a, b) => b.startedAt - a.startedAt) };
}

/** Starts the command as given (the user typed it) in the user's sandbox, starting the sandbox if needed. */
export async function startBackgroundJob(userId: string, command: string): Promise<JobInfo> {
  const job = await (await sandboxFor(userId)).startJob(command);
  await recordActivity({
    actorId: userId,
    subjectId: userId,
    action: "sandbox.job_start",
    outcome: "ok",
    detail: { command: command.slice(0, 200), job: job.id },
  });
  return job;
}

export async function readBackgroundJobOutput(
  userId: string,
  id: string,
  options: { stream: "stdout" | "stderr"; offset: number; maxBytes?: number },
): Promise<JobOutput> {
  return (await runningSandbox(userId)).jobOutput(id, options);
}

export async function stopBackgroundJob(userId: string, id: string): Promise<void> {
  await (await runningSandbox(userId)).stopJob(id);
  await recordActivity({
    actorId: userId,
    subjectId: userId,
    action: "sandbox.job_stop",
    outcome: "ok",
    detail: { job: id },
  });
}

/** A job lives in a live sandbox: one that is asleep is not woken for a job that ended with it. */
async function runningSandbox(userId: string) {
  const sandbox = await liveSandboxFor(userId);
  if (!sandbox) throw new DomainError("not_found", JOBS_ENDED);
  return sandbox;
}
