import type Docker from "dockerode";
import { cwdRefusalOf } from "./container-process";
import { JobNotFoundError, JobsUnavailableError, SandboxInfrastructureError } from "./errors";
import { type SupervisorConnection, SupervisorRequestError } from "./supervisor/connection";
import { supervisorOf } from "./supervisor/sandbox-supervisor";

// Background jobs: commands the supervisor keeps running after the call that
// started them returns (and after this app process is gone), with their output
// kept so it can be read from an offset later.

/** Output kept per job and stream; older bytes are dropped (the offsets say so). */
const JOB_OUTPUT_BYTES = 1024 * 1024;
const JOB_PREFIX = "job:";

export type JobInfo = {
  id: string;
  pid: number;
  command: string;
  running: boolean;
  /** Exit code once ended (128+n when killed by signal n). */
  exitCode: number | null;
  startedAt: number;
  endedAt: number | null;
  stdoutBytes: number;
  stderrBytes: number;
};

export type JobOutput = {
  text: string;
  /** Where `text` starts in the job's whole output (later than asked when older output was dropped). */
  offset: number;
  /** Ask from here next time. */
  next: number;
  /** Everything the job wrote to this stream so far. */
  size: number;
  running: boolean;
};

export type StartJobOptions = { cwd: string; workDir: string; env?: string[] };

/** `command`: a shell command, or an argv run as is (no shell). */
export async function startJob(container: Docker.Container, command: string | string[], options: StartJobOptions): Promise<JobInfo> {
  const connection = await connectionFor(container);
  const argv = typeof command === "string" ? ["/bin/sh", "-c", command] : command;
  const shown = typeof command === "string" ? command : command.join(" ");
  try {
    const { header } = await connection.request({
      op: "start",
      argv,
      env: options.env ?? [],
      cwd: options.cwd,
      workDir: options.workDir,
      stdin: false,
      keep: true,
      name: `${JOB_PREFIX}${shown.slice(0, 200)}`,
      bufferBytes: JOB_OUTPUT_BYTES,
    });
    const now = Date.now();
    return { id: String(header.proc), pid: Number(header.pid), command: shown, running: true, exitCode: null, startedAt: now, endedAt: null, stdoutBytes: 0, stderrBytes: 0 };
  } catch (error) {
    throw typedStartError(error, options);
  }
}

export async function listJobs(container: Docker.Container): Promise<JobInfo[]> {
  return jobsOn(await connectionFor(container));
}

async function jobsOn(connection: SupervisorConnection): Promise<JobInfo[]> {
  const { header } = await connection.request({ op: "list" });
  const procs = (header.procs ?? []) as Record<string, unknown>[];
  return procs.filter((p) => typeof p.name === "string" && p.name.startsWith(JOB_PREFIX)).map(toJobInfo);
}

/** Job ids are the supervisor's process ids: only a job's is accepted (not a command's or the kernel's). */
async function checkIsJob(connection: SupervisorConnection, id: string): Promise<void> {
  if (!(await jobsOn(connection)).some((job) => job.id === id)) throw new JobNotFoundError(id);
}

export async function readJobOutput(
  container: Docker.Container,
  id: string,
  options: { stream?: "stdout" | "stderr"; offset?: number; maxBytes?: number } = {},
): Promise<JobOutput> {
  const connection = await connectionFor(container);
  await checkIsJob(connection, id);
  try {
    const { header, data } = await connection.request({
      op: "read_output",
      proc: id,
      stream: options.stream ?? "stdout",
      offset: options.offset ?? 0,
      max: Math.min(options.maxBytes ?? 64 * 1024, 1024 * 1024),
    });
    return { text: data.toString("utf8"), offset: Number(header.offset), next: Number(header.next), size: Number(header.size), running: header.running === true };
  } catch (error) {
    throw jobError(error, id);
  }
}

/** Kills the job and everything it started. */
export async function stopJob(container: Docker.Container, id: string): Promise<void> {
  const connection = await connectionFor(container);
  await checkIsJob(connection, id);
  try {
    await connection.request({ op: "kill", proc: id });
  } catch (error) {
    throw jobError(error, id);
  }
}

async function connectionFor(container: Docker.Container): Promise<SupervisorConnection> {
  const supervisor = supervisorOf(container);
  if (!supervisor) throw new JobsUnavailableError();
  return supervisor.connection();
}

function toJobInfo(p: Record<string, unknown>): JobInfo {
  return {
    id: String(p.proc),
    pid: Number(p.pid),
    command: String(p.name).slice(JOB_PREFIX.length),
    running: p.running === true,
    exitCode: typeof p.code === "number" && p.running !== true ? p.code : null,
    startedAt: Number(p.startedAt),
    endedAt: typeof p.endedAt === "number" ? p.endedAt : null,
    stdoutBytes: Number(p.stdoutSize ?? 0),
    stderrBytes: Number(p.stderrSize ?? 0),
  };
}

function typedStartError(error: unknown, options: StartJobOptions): unknown {
  const refusal = cwdRefusalOf(error, options.cwd, options.workDir);
  if (refusal) return refusal;
  if (error instanceof SupervisorRequestError) return new SandboxInfrastructureError(`Could not start the job: ${error.message}`, { cause: error });
  return error;
}

function jobError(error: unknown, id: string): unknown {
  if (error instanceof SupervisorRequestError && (error.code === "not_found" || error.code === "bad_request")) {
    return new JobNotFoundError(id);
  }
  return error;
}
