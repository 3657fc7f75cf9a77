import type Docker from "dockerode";
import { FileTooLargeError, NotATextFileError } from "../errors";
import { extractPdfText } from "../pdf-text";
import { type DecodedText, decodeText } from "../text-decoding";
import { CHECK_FILE, runScript, throwForStatus } from "./file-exec";

export const DEFAULT_MAX_READ_BYTES = 100 * 1024 * 1024;
export const DEFAULT_READ_LIMIT = 2000;
/** Longer lines are cut in read(): one minified JSON line should not flood a model's context. */
export const DEFAULT_MAX_LINE_LENGTH = 2000;

export type ReadBytesOptions = { maxBytes?: number };

/** The file's bytes, read by `head -c` in the container as the sandbox user. */
export async function readFileBytes(container: Docker.Container, path: string, options: ReadBytesOptions = {}): Promise<Buffer> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_READ_BYTES;
  // One byte more than allowed tells "exactly max" from "too large".
  const result = await runScript(container, `${CHECK_FILE} exec head -c "$2" -- "$1"`, [path, String(maxBytes + 1)], {
    operation: "read",
  });
  throwForStatus(result, path, "read");
  if (result.stdout.length > maxBytes) throw new FileTooLargeError(path, maxBytes);
  return result.stdout;
}

export type TextFile = DecodedText & { kind: "text" | "pdf" };

/** Decoded text of a file: encoding detected, or the text of a PDF. Binary files throw NotATextFileError. */
export async function readFileText(container: Docker.Container, path: string, options: ReadBytesOptions = {}): Promise<TextFile> {
  const bytes = await readFileBytes(container, path, options);
  if (isPdf(path, bytes)) return { kind: "pdf", text: await extractPdfText(bytes, path), encoding: "pdf", bom: false };
  const decoded = decodeText(bytes);
  if (!decoded) throw new NotATextFileError(path);
  return { kind: "text", ...decoded };
}

export type ReadOptions = ReadBytesOptions & {
  /** First line to show, 0-based (the seeds' offset). Default 0. */
  offset?: number;
  /** Lines to show. Default 2000. */
  limit?: number;
  maxLineLength?: number;
};

/**
 * The seeds' read(): numbered lines like `cat -n`, and a trailer saying how many
 * lines remain and which offset reads them.
 */
export async function readFileNumbered(container: Docker.Container, path: string, options: ReadOptions = {}): Promise<string> {
  const file = await readFileText(container, path, options);
  return formatNumberedLines(file.text, options);
}

export function formatNumberedLines(text: string, options: Omit<ReadOptions, "maxBytes"> = {}): string {
  const offset = Math.max(0, Math.floor(options.offset ?? 0));
  const limit = Math.max(1, Math.floor(options.limit ?? DEFAULT_READ_LIMIT));
  const maxLine = options.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH;
  const lines = splitLines(text);
  if (offset >= lines.length) return lines.length === 0 ? "[Empty file]" : "[End of file]";
  const end = Math.min(lines.length, offset + limit);
  const body = lines
    .slice(offset, end)
    .map((line, i) => {
      const shown = line.length > maxLine ? `${line.slice(0, maxLine)}… [line cut at ${maxLine} characters]` : line;
      return `${String(offset + i + 1).padStart(6)}\t${shown}`;
    })
    .join("\n");
  if (end < lines.length) return `${body}\n\n[... ${lines.length - end} more lines. Use offset=${end} to read more.]`;
  return body;
}

/** Like Python's splitlines() for \n, \r\n and \r: no empty last line for a trailing newline. */
function splitLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split(/\r\n|\r|\n/);
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

function isPdf(path: string, bytes: Buffer): boolean {
  return path.toLowerCase().endsWith(".pdf") || bytes.subarray(0, 5).toString("latin1") === "%PDF-";
}
