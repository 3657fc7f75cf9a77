import type Docker from "dockerode";
import { containerStatus } from "./container-lifecycle";
import { listJobs } from "./jobs";
import { superviseContainer, supervisorOf } from "./supervisor/sandbox-supervisor";
import { withTimeout } from "./with-timeout";

// Background jobs count as activity: idle handling asks a sandbox's supervisor
// whether a job runs (then the sandbox is busy) and when the last one ended
// (idle time counts from then). Asking is not use: nothing wakes or starts.

export type JobActivity = { running: boolean; lastEndedAt: number };

const NO_JOBS: JobActivity = { running: false, lastEndedAt: 0 };
/** An answer slower than this counts as "a job may run": the reaper asks again on its next pass. */
const ASK_TIMEOUT_MS = 10_000;

/**
 * A container's jobs, this process's or another's (`supervised`: its main process is the supervisor; without one
 * no job can run). When the supervisor cannot answer, a container that is still up counts as running a job, so a
 * slow answer under load never costs a user their job.
 */
export async function jobActivityOf(
  docker: Docker,
  container: Docker.Container,
  supervised: boolean,
): Promise<JobActivity> {
  if (!supervised) return NO_JOBS;
  // Another process's container: a connection of our own, closed after asking.
  const borrowed = supervisorOf(container) === null;
  const supervisor = superviseContainer(container);
  try {
    const jobs = await withTimeout(listJobs(container), ASK_TIMEOUT_MS, `no answer within ${ASK_TIMEOUT_MS} ms`);
    return {
      running: jobs.some((job) => job.running),
      lastEndedAt: Math.max(0, ...jobs.map((job) => job.endedAt ?? 0)),
    };
  } catch {
    const status = await containerStatus(docker, container.id).catch(() => "running" as const);
    return status === "running" ? { running: true, lastEndedAt: 0 } : NO_JOBS;
  } finally {
    if (borrowed) supervisor.close();
  }
}
