import { PassThrough, type Readable } from "node:stream";
import type Docker from "dockerode";
import { type ContainerProcess, startProcess } from "../container-process";
import { ContainerUnavailableError, containerStoppedSince, lostToStoppedContainer, startDockerExec } from "../docker-exec";
import {
  FileNotFoundError,
  InvalidPathError,
  PermissionDeniedError,
  SandboxInfrastructureError,
  SandboxNotRunningError,
  SandboxTimeoutError,
  UploadIncompleteError,
  WorkspaceFullError,
  WrongFileTypeError,
} from "../errors";
import { CodedError } from "../coded-error";

// File operations are small shell scripts exec'd as the sandbox user, with the
// path passed as an argument (never spliced into the script). Their exit codes
// below say what went wrong, so errors are typed without parsing messages.

export const STATUS = { notFound: 10, notAFile: 11, notADirectory: 12, denied: 13, shortWrite: 15, exists: 16 } as const;

/** Shared prologue: $1 is the path. */
export const CHECK_FILE = `[ -e "$1" ] || exit ${STATUS.notFound}; [ -f "$1" ] || exit ${STATUS.notAFile}; [ -r "$1" ] || exit ${STATUS.denied};`;
export const CHECK_DIR = `[ -e "$1" ] || exit ${STATUS.notFound}; [ -d "$1" ] || exit ${STATUS.notADirectory}; cd -- "$1" 2>/dev/null || exit ${STATUS.denied};`;

export type ScriptOptions = {
  operation: string;
  stdin?: Uint8Array | Readable;
  /** Stop collecting (and kill the script) past this many bytes of stdout. */
  maxStdoutBytes?: number;
  timeoutMs?: number;
};

export type ScriptResult = { stdout: Buffer; stderr: string; exitCode: number; truncated: boolean };


export async function runScript(container: Docker.Container, script: string, args: string[], options: ScriptOptions): Promise<ScriptResult> {
  const startedAt = Date.now();
  const chunks: Buffer[] = [];
  const stderr: Buffer[] = [];
  let size = 0;
  let truncated = false;
  // A holder, not a `let`: the kill is started from callbacks TypeScript's narrowing cannot see.
  const killing: { current: Promise<unknown> | null } = { current: null };
  const max = options.maxStdoutBytes ?? Number.POSITIVE_INFINITY;
  // A stream that fails must not look like its end: the script would take EOF for a complete
  // upload and rename its temp file into place. So the script is killed before our side closes.
  const runningRef: { current: ContainerProcess | null } = { current: null };
  const killThenClose = (process: ContainerProcess) => process.kill().finally(() => process.destroy());
  const input = guardStdin(options.stdin, () => {
    // Before the process exists, the check right after its start does this.
    if (runningRef.current) killing.current ??= killThenClose(runningRef.current);
  });
  const running = await startProcess(
    container,
    { cmd: ["sh", "-c", script, "sh", ...args], stdin: input.stream },
    (stream, chunk) => {
      if (stream === "stderr") {
        if (stderr.length < 64) stderr.push(Buffer.from(chunk));
        return;
      }
      if (size + chunk.length > max) {
        chunks.push(Buffer.from(chunk.subarray(0, Math.max(0, max - size))));
        size = max;
        truncated = true;
        killing.current ??= runningRef.current?.kill() ?? null;
        return;
      }
      // Demuxed chunks are views of socket buffers nobody reuses: keep them without copying.
      chunks.push(chunk);
      size += chunk.length;
    },
  );
  runningRef.current = running;
  if (input.failure() !== null && !killing.current) killing.current = killThenClose(running);
  let timedOut = false;
  const timer = options.timeoutMs
    ? setTimeout(() => {
        timedOut = true;
        killing.current ??= killThenClose(running);
      }, options.timeoutMs)
    : undefined;
  try {
    await running.ended;
    if (killing.current) await killing.current;
  } finally {
    if (timer) clearTimeout(timer);
  }
  if (timedOut) throw new SandboxTimeoutError(options.operation, options.timeoutMs ?? 0);
  const code = await running.exitCode();
  const failure = input.failure();
  // A typed refusal (an archive entry) says why; anything else is an upload that broke off.
  if (failure !== null) throw failure instanceof CodedError ? failure : new UploadIncompleteError({ cause: failure });
  const stdout = Buffer.concat(chunks);
  const stderrText = Buffer.concat(stderr).toString("utf8");
  if (await lostToStoppedContainer(container, `${stdout.subarray(0, 500).toString("utf8")}${stderrText}`)) {
    throw new ContainerUnavailableError("not-running");
  }
  // Killed with the sandbox half way: Docker's exit code says nothing the user can act on.
  if (!truncated && (code === 137 || code === null) && (await containerStoppedSince(container, startedAt))) {
    throw new SandboxNotRunningError("Your sandbox restarted during this operation; your files are intact. Try again.");
  }
  return { stdout, stderr: stderrText, exitCode: code ?? -1, truncated };
}

/**
 * Passes a Readable on through a gate that ends only when the source ended:
 * an error or an early close of the source calls `onFailure` instead (and the
 * gate stays open until the caller closes the connection).
 */
