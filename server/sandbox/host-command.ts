import { execFile, spawn } from "node:child_process";

// Host tools the engine needs for workspace disks (mkfs, mount, resize2fs…),
// run with argv (never a shell string) and a bound on every wait.

export class HostCommandError extends Error {
  constructor(
    readonly command: string,
    readonly stderr: string,
    readonly exitCode: number | null,
  ) {
    super(`${command} failed${exitCode === null ? "" : ` (exit ${exitCode})`}: ${stderr.trim().split("\n")[0] || "no message"}`);
    this.name = "HostCommandError";
  }
}

export function runHost(command: string, args: string[], timeoutMs = 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: timeoutMs, killSignal: "SIGKILL", maxBuffer: 4 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (!error) return resolve(stdout);
      const timedOut = error.killed && error.signal === "SIGKILL";
      const code = typeof error.code === "number" ? error.code : null;
      reject(new HostCommandError(command, timedOut ? `did not finish within ${timeoutMs} ms` : stderr || error.message, code));
    });
  });
}

/** True when the command exits 0, false on any other exit (for probes like `mountpoint -q`). */
export function hostSucceeds(command: string, args: string[], timeoutMs = 10_000): Promise<boolean> {
  return runHost(command, args, timeoutMs).then(
    () => true,
    () => false,
  );
}

/**
 * Runs `fn` holding an exclusive flock(1) on `lockFile`, shared with every
 * process on this host (two app processes preparing one workspace disk). The
 * lock is held by a child that exits when our end of its stdin closes, so it
 * is released even if this process dies.
 */
export async function withHostLock<T>(lockFile: string, fn: () => Promise<T>, timeoutMs = 120_000): Promise<T> {
  const holder = spawn("flock", ["-w", String(Math.ceil(timeoutMs / 1000)), lockFile, "sh", "-c", "echo locked; exec cat >/dev/null"], {
    stdio: ["pipe", "pipe", "pipe"],
  });
  await new Promise<void>((resolve, reject) => {
    let stderr = "";
    holder.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    holder.stdout.once("data", () => resolve());
    holder.once("error", reject);
    holder.once("exit", (code) => reject(new HostCommandError("flock", stderr || `could not lock ${lockFile} within ${timeoutMs} ms`, code)));
  });
  try {
    return await fn();
  } finally {
    holder.stdin.end();
  }
}
