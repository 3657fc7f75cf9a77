import { posix } from "node:path";
import { Readable } from "node:stream";
import { finished } from "node:stream/promises";
import type Docker from "dockerode";
import { FileNotFoundError, UnsafeArchiveError } from "../errors";
import { supervisorOf } from "../supervisor/sandbox-supervisor";
import { repackTar } from "../tar-checks";
import { STATUS, removeQuietly, runScript, runStreamingScript, throwForStatus } from "./file-exec";
import { supervisorReadHead } from "./native";
import { statPath } from "./stat";
import { TEMP_PREFIXES, tempName } from "./temp-names";
import { type WriteResult, streamSafe, writeFileData } from "./write";

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

export type UploadArchiveOptions = {
  maxBytes?: number;
  maxEntries?: number;
  /** The sandbox's work dir, where the archive is spooled (set by DockerSandbox). Default /workspace. */
  workDir?: string;
};

// Pass 1: the target must be a folder we may write (or not exist yet); the
// archive, re-packed as it is checked, goes to a hidden spool file. Nothing is
// extracted until every entry has passed (count, total size, names, types).
const SPOOL_SCRIPT = `
if [ -e "$1" ] || [ -L "$1" ]; then
  [ -d "$1" ] || exit ${STATUS.notADirectory}
  [ -w "$1" ] && [ -x "$1" ] || exit ${STATUS.denied}
fi
cat > "$2" || { rm -f -- "$2"; exit ${STATUS.denied}; }
`;

const MERGE_FAILED = 21;

// Pass 2: extract the checked spool into a hidden folder on the target's
// filesystem, then move it into place (a new folder: one rename) or link its
// files over an existing folder's (a merge, as \`tar -x\` into it would do).
// Any failure removes the spool and the hidden folder.
const EXTRACT_SCRIPT = `
t=$1; s=$2; x=$3
fail() { rm -rf -- "$w" "$s"; exit $1; }
if [ -d "$t" ]; then w="$t/$x"; else p=\${t%/*}; [ -n "$p" ] || p=/; w="$p/$x"; [ -d "$p" ] || mkdir -p -- "$p" || fail ${STATUS.denied}; fi
mkdir -- "$w" || fail ${STATUS.denied}
tar -x -f "$s" -C "$w" --no-same-owner --no-same-permissions --delay-directory-restore || fail 20
rm -f -- "$s"
if [ -d "$t" ]; then
  cp -a -l --remove-destination -- "$w/." "$t/" 2>/dev/null || cp -a --remove-destination -- "$w/." "$t/" || fail ${MERGE_FAILED}
  rm -rf -- "$w"
else
  mv -T -- "$w" "$t" || fail ${STATUS.denied}
fi
`;

/**
 * Extracts a user-supplied tar into a folder: created if missing, merged into
 * if it exists (files of the same name replaced, others kept). Links, devices,
 * absolute paths and \`..\` are refused. The whole archive is checked before
 * anything is extracted; a refused archive leaves nothing behind (no folder,
 * no temp files).
 */
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
  const spool = `${options.workDir ?? "/workspace"}/${tempName("spool")}`;
  const extract = tempName("extract");
  try {
    const spooled = await runScript(container, SPOOL_SCRIPT, [dir, spool], { operation: "upload", stdin: clean });
    throwForStatus(spooled, dir, "upload");
    const extracted = await runScript(container, EXTRACT_SCRIPT, [dir, spool, extract], { operation: "upload" });
    if (extracted.exitCode === MERGE_FAILED && !/no space left|quota exceeded/i.test(extracted.stderr)) {
      throw new UnsafeArchiveError(
        "(archive)",
        `it clashes with what is already in ${dir} (a file where the archive has a folder, or the reverse); some files may have been replaced. Extract it into a new folder instead`,
      );
    }
    throwForStatus(extracted, dir, "upload");
  } catch (error) {
    clean.destroy();
    await removeQuietly(container, [spool, `${dir}/${extract}`, `${posix.dirname(dir)}/${extract}`]);
    throw streamSafe(error, archive);
  }
  return { path: dir };
}

export type Download =
  | { kind: "file"; path: string; stream: Readable }
  /** A folder, as an uncompressed tar of its files and folders (symlinks and devices left out). */
  | { kind: "directory"; path: string; stream: Readable; skipped: string[] };

const DOWNLOAD_SCRIPT = `
[ -e "$1" ] || exit ${STATUS.notFound}
if [ -d "$1" ]; then cd -- "$1" || exit ${STATUS.denied}; printf D; exec tar -c -f - ${Object.values(TEMP_PREFIXES)
  .map((prefix) => `--exclude='${prefix}*'`)
  .join(" ")} .; fi
[ -f "$1" ] || exit ${STATUS.notAFile}
[ -r "$1" ] || exit ${STATUS.denied}
printf F; exec cat -- "$1"
`;

/**
 * Files up to this size download in one read by the supervisor (milliseconds: an inline image, a small
 * file). Larger ones stream from `cat` through docker exec, which keeps pace with Docker's own archive API,
 * holds nothing back when the consumer is slow, and reads one open file start to end.
 */
const NATIVE_DOWNLOAD_MAX_BYTES = 8 * 1024 * 1024;

/** Streams a file, or a folder as a tar. Errors for a missing path are thrown before any byte is returned. */
export async function downloadPath(container: Docker.Container, path: string): Promise<Download> {
  const supervisor = supervisorOf(container);
  if (supervisor) {
    const stat = await statPath(container, path);
    if (stat.type === "file" && stat.size <= NATIVE_DOWNLOAD_MAX_BYTES) {
      const { bytes, truncated } = await supervisorReadHead(supervisor, path, NATIVE_DOWNLOAD_MAX_BYTES, false);
      // A file that grew past the size meanwhile streams whole below.
      if (!truncated) return { kind: "file", path, stream: Readable.from([bytes]) };
    }
  }
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
