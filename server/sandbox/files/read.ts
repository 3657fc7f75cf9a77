import type Docker from "dockerode";
import { FileTooLargeError, NotATextFileError } from "../errors";
import { PDF_MAX_INPUT_BYTES, extractPdfText, extractPdfTextNow, withPdfSlot } from "../pdf-text";
import { type DecodedText, decodeText } from "../text-decoding";
import { supervisorOf } from "../supervisor/sandbox-supervisor";
import { CHECK_FILE, runScript, throwForStatus } from "./file-exec";
import { supervisorReadHead } from "./native";

/** readBytes' default cap: binary reads are explicit engine calls (figures, round trips). */
export const DEFAULT_MAX_READ_BYTES = 64 * 1024 * 1024;
/**
 * read/readText's default cap. Reads are buffered in the server and decoded, so
 * a text read stays at what an agent or a page can use; larger files are read
 * in parts with a command, previewed by their head, or downloaded.
 */
export const DEFAULT_MAX_TEXT_BYTES = 5 * 1024 * 1024;
export const DEFAULT_READ_LIMIT = 2000;
/** Longer lines are cut in read(): one minified JSON line should not flood a model's context. */
export const DEFAULT_MAX_LINE_LENGTH = 2000;
const READ_TIMEOUT_MS = 60_000;

export type ReadBytesOptions = {
  maxBytes?: number;
  /** Return the first maxBytes bytes of a larger file instead of failing (previews). */
  headOnly?: boolean;
};

// Exit status of the read script when the file is over the cap (file-exec's codes are 10-15).
const TOO_LARGE = 19;

/**
 * The size is checked in the container before any byte is sent, so a huge file
 * costs one stat (wc -c where there is no stat); `head -c` and the stdout cap still bound what arrives when the
 * file grows between the two.
 */
const READ_SCRIPT = `${CHECK_FILE} size=$(stat -L -c %s -- "$1" 2>/dev/null || wc -c < "$1") || exit 13; if [ "$size" -gt "$2" ] && [ "$3" = strict ]; then exit ${TOO_LARGE}; fi; [ "$size" -gt "$2" ] && printf T || printf W; exec head -c "$4" -- "$1"`;

/** The first bytes of a file and whether there was more; strict reads throw FileTooLargeError instead. */
async function readHead(container: Docker.Container, path: string, maxBytes: number, strict: boolean): Promise<{ bytes: Buffer; truncated: boolean }> {
  const supervisor = supervisorOf(container);
  if (supervisor) return supervisorReadHead(supervisor, path, maxBytes, strict);
  // One byte more than allowed tells "exactly max" from "grew past max"; one more for the tag.
  const result = await runScript(container, READ_SCRIPT, [path, String(maxBytes), strict ? "strict" : "head", String(strict ? maxBytes + 1 : maxBytes)], {
    operation: "read",
    maxStdoutBytes: maxBytes + 2,
    timeoutMs: READ_TIMEOUT_MS,
  });
  if (result.exitCode === TOO_LARGE) throw new FileTooLargeError(path, maxBytes);
  throwForStatus(result, path, "read");
  const bytes = result.stdout.subarray(1);
  if (bytes.length > maxBytes) {
    if (strict) throw new FileTooLargeError(path, maxBytes);
    return { bytes: bytes.subarray(0, maxBytes), truncated: true };
  }
  return { bytes, truncated: result.stdout[0] === 0x54 /* T */ };
}

/** The file's bytes, read by `head -c` in the container as the sandbox user (with headOnly: its first maxBytes). */
export async function readFileBytes(container: Docker.Container, path: string, options: ReadBytesOptions = {}): Promise<Buffer> {
  const { bytes } = await readHead(container, path, options.maxBytes ?? DEFAULT_MAX_READ_BYTES, !options.headOnly);
  return bytes;
}

export type TextFile = DecodedText & {
  kind: "text" | "pdf";
  /** headOnly reads: the file went on past what was read (the text ends at the last whole line). */
  truncated: boolean;
};

/** Decoded text of a file: encoding detected, or the text of a PDF. Binary files throw NotATextFileError. */
export async function readFileText(container: Docker.Container, path: string, options: ReadBytesOptions = {}): Promise<TextFile> {
  if (path.toLowerCase().endsWith(".pdf")) {
    // A PDF is parsed whole, never in part, and its bytes are read only once it may be parsed.
    return withPdfSlot(async () => {
      const maxBytes = options.maxBytes ?? PDF_MAX_INPUT_BYTES;
      const { bytes } = await readHead(container, path, maxBytes, true);
      return toText(path, bytes, false, (pdf) => extractPdfTextNow(pdf, path));
    });
  }
  const { bytes, truncated } = await readHead(container, path, options.maxBytes ?? DEFAULT_MAX_TEXT_BYTES, !options.headOnly);
  return toText(path, bytes, truncated, (pdf) => {
    if (truncated) throw new FileTooLargeError(path, options.maxBytes ?? DEFAULT_MAX_TEXT_BYTES);
    return extractPdfText(pdf, path);
  });
}

async function toText(path: string, bytes: Buffer, truncated: boolean, pdfText: (bytes: Buffer) => Promise<string>): Promise<TextFile> {
  if (isPdf(path, bytes)) return { kind: "pdf", text: await pdfText(bytes), encoding: "pdf", bom: false, truncated: false };
  const decoded = decodeText(truncated ? withoutPartialUtf8(bytes) : bytes);
  if (!decoded) throw new NotATextFileError(path);
  return { kind: "text", ...decoded, text: truncated ? upToLastLine(decoded.text) : decoded.text, truncated };
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

/** Drops a UTF-8 sequence cut by the end of a partial read, so strict UTF-8 detection still sees UTF-8. */
function withoutPartialUtf8(bytes: Buffer): Buffer {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const byte = bytes[bytes.length - back]!;
    if ((byte & 0xc0) === 0x80) continue; // a continuation byte: look further back
    const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return length > back ? bytes.subarray(0, bytes.length - back) : bytes;
  }
  return bytes;
}

/** A partial read ends at its last line break (when it has one): no half row in a table preview. */
function upToLastLine(text: string): string {
  const end = Math.max(text.lastIndexOf("\n"), text.lastIndexOf("\r"));
  return end > 0 ? text.slice(0, end + 1) : text;
}
