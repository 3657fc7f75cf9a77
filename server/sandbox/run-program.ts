import type Docker from "dockerode";
import { runScript } from "./files/file-exec";

// A program run with its arguments as argv, never through a shell string the
// caller builds: for helpers the platform ships into the sandbox (a Python
// scan of the workspace, a `find`). Runs as the sandbox user; pass absolute paths.

export type RunProgramOptions = {
  /** Kill it after this long (throws SandboxTimeoutError). */
  timeoutMs?: number;
  /** Stop collecting stdout (and kill it) past this many bytes. */
  maxOutputBytes?: number;
};

export type RunProgramResult = { stdout: string; stderr: string; exitCode: number; truncated: boolean };

export async function runProgram(container: Docker.Container, argv: string[], options: RunProgramOptions = {}): Promise<RunProgramResult> {
  const result = await runScript(container, 'exec "$@"', argv, {
    operation: argv[0] ?? "program",
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.maxOutputBytes !== undefined ? { maxStdoutBytes: options.maxOutputBytes } : {}),
  });
  return { stdout: result.stdout.toString("utf8"), stderr: result.stderr, exitCode: result.exitCode, truncated: result.truncated };
}
