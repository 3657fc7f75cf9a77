import type { JobInfo, JobOutput } from "~/server/sandbox";
import { formatBytes } from "./tool-output";

// What the background-job tools return: `text` for the model, the job's id
// and state for the chat's step.

/** `jobRunning`, not `running`: that name marks a step still in progress (tool-parts.ts). */
export type JobToolOutput = { ok: true; text: string; jobId?: string; jobRunning?: boolean };

/** One line per job: id, state, how long, how much output, the command. */
export function describeJob(job: JobInfo, now = Date.now()): string {
  const took = formatDuration((job.endedAt ?? now) - job.startedAt);
  const state = job.running ? `running for ${took}` : `exited with code ${job.exitCode ?? "?"} after ${took}`;
  const output = `stdout ${formatBytes(job.stdoutBytes)}, stderr ${formatBytes(job.stderrBytes)}`;
  return `job ${job.id}: ${state}; ${output}; ${job.command}`;
}

export function formatJobStarted(job: JobInfo): JobToolOutput {
  return {
    ok: true,
    text: `Started background job ${job.id}: ${job.command}\nIt keeps running on its own. Check it later with list_jobs and read_job_output (job_id "${job.id}").`,
    jobId: job.id,
    jobRunning: true,
  };
}

export function formatJobList(jobs: JobInfo[]): JobToolOutput {
  if (jobs.length === 0) return { ok: true, text: "No background jobs in this sandbox." };
  const sorted = [...jobs].sort((a, b) => b.startedAt - a.startedAt);
  return { ok: true, text: sorted.map((job) => describeJob(job)).join("\n") };
}

/** A slice of a job's output with where to continue; output dropped before the kept window is said so. */
export function formatJobOutput(
  id: string,
  stream: "stdout" | "stderr",
  asked: number,
  output: JobOutput,
): JobToolOutput {
  const lines: string[] = [];
  if (output.offset > asked)
    lines.push(`[bytes ${asked}–${output.offset} of ${stream} were no longer kept (the last 1 MB is kept)]`);
  lines.push(output.text.length > 0 ? output.text.replace(/\n$/, "") : `(no new ${stream} output)`);
  const more = output.next < output.size;
  lines.push(
    `[${stream} bytes ${output.offset}–${output.next} of ${output.size}; job ${output.running ? "still running" : "ended"}` +
      `${more ? `; more: call again with offset=${output.next}` : output.running ? `; next time read from offset=${output.next}` : ""}]`,
  );
  return { ok: true, text: lines.join("\n"), jobId: id, jobRunning: output.running };
}

export function formatJobStopped(job: JobInfo | undefined, id: string): JobToolOutput {
  return { ok: true, text: job ? `Stopped. ${describeJob(job)}` : `Stopped job ${id}.`, jobId: id, jobRunning: false };
}

function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
