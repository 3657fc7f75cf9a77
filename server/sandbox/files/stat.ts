import type Docker from "dockerode";
import { supervisorOf } from "../supervisor/sandbox-supervisor";
import { STATUS, runScript, throwForStatus } from "./file-exec";
import { fileError } from "./native";

// One path's type and size, following symlinks like the reads and downloads
// that come next do: what a caller needs to refuse a file before streaming it.

export type PathStat = { path: string; type: "file" | "directory" | "other"; size: number };

// Only a file's size matters (a folder's is its own inode's); wc -c where an image has no stat.
const STAT_SCRIPT = `[ -e "$1" ] || exit ${STATUS.notFound}
if [ -d "$1" ]; then printf d; exit 0; fi
[ -f "$1" ] || { printf o; exit 0; }
printf f; stat -L -c %s -- "$1" 2>/dev/null || wc -c < "$1"`;

export async function statPath(container: Docker.Container, path: string): Promise<PathStat> {
  const supervisor = supervisorOf(container);
  if (supervisor) {
    const connection = await supervisor.connection();
    const { header } = await connection.request({ op: "stat", path, follow: true }).catch((error: unknown) => {
      throw fileError(error, path);
    });
    const type = header.type === "dir" ? "directory" : header.type === "file" ? "file" : "other";
    return { path, type, size: type === "file" ? Number(header.size) : 0 };
  }
  const result = await runScript(container, STAT_SCRIPT, [path], {
    operation: "stat",
    maxStdoutBytes: 64,
    timeoutMs: 30_000,
  });
  throwForStatus(result, path, "stat");
  const out = result.stdout.toString("latin1").trim();
  const type = out[0] === "d" ? "directory" : out[0] === "f" ? "file" : "other";
  return { path, type, size: Number(out.slice(1)) || 0 };
}
