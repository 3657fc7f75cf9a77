import type { Readable } from "node:stream";
import { finished } from "node:stream/promises";
import type Docker from "dockerode";
import { FileNotFoundError } from "../errors";
import { repackTar } from "../tar-checks";
import { STATUS, runScript, runStreamingScript, throwForStatus } from "./file-exec";
import { type WriteResult, writeFileData } from "./write";

// Uploads and downloads stream through an exec's stdin/stdout as the sandbox
// user. Folders travel as tar: produced by `tar` in the container and re-packed
// here with entry checks on the way out; user archives are checked and re-packed
// before `tar -x` in the container sees them.

export const DEFAULT_MAX_ARCHIVE_BYTES = 2 * 1024 * 1024 * 1024;
export const DEFAULT_MAX_ARCHIVE_ENTRIES = 100_000;

/** Uploads one file (bytes or a stream of any length). */
export function uploadFile(container: Docker.Container, path: string, data: Uint8Array | Readable): Promise<WriteResult> {
  return writeFileData(container, path, data);
}

export type UploadArchiveOptions = { maxBytes?: number; maxEntries?: number };

/** Extracts a user-supplied tar into a folder (created if needed). Links, devices, absolute paths and `..` are refused. */
export async function uploadArchive(
  container: Docker.Container,
  dir: string,
  archive: Uint8Array | Readable,
  options: UploadArchiveOptions = {},
): Promise<{ path: string }> {
  const clean = repackTar(archive, {
    strict: true,
    maxBytes: options.maxBytes ?? DEFAULT_MAX_ARCHIVE_BYTES,
    maxEntries: options.maxEntries ?? DEFAULT_MAX_ARCHIVE_ENTRIES,
  });
  let rejection: unknown = null;
  clean.on("error", (error) => (rejection = error));
  const script = `[ -d "$1" ] || mkdir -p -- "$1" || exit ${STATUS.denied}; cd -- "$1" || exit ${STATUS.denied}; exec tar -x -f - --no-same-owner --no-same-permissions --delay-directory-restore`;
  const result = await runScript(container, script, [dir], { operation: "upload", stdin: clean });
  // A refused entry aborts the stream; tar then fails too, but the reason is ours.
  if (rejection) throw rejection instanceof Error ? rejection : new Error("upload refused", { cause: rejection });
  throwForStatus(result, dir, "upload");
  return { path: dir };
}

export type Download =
  | { kind: "file"; path: string; stream: Readable }
  /** A folder, as an uncompressed tar of its files and folders (symlinks and devices left out). */
  | { kind: "directory"; path: string; stream: Readable; skipped: string[] };

const DOWNLOAD_SCRIPT = `
[ -e "$1" ] || exit ${STATUS.notFound}
if [ -d "$1" ]; then cd -- "$1" || exit ${STATUS.denied}; printf D; exec tar -c -f - .; fi
[ -f "$1" ] || exit ${STATUS.notAFile}
[ -r "$1" ] || exit ${STATUS.denied}
printf F; exec cat -- "$1"
`;

/** Streams a file, or a folder as a tar. Errors for a missing path are thrown before any byte is returned. */
export async function downloadPath(container: Docker.Container, path: string): Promise<Download> {
  // tar exits 1 when a file changed while read, 2 when one was unreadable: the rest is still good.
  let kind: "F" | "D" | null = null;
  const run = await runStreamingScript(container, DOWNLOAD_SCRIPT, [path], {
    path,
    operation: "download",
    acceptExitCode: (code) => code === 0 || (kind === "D" && (code === 1 || code === 2)),
  });
  const tag = await run.tag;
  if (tag === "F") {
    kind = "F";
    return { kind: "file", path, stream: run.stdout };
  }
  if (tag === "D") {
    kind = "D";
    const skipped: string[] = [];
    const stream = repackTar(run.stdout, { strict: false, onSkip: (name) => skipped.push(name) });
    return { kind: "directory", path, stream, skipped };
  }
  // No tag: the script failed before sending anything; the stream carries the typed error.
  run.stdout.resume();
  await finished(run.stdout);
  throw new FileNotFoundError(path);
}
