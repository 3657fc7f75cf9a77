import { randomBytes } from "node:crypto";
import type { Readable } from "node:stream";
import type Docker from "dockerode";
import { type ExecSpec, type StreamName, startDockerExec } from "./docker-exec";
import { FileNotFoundError, PathOutsideWorkspaceError, PermissionDeniedError, SandboxInfrastructureError, WrongFileTypeError } from "./errors";
import { MARKER_VARIABLE, killMarked } from "./marker-kill";
import { SupervisorRequestError, type SupervisorConnection } from "./supervisor/connection";
import { DATA_CHUNK_BYTES } from "./supervisor/frames";
import { supervisorOf } from "./supervisor/sandbox-supervisor";

// The one way the engine runs a process in a container: through the sandbox's
// supervisor when it has one (milliseconds, a kill nothing escapes, processes
// that outlive this app process), else through docker exec.

export type ProcessSpec = ExecSpec & {
  /** Outlives this app process's connection (the kernel, jobs). Supervisor only. */
  keep?: boolean;
  /** A name to find a kept process again by. */
  name?: string;
  /** Output the supervisor keeps for a later attach, per stream. */
  bufferBytes?: number;
  /**
   * Supervisor only: the shim enters `workingDir` and refuses (a typed error, nothing runs) unless its real
   * path is inside this folder and outside /proc, /sys and /dev. Through docker exec, callers wrap the
   * command in cwd-check.ts's script instead.
   */
  checkCwdWithin?: string;
};

export type ContainerProcess = {
  /** Resolves once the process exited and its output was delivered (or the connection ended). */
  ended: Promise<void>;
  /** The exit code once ended (128+n for signal n), null if nobody can tell (the sandbox went away). */
  exitCode(): Promise<number | null>;
  /** Kills the process and everything it started; true once nothing of it is left. */
  kill(): Promise<boolean>;
  /** Stops listening; the process runs on unless killed. */
  destroy(): void;
  /** The supervisor's handle for it, or null through docker exec. */
  supervised: { proc: string; pid: number } | null;
};

export async function startProcess(
  container: Docker.Container,
  spec: ProcessSpec,
  onData: (stream: StreamName, chunk: Buffer) => void,
): Promise<ContainerProcess> {
  const supervisor = supervisorOf(container);
  if (supervisor) return startSupervised(await supervisor.connection(), spec, onData);
  const marker = randomBytes(12).toString("hex");
  const running = await startDockerExec(container, { ...spec, env: [...(spec.env ?? []), `${MARKER_VARIABLE}=${marker}`] }, onData);
  return {
    ended: running.ended,
    exitCode: () => running.exitCode(),
    kill: () => killMarked(container, marker).catch(() => false),
    destroy: () => running.destroy(),
    supervised: null,
  };
}

/** Talks to a kept process again (after an app restart): its output from now on, its stdin, its kill. */
export function attachProcess(
  connection: SupervisorConnection,
  handle: { proc: string; pid: number },
  onData: (stream: StreamName, chunk: Buffer) => void,
): ContainerProcess & { stdin(data: Uint8Array): Promise<void> } {
  return trackProcess(connection, handle, onData);
}

async function startSupervised(
  connection: SupervisorConnection,
  spec: ProcessSpec,
  onData: (stream: StreamName, chunk: Buffer) => void,
): Promise<ContainerProcess> {
  let reply;
  try {
    reply = await connection.request({
      op: "start",
      argv: spec.cmd,
      env: spec.env ?? [],
      cwd: spec.workingDir ?? "/",
      stdin: spec.stdin !== undefined,
      keep: spec.keep ?? false,
      name: spec.name ?? "",
      bufferBytes: spec.bufferBytes ?? 0,
      ...(spec.checkCwdWithin ? { workDir: spec.checkCwdWithin } : {}),
    });
  } catch (error) {
    if (error instanceof SupervisorRequestError && error.code === "start_failed") return startFailure(error.message, onData);
    const refusal = spec.checkCwdWithin ? cwdRefusalOf(error, spec.workingDir ?? "/", spec.checkCwdWithin) : null;
    if (refusal) throw refusal;
    if (error instanceof SupervisorRequestError) throw new SandboxInfrastructureError(`Could not start ${spec.cmd[0]}: ${error.message}`, { cause: error });
    throw error;
  }
  const handle = { proc: String(reply.header.proc), pid: Number(reply.header.pid) };
  const process = trackProcess(connection, handle, onData);
  if (spec.stdin !== undefined) void feedStdin(process, connection, handle.proc, spec.stdin);
  return process;
}

