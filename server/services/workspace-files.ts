import { InvalidPathError, SandboxError } from "../sandbox/errors";
import { PDF_MAX_INPUT_BYTES, PdfTooComplexError } from "../sandbox/pdf-text";
import type { FileInfo } from "../sandbox/files/search";
import { recordActivity } from "./activity";
import { DELIMITED_FILE, type LoadOverrides, UnreadableArchiveError, UnreadableWorkbookError } from "../ingest";
import { previewTable, type TableFilePreview } from "./csv-preview";
import { DomainError } from "./errors";
import { heavyOperations } from "./heavy-operations";
import { sandboxFor } from "./sandboxes";
import {
  type FileVersion,
  forgetReadChoices,
  type ReadChoice,
  readChoiceFor,
  rememberReadChoice,
} from "./read-choices";
import { previewWorkbook, type WorkbookFilePreview } from "./workbook-preview";

// The signed-in user's files. Every operation runs inside their own sandbox as
// the sandbox user (engine rule): the server never touches the workspace folder.

const WORKSPACE = "/workspace";
const PREVIEW_MAX_BYTES = 2 * 1024 * 1024;
/** Rows sent to the browser: enough to sort and filter in earnest, small enough to send (the table is virtualised). */
export const PREVIEW_MAX_ROWS = 5000;
/** A compressed file's head: decompressed, it holds far more than the rows shown. */
const PREVIEW_COMPRESSED_BYTES = 256 * 1024;
/** A workbook is read whole (an .xlsx zip's directory is at the end; an .xls is a compound file); larger ones download instead. */
const PREVIEW_WORKBOOK_BYTES = 20 * 1024 * 1024;

export type FileEntry = Pick<FileInfo, "name" | "path" | "isDir" | "type" | "size" | "modifiedMs">;

export type FilePreview =
  | ({ kind: "table"; path: string } & TableFilePreview)
  | ({ kind: "sheet"; path: string } & WorkbookFilePreview)
  | { kind: "text"; path: string; text: string; encoding: string; truncated: boolean }
  | { kind: "pdf"; path: string; text: string }
  | { kind: "image"; path: string }
  | { kind: "binary"; path: string; size: number };

const IMAGE = /\.(png|jpe?g|gif|webp)$/i;
const PDF = /\.pdf$/i;
const WORKBOOK = /\.xlsx?$/i;

function entry(info: FileInfo): FileEntry {
  return {
    name: info.name,
    path: info.path,
    isDir: info.isDir,
    type: info.type,
    size: info.size,
    modifiedMs: info.modifiedMs,
  };
}

export async function listFiles(
  userId: string,
  dir = WORKSPACE,
): Promise<{ entries: FileEntry[]; truncated: boolean }> {
  const sandbox = await sandboxFor(userId);
  const listing = await sandbox.ls(dir, { maxEntries: 2000 });
  const entries = listing.entries
    .map(entry)
    .sort((a, b) => Number(b.isDir) - Number(a.isDir) || a.name.localeCompare(b.name));
  return { entries, truncated: listing.truncated };
}

/**
 * What the file panel shows. Text and tables are read by their head (a huge CSV
 * shows its first rows); a PDF is parsed under the engine's caps. Counted as a
 * heavy operation: past the limits the caller hears "busy", never waits long.
 * Without overrides or a sheet, a data file is read as the user last chose for
 * this version of it (`modifiedMs` and `size` from the listing), else as detected.
 */
export async function previewFile(
  userId: string,
  filePath: string,
  size: number,
  options: { overrides?: LoadOverrides; sheet?: string; modifiedMs?: number } = {},
): Promise<FilePreview> {
  const sandbox = await sandboxFor(userId);
  const resolved = sandbox.resolvePath(filePath);
  if (IMAGE.test(resolved)) return { kind: "image", path: resolved };
  const data = WORKBOOK.test(resolved) || DELIMITED_FILE.test(resolved);
  const remembered =
    data && options.overrides === undefined && options.sheet === undefined && options.modifiedMs !== undefined
      ? await readChoiceFor(userId, resolved, { size, modifiedMs: options.modifiedMs })
      : null;
  const overrides = options.overrides ?? remembered?.overrides;
  return heavyOperations.run(userId, "read", async () => {
    try {
      if (WORKBOOK.test(resolved)) {
        const bytes = await sandbox.readBytes(resolved, { maxBytes: PREVIEW_WORKBOOK_BYTES });
        const sheet = { picked: options.sheet, remembered: remembered?.sheet };
        return { kind: "sheet", path: resolved, ...previewWorkbook(resolved, bytes, PREVIEW_MAX_ROWS, sheet) };
      }
      if (DELIMITED_FILE.test(resolved)) {
        // Bytes, not text: the ingestion module decompresses and decodes (or uses the user's encoding).
        const compressed = /\.(gz|zip)$/i.test(resolved);
        const maxBytes = compressed ? PREVIEW_COMPRESSED_BYTES : PREVIEW_MAX_BYTES;
        const head = await sandbox.readBytes(resolved, { maxBytes, headOnly: true });
        const cut = head.length >= maxBytes;
        const table = previewTable(resolved, head, cut, PREVIEW_MAX_ROWS, overrides);
        return table ? { kind: "table", path: resolved, ...table } : { kind: "binary", path: resolved, size };
      }
      const file = await sandbox.readText(resolved, {
        maxBytes: PDF.test(resolved) ? PDF_MAX_INPUT_BYTES : PREVIEW_MAX_BYTES,
        headOnly: true,
      });
      if (file.kind === "pdf") return { kind: "pdf", path: resolved, text: file.text };
      return { kind: "text", path: resolved, text: file.text, encoding: file.encoding, truncated: file.truncated };
    } catch (error) {
      if (error instanceof PdfTooComplexError) throw error;
      if (error instanceof UnreadableArchiveError || error instanceof UnreadableWorkbookError)
        throw new DomainError("invalid_input", error.message);
      if (error instanceof SandboxError && (error.code === "not_a_text_file" || error.code === "file_too_large")) {
        return { kind: "binary", path: resolved, size };
      }
      throw error;
    }
  });
}