function guardStdin(stdin: Uint8Array | Readable | undefined, onFailure: () => void): { stream: Uint8Array | Readable | undefined; failure(): unknown } {
  if (stdin === undefined || stdin instanceof Uint8Array) return { stream: stdin, failure: () => null };
  const gate = new PassThrough({ highWaterMark: 1024 * 1024 });
  let failure: unknown = null;
  let ended = false;
  const fail = (reason: unknown) => {
    if (ended || failure !== null) return;
    failure = reason ?? new Error("input closed early");
    stdin.unpipe(gate);
    onFailure();
  };
  stdin.once("end", () => (ended = true));
  stdin.once("error", fail);
  stdin.once("close", () => {
    if (!ended) fail(stdin.errored ?? new Error("input closed early"));
  });
  stdin.pipe(gate);
  return { stream: gate, failure: () => failure };
}

/** Removes engine temp files after a failure: best effort, bounded (the container may be gone). */
export async function removeQuietly(container: Docker.Container, paths: string[]): Promise<void> {
  if (paths.length === 0) return;
  await runScript(container, 'rm -rf -- "$@"', paths, { operation: "cleanup", timeoutMs: 10_000 }).catch(() => {});
}

/** Maps the scripts' exit codes to typed errors; other failures become infrastructure errors with stderr. */
export function throwForStatus(result: { exitCode: number; stderr: string }, path: string, operation: string): void {
  if (result.exitCode === 0) return;
  // Say why from errno's words first: a full disk fails a `mkdir` or a `mv` whose exit maps to "denied".
  if (/no space left on device|disk quota exceeded/i.test(result.stderr)) throw new WorkspaceFullError(path);
  if (/file name too long/i.test(result.stderr)) throw new InvalidPathError(path, "a name in it is longer than 255 bytes; use a shorter name");
  switch (result.exitCode) {
    case STATUS.notFound:
      throw new FileNotFoundError(path);
    case STATUS.notAFile:
      throw new WrongFileTypeError(path, "file");
    case STATUS.notADirectory:
      throw new WrongFileTypeError(path, "directory");
    case STATUS.denied:
      throw new PermissionDeniedError(path, firstLine(result.stderr));
    default:
      if (/permission denied|read-only file system|operation not permitted/i.test(result.stderr)) {
        throw new PermissionDeniedError(path, firstLine(result.stderr));
      }
      throw new SandboxInfrastructureError(`${operation} ${path} failed (exit ${result.exitCode}): ${firstLine(result.stderr) || "no message"}`);
  }
}

function firstLine(text: string): string {
  return (
    text
      .split("\n")
      .map((l) => l.replace(/^(sh|head|cat|mkdir|mv|tar|find|grep): (\d+: )?/, ""))
      .find((l) => l.trim()) ?? ""
  );
}

export type StreamingScript = {
  /** The first byte of stdout, sent by the script to announce what follows (or null if it exited first). */
  tag: Promise<string | null>;
  /** stdout after the tag byte; ends when the script succeeded, errors (typed) when it failed. */
  stdout: Readable;
};

/** Runs a script whose stdout is streamed to the caller (downloads), with backpressure. */
export async function runStreamingScript(
  container: Docker.Container,
  script: string,
  args: string[],
  context: { path: string; operation: string; acceptExitCode?: (code: number) => boolean },
): Promise<StreamingScript> {
  const stdout = new PassThrough({ highWaterMark: 1024 * 1024 });
  const stderr: Buffer[] = [];
  let resolveTag!: (tag: string | null) => void;
  const tag = new Promise<string | null>((resolve) => (resolveTag = resolve));
  let tagSeen = false;
  let socket: Readable | null = null;
  const running = await startDockerExec(container, { cmd: ["sh", "-c", script, "sh", ...args] }, (stream, chunk) => {
    if (stream === "stderr") {
      if (stderr.length < 64) stderr.push(Buffer.from(chunk));
      return;
    }
    let data = chunk;
    if (!tagSeen && data.length > 0) {
      tagSeen = true;
      resolveTag(String.fromCharCode(data[0]!));
      data = data.subarray(1);
    }
    // Backpressure: hold the connection while our consumer is slow.
    if (data.length > 0 && !stdout.write(data) && socket && !socket.isPaused()) {
      socket.pause();
      stdout.once("drain", () => socket?.resume());
    }
  });
  socket = running.socket;
  running.ended
    .then(async () => {
      if (!tagSeen) resolveTag(null);
      const exitCode = (await running.exitCode()) ?? -1;
      const accept = context.acceptExitCode ?? ((code: number) => code === 0);
      if (accept(exitCode)) stdout.end();
      else throwForStatus({ exitCode, stderr: Buffer.concat(stderr).toString("utf8") }, context.path, context.operation);
    })
    .catch((error: Error) => {
      if (!tagSeen) resolveTag(null);
      stdout.destroy(error);
    });
  stdout.on("close", () => {
    // The consumer went away before the end: stop reading.
    if (!stdout.writableFinished) running.destroy();
  });
  return { tag, stdout };
}
