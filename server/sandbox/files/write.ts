import { posix } from "node:path";
import type { Readable } from "node:stream";
import type Docker from "dockerode";
import { ContainerUnavailableError } from "../docker-exec";
import { EditNotFoundError, EditNotUniqueError, NotATextFileError, SandboxNotRunningError, UploadIncompleteError } from "../errors";
import { encodeText } from "../text-decoding";
import { STATUS, removeQuietly, runScript, throwForStatus } from "./file-exec";
import { supervisorOf } from "../supervisor/sandbox-supervisor";
import { supervisorWrite } from "./native";
import { tempName } from "./temp-names";
import { readFileText } from "./read";

// Writes go to a temporary file next to the target, then a rename: a reader never
// sees half a file, and a broken connection leaves the old content in place.
// With a known size `head -c` stops after exactly that many bytes, and the size
// written is checked before the rename. A stream of unknown length is renamed
// by a second script, run only once the stream ended cleanly: EOF alone cannot
// tell a finished upload from one that broke off. The temp name ($3) comes
// from here, so the server can remove it when the script could not.
const WRITE_SCRIPT = `
d=\${1%/*}; [ -n "$d" ] || d=/
[ -d "$1" ] && exit ${STATUS.notAFile}
[ -d "$d" ] || mkdir -p -- "$d" || exit ${STATUS.denied}
t="$d/$3"
if [ -n "$2" ]; then head -c "$2" > "$t"; else cat > "$t"; fi || { rm -f -- "$t"; exit ${STATUS.denied}; }
if [ -n "$2" ] && [ "$(wc -c < "$t")" != "$2" ]; then rm -f -- "$t"; exit ${STATUS.shortWrite}; fi
[ "$4" = later ] && exit 0
[ -f "$1" ] && chmod --reference="$1" -- "$t" 2>/dev/null
mv -f -T -- "$t" "$1" || { rm -f -- "$t"; exit ${STATUS.denied}; }
`;

const COMMIT_SCRIPT = `
[ -d "$1" ] && { rm -f -- "$2"; exit ${STATUS.notAFile}; }
[ -f "$1" ] && chmod --reference="$1" -- "$2" 2>/dev/null
mv -f -T -- "$2" "$1" || { rm -f -- "$2"; exit ${STATUS.denied}; }
`;

export type WriteResult = { path: string; bytes: number | null };

/** Writes bytes (or a stream of unknown length) to a file, creating parent folders. */
export async function writeFileData(container: Docker.Container, path: string, data: string | Uint8Array | Readable): Promise<WriteResult> {
  const body = typeof data === "string" ? Buffer.from(data, "utf8") : data;
  const size = body instanceof Uint8Array ? body.byteLength : null;
  const supervisor = supervisorOf(container);
  if (supervisor) {
    try {
      await supervisorWrite(supervisor, path, body);
      return { path, bytes: size };
    } catch (error) {
      throw streamSafe(error, body);
    }
  }
  const temp = `${posix.dirname(path)}/${tempName("write")}`;
  try {
    const args = [path, size === null ? "" : String(size), posix.basename(temp), size === null ? "later" : ""];
    const result = await runScript(container, WRITE_SCRIPT, args, { operation: "write", stdin: body });
    if (result.exitCode === STATUS.shortWrite) throw new UploadIncompleteError();
    throwForStatus(result, path, "write");
    // runScript threw if the stream failed: it ended cleanly, so the temp file is whole.
    if (size === null) throwForStatus(await runScript(container, COMMIT_SCRIPT, [path, temp], { operation: "write" }), path, "write");
  } catch (error) {
    await removeQuietly(container, [temp]);
    throw streamSafe(error, body);
  }
  return { path, bytes: size };
}

/**
 * A stream cannot be sent twice: when the container went away under it, say
 * so rather than let the sandbox retry the operation with a drained stream.
 */
export function streamSafe(error: unknown, input: Uint8Array | Readable): unknown {
  if (!(error instanceof ContainerUnavailableError) || input instanceof Uint8Array) return error;
  return new SandboxNotRunningError("Your sandbox restarted during the upload; your files are intact. Upload the file again.", { cause: error });
}

export type EditOptions = { replaceAll?: boolean };
export type EditResult = { path: string; occurrences: number };

/**
 * Replaces `oldString` with `newString` (the seeds' edit): an error when it is
 * not found, or found more than once without replaceAll. The file keeps its
 * encoding and BOM.
 */
export async function editFile(
  container: Docker.Container,
  path: string,
  oldString: string,
  newString: string,
  options: EditOptions = {},
): Promise<EditResult> {
  if (oldString === "") throw new EditNotFoundError(path);
  const file = await readFileText(container, path);
  // A PDF's extracted text is not the file: writing it back would destroy the PDF.
  if (file.kind === "pdf") throw new NotATextFileError(path);
  const occurrences = file.text.split(oldString).length - 1;
  if (occurrences === 0) throw new EditNotFoundError(path);
  if (occurrences > 1 && !options.replaceAll) throw new EditNotUniqueError(path, occurrences);
  const updated = options.replaceAll ? file.text.split(oldString).join(newString) : file.text.replace(oldString, () => newString);
  await writeFileData(container, path, encodeText(updated, file.encoding, file.bom));
  return { path, occurrences };
}