/** Keeps how the user reads this version of a data file in the preview, for the agent's loading hint. */
export async function rememberRead(userId: string, filePath: string, file: FileVersion, choice: ReadChoice) {
  const sandbox = await sandboxFor(userId);
  const resolved = sandbox.resolvePath(filePath);
  if (!WORKBOOK.test(resolved) && !DELIMITED_FILE.test(resolved))
    throw new DomainError("invalid_input", "Only tables and workbooks have a way to be read.");
  await rememberReadChoice(userId, resolved, file, choice);
  return { path: resolved };
}

/** Numbered lines for the agent or a page; the engine caps what one read buffers, and reads are counted like previews. */
export async function readFile(userId: string, filePath: string, range: { offset?: number; limit?: number } = {}) {
  const sandbox = await sandboxFor(userId);
  return heavyOperations.run(userId, "read", () => sandbox.read(filePath, range));
}

export async function writeFile(userId: string, filePath: string, content: string) {
  const sandbox = await sandboxFor(userId);
  const result = await sandbox.write(filePath, content);
  await recordActivity({
    actorId: userId,
    subjectId: userId,
    action: "files.write",
    outcome: "ok",
    detail: { path: result.path },
  });
  return result;
}

export async function editFile(
  userId: string,
  filePath: string,
  oldString: string,
  newString: string,
  replaceAll = false,
) {
  const sandbox = await sandboxFor(userId);
  return sandbox.edit(filePath, oldString, newString, { replaceAll });
}

export async function globFiles(userId: string, pattern: string, dir?: string) {
  const sandbox = await sandboxFor(userId);
  const listing = await sandbox.glob(pattern, { path: dir, maxResults: 1000 });
  return { entries: listing.entries.map(entry), truncated: listing.truncated };
}

export async function grepFiles(
  userId: string,
  pattern: string,
  options: { dir?: string; glob?: string; ignoreCase?: boolean },
) {
  const sandbox = await sandboxFor(userId);
  return sandbox.grep(pattern, {
    path: options.dir,
    glob: options.glob,
    ignoreCase: options.ignoreCase,
    maxMatches: 500,
  });
}

export async function makeDirectory(userId: string, dirPath: string): Promise<{ path: string }> {
  const sandbox = await sandboxFor(userId);
  const resolved = sandbox.resolvePath(dirPath);
  await sandbox.mkdir(resolved);
  return { path: resolved };
}

/** Renames or moves; refuses to overwrite an existing target. */
export async function movePath(userId: string, from: string, to: string): Promise<{ path: string }> {
  const sandbox = await sandboxFor(userId);
  const source = sandbox.resolvePath(from);
  const target = sandbox.resolvePath(to);
  if (source === WORKSPACE) throw new InvalidPathError(from, "the workspace itself cannot be moved");
  await sandbox.move(source, target);
  await forgetReadChoices(userId, source);
  await recordActivity({
    actorId: userId,
    subjectId: userId,
    action: "files.move",
    outcome: "ok",
    detail: { from: source, to: target },
  });
  return { path: target };
}

export async function deletePath(userId: string, target: string): Promise<{ path: string }> {
  const sandbox = await sandboxFor(userId);
  const resolved = sandbox.resolvePath(target);
  if (resolved === WORKSPACE) throw new InvalidPathError(target, "the workspace itself cannot be deleted");
  await sandbox.remove(resolved);
  await forgetReadChoices(userId, resolved);
  await recordActivity({
    actorId: userId,
    subjectId: userId,
    action: "files.delete",
    outcome: "ok",
    detail: { path: resolved },
  });
  return { path: resolved };
}
