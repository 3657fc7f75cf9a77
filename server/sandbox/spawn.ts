import { randomBytes } from "node:crypto";
import { PassThrough, type Readable, type Writable } from "node:stream";
import type Docker from "dockerode";
import { cwdCheckScript, cwdRefusal } from "./cwd-check";
import { type ContainerProcess, attachProcess, startProcess } from "./container-process";
import { ContainerUnavailableError, lostToStoppedContainer } from "./docker-exec";
import { SandboxInfrastructureError } from "./errors";
import { type ExitCause, exitCauseOf } from "./exit-cause";
import { supervisorOf } from "./supervisor/sandbox-supervisor";

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
  /**
   * Outlives this app process (through the supervisor): a later process finds it by this name with
   * attachKeptProcess. Without a supervisor the name is ignored.
   */
  keepAs?: string;
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

const PID_PROLOGUE = 'echo "$$"; exec "$@"';
/** Refusals of the cwd check take the pid line's place. */
const CHECKED_PROLOGUE = cwdCheckScript(1, PID_PROLOGUE);
const PID_TIMEOUT_MS = 30_000;
/** After a kill, how long the stream may stay open before we close our side. */
const KILL_GRACE_MS = 1_000;

export async function spawnProcess(container: Docker.Container, argv: string[], options: SpawnOptions = {}): Promise<SpawnedProcess> {
  if (argv.length === 0) throw new SandboxInfrastructureError("spawn needs a program to run.");
  if (supervisorOf(container)) return spawnSupervised(container, argv, options);
  const startedAtMs = Date.now();
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

  const running = await startProcess(
    container,
    {
      cmd:
        options.workDir === undefined
          ? ["/bin/sh", "-c", PID_PROLOGUE, "tidepool-spawn", ...argv]
          : ["/bin/sh", "-c", CHECKED_PROLOGUE, "tidepool-spawn", nonce, options.workDir, options.cwd ?? options.workDir, ...argv],
      env: options.env ?? [],
      workingDir: options.workDir ?? options.cwd,
      stdin,
      ...(options.keepAs ? { keep: true, name: options.keepAs } : {}),
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

  const exitedBase = whenExited(running, { stdin, stdout, stderr });
  const exited = exitedBase.then(async (code) => {
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

  return asSpawned(container, running, { pid, stdin, stdout, stderr, exited, startedAtMs });
}

/** Through the supervisor: it checks the cwd and knows the pid, so the program runs as it is. */
async function spawnSupervised(container: Docker.Container, argv: string[], options: SpawnOptions): Promise<SpawnedProcess> {
  const startedAtMs = Date.now();
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const running = await startProcess(
    container,
    {
      cmd: argv,
      env: options.env ?? [],
      workingDir: options.cwd ?? options.workDir,
      ...(options.workDir !== undefined ? { checkCwdWithin: options.workDir } : {}),
      stdin,
      ...(options.keepAs ? { keep: true, name: options.keepAs } : {}),
    },
    (stream, chunk) => (stream === "stdout" ? stdout : stderr).write(chunk),
  );
  const exited = whenExited(running, { stdin, stdout, stderr });
  return asSpawned(container, running, { pid: running.supervised?.pid ?? 0, stdin, stdout, stderr, exited, startedAtMs });
}

/**
 * The running process kept under `name` (by this or an earlier app process), with its output from now
 * on; null when there is none or the sandbox has no supervisor.
 */
export async function attachKeptProcess(container: Docker.Container, name: string): Promise<SpawnedProcess | null> {
  const supervisor = supervisorOf(container);
  if (!supervisor) return null;
  const connection = await supervisor.connection();
  const { header } = await connection.request({ op: "list" });
  const kept = (header.procs as { proc: string; pid: number; name: string; running: boolean }[] | undefined)?.find((p) => p.name === name && p.running);
  if (!kept) return null;
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const running = attachProcess(connection, kept, (stream, chunk) => (stream === "stdout" ? stdout : stderr).write(chunk));
  try {
    await connection.request({ op: "attach", proc: kept.proc });
  } catch {
    running.destroy();
    return null;
  }
  void (async () => {
    for await (const chunk of stdin) await running.stdin(chunk as Buffer);
  })().catch(() => {
    // The process or the connection went away: `exited` says so.
  });
  const exited = whenExited(running, { stdin, stdout, stderr });
  return asSpawned(container, running, { pid: kept.pid, stdin, stdout, stderr, exited, startedAtMs: Date.now() });
}

type Streams = { stdin: PassThrough; stdout: PassThrough; stderr: PassThrough };

function whenExited(running: ContainerProcess, streams: Streams): Promise<number | null> {
  return running.ended
    .catch(() => {})
    .then(async () => {
      streams.stdout.end();
      streams.stderr.end();
      streams.stdin.destroy();
      // A reader that attached just now gets the buffered output (it flows on the next tick) before `exited`.
      await new Promise((resolve) => setImmediate(resolve));
      return running.exitCode().catch(() => null);
    });
}

function asSpawned(
  container: Docker.Container,
  running: ContainerProcess,
  process: Streams & { pid: number; exited: Promise<number | null>; startedAtMs: number },
): SpawnedProcess {
  const { pid, stdin, stdout, stderr, exited, startedAtMs } = process;
  let closed = false;
  void exited.then(() => (closed = true));
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
      const result = await startProcess(container, { cmd: ["kill", `-${signal}`, String(pid)] }, () => {});
      await result.ended;
    },
    kill() {
      killing ??= (async () => {
        if (!closed) await running.kill();
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
