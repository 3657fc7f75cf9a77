import type { DockerSandbox } from "~/server/sandbox";

// Files a shell command created or changed, so they can be offered to the user
// as artifacts. One extra `find` in the sandbox after the command (only when
// someone listens for artifacts), run with its arguments as argv; hidden files
// and folders are skipped.

const MAX_FILES = 50;
/** Enough output for MAX_FILES long paths; `find` is stopped past it. */
const MAX_OUTPUT_BYTES = MAX_FILES * 4096;

export async function findChangedFiles(sandbox: Pick<DockerSandbox, "run" | "workDir">, sinceMs: number): Promise<string[]> {
  // Same clock: the container shares the host's kernel. A little slack for mtime rounding.
  const since = `@${((sinceMs - 20) / 1000).toFixed(3)}`;
  const root = sandbox.workDir.replace(/\/$/, "");
  const argv = ["find", root, "-xdev", "(", "-name", ".*", "-prune", ")", "-o", "-type", "f", "-newermt", since, "-print"];
  try {
    const result = await sandbox.run(argv, { timeoutMs: 10_000, maxOutputBytes: MAX_OUTPUT_BYTES });
    const lines = result.stdout.split("\n").filter((line) => line.startsWith(`${root}/`));
    // Past the cap the last line may be cut.
    return (result.truncated ? lines.slice(0, -1) : lines).slice(0, MAX_FILES);
  } catch {
    return [];
  }
}
