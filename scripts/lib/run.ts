import { spawn, type SpawnOptions } from "node:child_process";

export class CommandError extends Error {
  constructor(
    readonly command: string,
    readonly exitCode: number | null,
    readonly outputTail: string,
  ) {
    super(`\`${command}\` failed (exit ${exitCode})${outputTail ? `:\n${outputTail}` : ""}`);
  }
}

type RunOptions = Pick<SpawnOptions, "cwd" | "env"> & {
  /** Print each output line indented, prefixed; otherwise output is only kept for errors. */
  echo?: boolean;
  onLine?: (line: string) => void;
};

/** Runs a command to completion; rejects with the output's tail on failure. */
export function run(command: string, args: string[], options: RunOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"] });
    const lines: string[] = [];
    let pending = "";
    const onData = (chunk: Buffer) => {
      const parts = (pending + chunk.toString()).split("\n");
      pending = parts.pop() ?? "";
      for (const line of parts) emit(line);
    };
    const emit = (line: string) => {
      lines.push(line);
      if (lines.length > 400) lines.shift();
      if (options.echo && line.trim()) console.log(`    ${line}`);
      options.onLine?.(line);
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.on("error", (error) => reject(new CommandError(`${command} ${args.join(" ")}`, null, error.message)));
    child.on("close", (code) => {
      if (pending) emit(pending);
      const output = lines.join("\n");
      if (code === 0) resolve(output);
      else reject(new CommandError(`${command} ${args.join(" ")}`, code, lines.slice(-60).join("\n")));
    });
  });
}

/** Like run, but resolves to false instead of rejecting. */
export async function succeeds(command: string, args: string[], options: RunOptions = {}): Promise<boolean> {
  try {
    await run(command, args, options);
    return true;
  } catch {
    return false;
  }
}
