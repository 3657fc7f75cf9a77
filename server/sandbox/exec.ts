import { randomBytes } from "node:crypto";
import { StringDecoder } from "node:string_decoder";
import type Docker from "dockerode";
import { CWD_REFUSED_EXIT, cwdCheckScript, cwdRefusal } from "./cwd-check";
import { startProcess } from "./container-process";
import { supervisorOf } from "./supervisor/sandbox-supervisor";
import { ContainerUnavailableError, type StreamName, containerStoppedSince, lostToStoppedContainer } from "./docker-exec";

// execute(): a shell command with streamed, capped output and a timeout that
// really kills: the command and everything it started (container-process.ts).

export const DEFAULT_MAX_OUTPUT_BYTES = 100_000;
/** Past this much output a command is killed: more is never shown and only burns CPU. */
export const DEFAULT_KILL_AFTER_OUTPUT_BYTES = 16 * 1024 * 1024;
export const DEFAULT_TIMEOUT_MS = 300_000;
/** After a kill, how long the output stream may stay open before we close our side. */
const KILL_GRACE_MS = 1_000;

export type OutputChunk = { stream: StreamName; text: string };

export type ExecuteOptions = {
  /** Kill the command (and everything it started) after this long. Default 300 000. */
  timeoutMs?: number;
  /** Working directory (already resolved under the work dir by the caller). */
  cwd?: string;
  /**
   * The work dir the cwd must stay in once symlinks are resolved. When given,
   * the command's own shell enters the cwd and checks it (cwd-check.ts), and
   * Docker only ever sees the work dir as WorkingDir.
   */
  workDir?: string;
  env?: string[];
  /** Called with output as it arrives (stdout and stderr kept apart). */
  onOutput?: (chunk: OutputChunk) => void;
  /** Output kept in the result, stdout and stderr together. Default 100 000 bytes. */
  maxOutputBytes?: number;
  /** Output after which the command is killed. Default 16 MiB. */
  killAfterOutputBytes?: number;
  /** Aborting kills the command like a timeout (e.g. a Stop button). */
  signal?: AbortSignal;
  /** The shell that runs the command. Default ["/bin/sh", "-c"] as in the seeds. */
  shell?: string[];
};

export type ExecuteResult = {
  /** stdout and stderr merged in arrival order (the seeds' `output`), capped. */
  output: string;
  stdout: string;
  stderr: string;
  /** The command's exit code; 137 when it was killed. */
  exitCode: number;
  /** Output was longer than maxOutputBytes and was cut. */
  truncated: boolean;
  /** Bytes the command wrote to stdout and stderr, kept or not (a command killed for flooding stops counting there). */
  outputBytes: number;
  /** The command ran past timeoutMs and was killed. */
  timedOut: boolean;
  /** The command was stopped through `signal`. */
  aborted: boolean;
  /**
   * The command could not be stopped on its own (a fork bomb filling the pid
   * table outruns the sweep), so the whole container was stopped: the next
   * operation starts a fresh one, files intact, processes and variables gone.
   */
  sandboxStopped?: boolean;
  /**
   * The container stopped under the command (killed from outside, out of
   * memory as a whole, restarted): the output ends with a line saying so. A
   * command that killed itself in a running sandbox is a plain exit 137.
   */
  sandboxLost?: boolean;
  durationMs: number;
};

