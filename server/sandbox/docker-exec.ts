import type { Duplex, Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type Docker from "dockerode";
import { SANDBOX_USER } from "./container-spec";
import { SandboxInfrastructureError } from "./errors";

// A docker exec as the sandbox user, its multiplexed stdout/stderr split by
// hand (so each byte is counted and streamed as it arrives), optional stdin
// with a half-close. The engine runs processes through container-process.ts,
// which prefers the sandbox's supervisor and falls back to this.

export type ExecSpec = {
  cmd: string[];
  env?: string[];
  workingDir?: string;
  /** Bytes or a stream sent to the process's stdin, then half-closed (EOF). */
  stdin?: Uint8Array | Readable;
  /** Default: the sandbox user. */
  user?: string;
};

export type StreamName = "stdout" | "stderr";

export type RunningExec = {
  /** The raw connection, for backpressure (pause/resume). */
  socket: Duplex;
  /** Resolves once the output stream has ended (every holder of stdout/stderr exited). */
  ended: Promise<void>;
  /** Closes our side of the connection (the processes keep running). */
  destroy(): void;
  /** Exit code per docker, once the process has exited; null if it has not. */
  exitCode(): Promise<number | null>;
};

/** Thrown when Docker says the container is missing, stopped or paused: nothing ran. */
export class ContainerUnavailableError extends SandboxInfrastructureError {
  constructor(
    readonly reason: "gone" | "not-running" | "paused",
    options?: { cause?: unknown },
  ) {
    super(`The sandbox container is ${reason === "gone" ? "gone" : reason === "paused" ? "paused" : "not running"}.`, options);
  }
}

export function statusCodeOf(error: unknown): number | undefined {
  return (error as { statusCode?: number } | null)?.statusCode;
}

/**
 * What Docker and runc say when the container stopped (was killed, is being
 * removed) under an exec that was starting: nothing of the command ran. For a
 * moment after a `docker kill` the daemon still calls the container running.
 */
const CONTAINER_STOPPED = /is not running|container not running|is restarting|cannot exec in a (stopped|deleted|paused) state/i;
/** runc's (or containerd's) refusal, alone in the output of an exec that exited 126. */
const RUNC_REFUSED = /^(OCI runtime exec failed|cannot exec in a \w+ state|ttrpc: closed|task [0-9a-f]+ not found)/;
/** Docker's answer, alone in the output of an exec that vanished with its container before it started. */
const EXEC_VANISHED = /^(No such exec instance|No such container|task [0-9a-f]+ not found)/;

export function classifyExecCreateError(error: unknown): Error {
  const status = statusCodeOf(error);
  const message = String((error as { message?: string })?.message ?? error);
  if (status === 404) return new ContainerUnavailableError("gone", { cause: error });
  if (status === 409 || (status === 500 && CONTAINER_STOPPED.test(message))) {
    return new ContainerUnavailableError(/paused/i.test(message) ? "paused" : "not-running", { cause: error });
  }
  return new SandboxInfrastructureError(`Docker exec failed: ${message}`, { cause: error });
}

/**
 * True when an exec never started because the container stopped under it
 * (runc refused with 126, or the exec vanished), so the caller may start the
 * sandbox again and retry. Only output that is nothing but Docker's or runc's
 * words counts: a command that ran is never retried. Waits, bounded, until
 * Docker agrees the container is not running: before that, starting the
 * sandbox again would adopt the dying container.
 */
export async function lostToStoppedContainer(container: Docker.Container, output: string): Promise<boolean> {
  if (output.length > 500) return false;
  // The exit code of an exec whose task vanished varies (126, none…): the words decide.
  if (!RUNC_REFUSED.test(output) && !EXEC_VANISHED.test(output)) return false;
  return stopsWithin(container, 3_000);
}

/** The container is, or within `ms` is, no longer running: a kill under way shows a moment later. */
export async function stopsWithin(container: Docker.Container, ms: number): Promise<boolean> {
  for (const until = Date.now() + ms; ; await new Promise((resolve) => setTimeout(resolve, 100))) {
    if (!(await isContainerRunning(container))) return true;
    if (Date.now() >= until) return false;
  }
}

/**
 * The container stopped, or started again, since `sinceMs` (epoch ms): what
 * tells a process killed with its sandbox from one that was killed inside it.
 * Docker reports a kill a moment after the exec's stream ends: wait, bounded.
 */
export async function containerStoppedSince(container: Docker.Container, sinceMs: number): Promise<boolean> {
  for (let attempt = 0; attempt < 4; attempt++) {
    try {
      const { State } = await container.inspect();
      if (!State.Running || State.Restarting || Date.parse(State.StartedAt) > sinceMs) return true;
    } catch (error) {
      return statusCodeOf(error) === 404;
    }
    await new Promise((resolve) => setTimeout(resolve, 40 * (attempt + 1)));
  }
  return false;
}

/** Docker says the container runs (an inspect that fails for another reason than 404 counts as running). */
export async function isContainerRunning(container: Docker.Container): Promise<boolean> {
  try {
    const { State } = await container.inspect();
    return State.Running && !State.Paused && !State.Restarting;
  } catch (error) {
    return statusCodeOf(error) !== 404;
  }
}

/**
 * Starts an exec and feeds its output to `onData` chunk by chunk.
 * Throws ContainerUnavailableError if the exec could not even be created.
 */
export async function startDockerExec(
  container: Docker.Container,
  spec: ExecSpec,
  onData: (stream: StreamName, chunk: Buffer) => void,
): Promise<RunningExec> {
  const withStdin = spec.stdin !== undefined;
  let exec: Docker.Exec;
  try {
    exec = await container.exec({
      Cmd: spec.cmd,
      Env: spec.env,
      WorkingDir: spec.workingDir,
      User: spec.user ?? SANDBOX_USER,
      AttachStdin: withStdin,
      AttachStdout: true,
      AttachStderr: true,
      Tty: false,
    });
  } catch (error) {
    throw classifyExecCreateError(error);
  }
  let stream: Duplex;
  try {
    stream = (await exec.start({ hijack: true, stdin: withStdin }));
  } catch (error) {
    throw classifyExecCreateError(error);
  }
  const demux = createDemuxer(onData);
  const ended = new Promise<void>((resolve, reject) => {
    stream.on("data", demux);
    stream.on("end", resolve);
    stream.on("close", resolve);
    stream.on("error", (error) => {
      // Our own destroy() after a kill is not a failure.
      if (stream.destroyed) resolve();
      else reject(new SandboxInfrastructureError(`Exec stream failed: ${error.message}`, { cause: error }));
    });
  });
  if (withStdin) feedStdin(stream, spec.stdin!);
  return {
    socket: stream,
    ended,
    destroy: () => stream.destroy(),
    exitCode: () => readExitCode(exec),
  };
}

function feedStdin(stream: Duplex, input: Uint8Array | Readable): void {
  if (input instanceof Uint8Array) {
    // end() half-closes the socket: the process sees EOF, we keep reading its output.
    stream.end(input);
    return;
  }
  // pipeline also covers an input that failed before we got here (a refused archive).
  pipeline(input, stream).catch(() => stream.destroy());
}

async function readExitCode(exec: Docker.Exec): Promise<number | null> {
  // Right after the stream ends docker may still report Running for a moment.
  for (let attempt = 0; attempt < 50; attempt++) {
    let info: Docker.ExecInspectInfo;
    try {
      info = await exec.inspect();
    } catch (error) {
      // The exec went with its container (killed, removed): no exit code to tell; callers ask the container.
      if (statusCodeOf(error) === 404) return null;
      throw error;
    }
    if (!info.Running && info.ExitCode !== null && info.ExitCode !== undefined) return info.ExitCode;
    if (!info.Running && attempt > 3) return info.ExitCode ?? null;
    await new Promise((resolve) => setTimeout(resolve, attempt < 5 ? 2 : 20));
  }
  return null;
}

/**
 * Docker's stream format without a TTY: frames of an 8-byte header
 * (stream type, 3 zero bytes, big-endian length) followed by the payload.
 */
export function createDemuxer(onData: (stream: StreamName, chunk: Buffer) => void): (chunk: Buffer) => void {
  let pending: Buffer = Buffer.alloc(0);
  let frameStream: StreamName | null = null;
  let frameLeft = 0;
  return (chunk: Buffer) => {
    let buffer = pending.length > 0 ? Buffer.concat([pending, chunk]) : chunk;
    pending = Buffer.alloc(0);
    while (buffer.length > 0) {
      if (frameLeft === 0) {
        if (buffer.length < 8) {
          pending = Buffer.from(buffer);
          return;
        }
        frameStream = buffer[0] === 2 ? "stderr" : "stdout";
        frameLeft = buffer.readUInt32BE(4);
        buffer = buffer.subarray(8);
        continue;
      }
      const take = Math.min(frameLeft, buffer.length);
      onData(frameStream ?? "stdout", buffer.subarray(0, take));
      frameLeft -= take;
      buffer = buffer.subarray(take);
    }
  };
}
