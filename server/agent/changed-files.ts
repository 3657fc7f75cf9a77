import type { DockerSandbox } from "~/server/sandbox";

// Files a shell command created or changed, so they can be offered to the user
// as artifacts. One extra `find` in the sandbox after the command (only when
// someone listens for artifacts); hidden files and folders are skipped.

const MAX_FILES = 50;

export async function findChangedFiles(sandbox: Pick<DockerSandbox, "execute" | "workDir">, sinceMs: number): Promise<string[]> {
  // Same clock: the container shares the host's kernel. A little slack for mtime rounding.
  const since = ((sinceMs - 20) / 1000).toFixed(3);
  const command = `find . -xdev \\( -name '.*' ! -name . -prune \\) -o -type f -newermt @${since} -print 2>/dev/null | head -n ${MAX_FILES}`;
  try {
    const result = await sandbox.execute(command, { timeoutMs: 10_000 });
    const root = sandbox.workDir.replace(/\/$/, "");
    return result.stdout
      .split("\n")
      .filter((line) => line.startsWith("./"))
      .map((line) => `${root}/${line.slice(2)}`);
  } catch {
    return [];
  }
}
