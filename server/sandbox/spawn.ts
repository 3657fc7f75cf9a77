import { randomBytes } from "node:crypto";
import { PassThrough, type Readable, type Writable } from "node:stream";
import type Docker from "dockerode";
import { cwdCheckScript, cwdRefusal } from "./cwd-check";
import { ContainerUnavailableError, lostToStoppedContainer, startExec } from "./docker-exec";
import { SandboxInfrastructureError } from "./errors";
import { killMarked } from "./exec";
import { type ExitCause, exitCauseOf } from "./exit-cause";

// spawn(): a long-lived process in the sandbox with its stdin, stdout and
// stderr attached (one docker exec as the sandbox user, held open), for
// programs the engine talks to over pipes, such as the Python kernel. A small
// shell prologue prints the process's pid in the container before exec'ing
// the program, so it can be signalled later through a second exec.

export type SpawnOptions = {
  /** Working directory (already resolved under the work dir by the caller). */
  cwd?: string;
  /** The work dir the cwd must stay in once symlinks are resolved (see exec.ts). */
  workDir?: string;
  env?: string[];
};

export type ProcessSignal = "INT" | "TERM" | "KILL";

export type SpawnedProcess = {
  /** The process id inside the container. */
  pid: number;
  /** Writes go to the process's stdin; end() closes it (the process sees EOF). */
  stdin: Writable;
  stdout: Readable;
  stderr: Readable;
  /** Resolves with the exit code (null if docker does not know) once the process is gone and its output drained. */
  exited: Promise<number | null>;
  /** True once the output stream has closed. */
  readonly closed: boolean;
  /** Sends a signal to the process itself (not its children). */
  signal(signal: ProcessSignal): Promise<void>;
  /** Kills the process and everything it started, then closes the connection. Idempotent. */
  kill(): Promise<void>;
  /**
   * Why the process went away (waits for `exited`): its own exit, a signal, the
   * memory limit, or the sandbox stopping. `oomKillsBefore` is the container's
   * OOM kill count when the work in question started (see exit-cause.ts).
   */
  exitCause(oomKillsBefore: number | null): Promise<ExitCause>;
};

/** Must match exec.ts: its kill script finds processes by this variable. */
const MARKER_VARIABLE = "TIDEPOOL_EXEC";
const PID_PROLOGUE = 'echo "$$"; exec "$@"';
/** Refusals of the cwd check take the pid line's place. */
const CHECKED_PROLOGUE = cwdCheckScript(1, PID_PROLOGUE);
const PID_TIMEOUT_MS = 30_000;
/** After a kill, how long the stream may stay open before we close our side. */
const KILL_GRACE_MS = 1_000;

export async function spawnProcess(container: Docker.Container, argv: string[], options: SpawnOptions = {}): Promise<SpawnedProcess> {
  if (argv.length === 0) throw new SandboxInfrastructureError("spawn needs a program to run.");
  const startedAtMs = Date.now();
  const marker = randomBytes(12).toString("hex");
  const nonce = randomBytes(9).toString("hex");
  let early = "";
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let pidText = "";
  let pidKnown = false;
  let resolvePid: (pid: number) => void = () => {};
  let rejectPid: (error: Error) => void = () => {};
  const pidPromise = new Promise<number>((resolve, reject) => {
    resolvePid = resolve;
    rejectPid = reject;
  });

  const running = await startExec(
    container,
    {
      cmd:
        options.workDir === undefined
          ? ["/bin/sh", "-c", PID_PROLOGUE, "tidepool-spawn", ...argv]
          : ["/bin/sh", "-c", CHECKED_PROLOGUE, "tidepool-spawn", nonce, options.workDir, options.cwd ?? options.workDir, ...argv],
      env: [...(options.env ?? []), `${MARKER_VARIABLE}=${marker}`],
      workingDir: options.workDir ?? options.cwd,
      stdin,
    },
    (stream, chunk) => {
      if (!pidKnown && early.length < 500) early += chunk.toString("utf8");
      if (stream === "stderr") {
        stderr.write(chunk);
        return;
      }
      if (pidKnown) {
        stdout.write(chunk);
        return;
      }
      // The prologue's first line is the pid; everything after it is the program's.
      const text = chunk.toString("latin1");
      const newline = text.indexOf("\n");
      if (newline < 0) {
        pidText += text;
        return;
      }
      pidText += text.slice(0, newline);
      pidKnown = true;
      const pid = Number(pidText.trim());
      const refused = cwdRefusal(pidText, nonce, options.cwd ?? options.workDir ?? "", options.workDir ?? "");
      if (refused) rejectPid(refused);
      else if (Number.isInteger(pid) && pid > 0) resolvePid(pid);
      else rejectPid(new SandboxInfrastructureError(`spawn: unexpected pid line ${JSON.stringify(pidText.slice(0, 80))}.`));
      const rest = chunk.subarray(Buffer.byteLength(text.slice(0, newline + 1), "latin1"));
      if (rest.length > 0) stdout.write(rest);
    },
  );

  let closed = false;
  const exited = running.ended
    .catch(() => {})
    .then(async () => {
      closed = true;
      stdout.end();
      stderr.end();
      stdin.destroy();
      const code = await running.exitCode().catch(() => null);
      if (!pidKnown) {
        // runc refused to start it because the container stopped under it: the caller may start the sandbox again.
        const lost = await lostToStoppedContainer(container, early).catch(() => false);
        rejectPid(lost ? new ContainerUnavailableError("not-running") : new SandboxInfrastructureError("The process exited before it started."));
      }
      return code;
    });

  const timer = setTimeout(() => rejectPid(new SandboxInfrastructureError("spawn: the process did not start in time.")), PID_TIMEOUT_MS);
  let pid: number;
  try {
    pid = await pidPromise;
  } catch (error) {
    running.destroy();
    throw error;
  } finally {
    clearTimeout(timer);
  }

  let killing: Promise<void> | null = null;
  return {
    pid,
    stdin,
    stdout,
    stderr,
    exited,
    get closed() {
      return closed;
    },
    async signal(signal) {
      if (closed) return;
      const result = await startExec(container, { cmd: ["kill", `-${signal}`, String(pid)] }, () => {});
      await result.ended;
    },
    kill() {
      killing ??= (async () => {
        if (!closed) await killMarked(container, marker).catch(() => {});
        const done = await Promise.race([exited.then(() => true), sleep(KILL_GRACE_MS).then(() => false)]);
        if (!done) running.destroy();
        await exited;
      })();
      return killing;
    },
    async exitCause(oomKillsBefore) {
      const code = await exited;
      return exitCauseOf(container, { code, startedAtMs, oomKillsBefore });
    },
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
