import type { Readable } from "node:stream";
import type Docker from "dockerode";
import { EditNotFoundError, EditNotUniqueError, NotATextFileError, SandboxInfrastructureError } from "../errors";
import { encodeText } from "../text-decoding";
import { STATUS, runScript, throwForStatus } from "./file-exec";
import { readFileText } from "./read";

// Writes go to a temporary file next to the target, then a rename: a reader never
// sees half a file, and a broken connection leaves the old content in place.
// With a known size `head -c` stops after exactly that many bytes, and the size
// written is checked before the rename.
const WRITE_SCRIPT = `
d=\${1%/*}; [ -n "$d" ] || d=/
[ -d "$1" ] && exit ${STATUS.notAFile}
[ -d "$d" ] || mkdir -p -- "$d" || exit ${STATUS.denied}
t="$d/.tidepool-write-$$"
if [ -n "$2" ]; then head -c "$2" > "$t"; else cat > "$t"; fi || { rm -f -- "$t"; exit ${STATUS.denied}; }
if [ -n "$2" ] && [ "$(wc -c < "$t")" != "$2" ]; then rm -f -- "$t"; exit ${STATUS.shortWrite}; fi
[ -f "$1" ] && chmod --reference="$1" -- "$t" 2>/dev/null
mv -f -- "$t" "$1" || { rm -f -- "$t"; exit ${STATUS.denied}; }
`;

export type WriteResult = { path: string; bytes: number | null };

/** Writes bytes (or a stream of unknown length) to a file, creating parent folders. */
export async function writeFileData(container: Docker.Container, path: string, data: string | Uint8Array | Readable): Promise<WriteResult> {
  const body = typeof data === "string" ? Buffer.from(data, "utf8") : data;
  const size = body instanceof Uint8Array ? body.byteLength : null;
  const result = await runScript(container, WRITE_SCRIPT, [path, size === null ? "" : String(size)], { operation: "write", stdin: body });
  if (result.exitCode === STATUS.shortWrite) {
    throw new SandboxInfrastructureError(`write ${path}: the connection closed before all bytes arrived; the file was left unchanged.`);
  }
  throwForStatus(result, path, "write");
  return { path, bytes: size };
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