function trackProcess(
  connection: SupervisorConnection,
  handle: { proc: string; pid: number },
  onData: (stream: StreamName, chunk: Buffer) => void,
): ContainerProcess & { stdin(data: Uint8Array): Promise<void>; done(): boolean } {
  let code: number | null = null;
  let done = false;
  let resolveEnded: () => void = () => {};
  const ended = new Promise<void>((resolve) => (resolveEnded = resolve));
  const finish = (exit: number | null) => {
    if (done) return;
    done = true;
    code = exit;
    connection.unlisten(handle.proc);
    offClose();
    resolveEnded();
  };
  const offClose = connection.onClose(() => finish(null));
  connection.listen(handle.proc, ({ header, data }) => {
    if (header.ev === "out") onData(header.stream === "stderr" ? "stderr" : "stdout", data);
    else if (header.ev === "exit") finish(typeof header.code === "number" ? header.code : null);
  });
  return {
    ended,
    exitCode: async () => code,
    async kill() {
      if (done) return true;
      try {
        await connection.request({ op: "kill", proc: handle.proc });
        return true;
      } catch {
        return false;
      }
    },
    destroy: () => finish(code),
    supervised: handle,
    async stdin(data) {
      for (let at = 0; at < data.length; at += DATA_CHUNK_BYTES) {
        await connection.request({ op: "stdin", proc: handle.proc }, data.subarray(at, at + DATA_CHUNK_BYTES));
      }
    },
    done: () => done,
  };
}

/** Feeds stdin chunk by chunk, each acknowledged, so a slow process holds the input back. */
async function feedStdin(
  process: { stdin(data: Uint8Array): Promise<void>; done(): boolean },
  connection: SupervisorConnection,
  proc: string,
  input: Uint8Array | Readable,
): Promise<void> {
  try {
    if (input instanceof Uint8Array) {
      await process.stdin(input);
    } else {
      for await (const chunk of input) {
        if (process.done()) return;
        await process.stdin(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
      }
    }
    await connection.request({ op: "stdin_close", proc });
  } catch {
    // The process went away, or the input failed: whoever owns the input kills the process.
  }
}

/** The typed error for the supervisor's refusal of a working directory, or null for any other error. */
export function cwdRefusalOf(error: unknown, cwd: string, workDir: string): Error | null {
  if (!(error instanceof SupervisorRequestError)) return null;
  if (error.code === "cwd_refused") {
    const resolved = typeof error.details.resolved === "string" ? error.details.resolved : "";
    return new PathOutsideWorkspaceError(cwd, workDir, resolved ? `it resolves to ${resolved} through a symbolic link` : undefined);
  }
  if (error.code === "not_found") return new FileNotFoundError(cwd);
  if (error.code === "not_a_directory") return new WrongFileTypeError(cwd, "directory");
  if (error.code === "denied") return new PermissionDeniedError(cwd);
  return null;
}

/** A program that could not be exec'd looks as it does through docker exec: a message and exit 127. */
function startFailure(message: string, onData: (stream: StreamName, chunk: Buffer) => void): ContainerProcess {
  onData("stderr", Buffer.from(`${message}\n`));
  return { ended: Promise.resolve(), exitCode: async () => 127, kill: async () => true, destroy: () => {}, supervised: null };
}