export async function executeCommand(container: Docker.Container, command: string, options: ExecuteOptions = {}): Promise<ExecuteResult> {
  const started = performance.now();
  const maxOutput = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
  const killAfter = Math.max(options.killAfterOutputBytes ?? DEFAULT_KILL_AFTER_OUTPUT_BYTES, maxOutput);
  const nonce = randomBytes(9).toString("hex");
  const startedAt = Date.now();
  let refusal: string | null = null;
  const decoders = { stdout: new StringDecoder("utf8"), stderr: new StringDecoder("utf8") };
  const texts = { stdout: [] as string[], stderr: [] as string[] };
  const merged: string[] = [];
  let kept = 0;
  let seen = 0;
  let truncated = false;
  let killReason: "timeout" | "output" | "abort" | null = null;

  const emit = (stream: StreamName, text: string) => {
    if (!text) return;
    texts[stream].push(text);
    merged.push(text);
    options.onOutput?.({ stream, text });
  };

  let kill: (reason: "timeout" | "output" | "abort") => void = () => {};
  const argv = [...(options.shell ?? ["/bin/sh", "-c"]), command];
  // The supervisor checks the cwd itself; through docker exec a shell prologue does (cwd-check.ts).
  const supervised = supervisorOf(container) !== null;
  const checked = options.workDir !== undefined && !supervised;
  const running = await startProcess(
    container,
    {
      cmd: checked ? ["/bin/sh", "-c", cwdCheckScript(2), "tidepool-cwd", nonce, options.workDir!, options.cwd ?? options.workDir!, ...argv] : argv,
      env: options.env ?? [],
      workingDir: checked ? options.workDir : (options.cwd ?? options.workDir),
      ...(supervised && options.workDir !== undefined ? { checkCwdWithin: options.workDir } : {}),
    },
    (stream, chunk) => {
      // The cwd check's refusal comes first and alone; it is not the command's output.
      if (checked && seen === 0 && refusal === null && stream === "stderr" && chunk.toString("latin1").startsWith(`${nonce} `)) {
        refusal = chunk.toString("utf8").split("\n")[0] ?? "";
        return;
      }
      seen += chunk.length;
      if (kept < maxOutput) {
        const room = maxOutput - kept;
        const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
        kept += part.length;
        emit(stream, decoders[stream].write(part));
        if (part.length < chunk.length) truncated = true;
      } else {
        truncated = true;
      }
      if (seen > killAfter) kill("output");
    },
  );

  // A holder, not a `let`: the kill is started from callbacks TypeScript's narrowing cannot see.
  const killing: { current: Promise<void> | null } = { current: null };
  let sandboxStopped = false;
  kill = (reason) => {
    if (killing.current) return;
    killReason = reason;
    killing.current = (async () => {
      if (!(await running.kill())) {
        sandboxStopped = true;
        await container.kill().catch(() => {});
      }
      // Whatever still holds the stream open (a process that cleared its
      // environment, say) no longer keeps us waiting.
      const closed = await Promise.race([running.ended.then(() => true), sleep(KILL_GRACE_MS).then(() => false)]);
      if (!closed) running.destroy();
    })();
  };

  const timer = setTimeout(() => kill("timeout"), options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const onAbort = () => kill("abort");
  if (options.signal?.aborted) onAbort();
  options.signal?.addEventListener("abort", onAbort);
  try {
    await running.ended;
    if (killing.current) await killing.current;
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener("abort", onAbort);
  }
  emit("stdout", decoders.stdout.end());
  emit("stderr", decoders.stderr.end());

  const code = await running.exitCode().catch(() => null);
  if (refusal !== null && code === CWD_REFUSED_EXIT) {
    throw cwdRefusal(refusal, nonce, options.cwd ?? options.workDir ?? "", options.workDir ?? "") ?? new ContainerUnavailableError("not-running");
  }
  // runc could not start the command because the container stopped under it (killed, or another process
  // replaced it): nothing ran, so the caller may start the sandbox again and retry.
  if (!killReason && (await lostToStoppedContainer(container, merged.join("")))) {
    throw new ContainerUnavailableError("not-running");
  }
  // Killed with the whole sandbox, or by its own hand? Only the container's state tells.
  const sandboxLost = !sandboxStopped && !killReason && (code === 137 || code === null) && (await containerStoppedSince(container, startedAt));
  if (sandboxLost) {
    emit("stderr", `${merged.length > 0 && !merged.at(-1)!.endsWith("\n") ? "\n" : ""}${sandboxLostNotice(options.workDir)}\n`);
  }
  return {
    output: merged.join(""),
    stdout: texts.stdout.join(""),
    stderr: texts.stderr.join(""),
    // A container stopped under the command reports what it likes; it was killed.
    exitCode: sandboxStopped || sandboxLost ? 137 : (code ?? (killReason ? 137 : -1)),
    truncated,
    outputBytes: seen,
    timedOut: killReason === "timeout",
    aborted: killReason === "abort",
    ...(sandboxStopped ? { sandboxStopped } : {}),
    ...(sandboxLost ? { sandboxLost } : {}),
    durationMs: Math.round(performance.now() - started),
  };
}

/** The line added to a command's output when the sandbox stopped under it. */
export function sandboxLostNotice(workDir = "/workspace"): string {
  return `[The sandbox stopped while this command ran (it was killed or restarted); files in ${workDir} are intact. Run the command again.]`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
