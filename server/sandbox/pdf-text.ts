import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { PDF_CHILD_SOURCE } from "./pdf-child-source";
import { NotATextFileError, SandboxError, SandboxInfrastructureError, SandboxTimeoutError } from "./errors";
import { Slots } from "./slots";

// PDF text is extracted in a short-lived child Node process, never in the
// server: pdf.js holds a page's whole decoded content stream in ArrayBuffers,
// which a worker thread's resourceLimits do not cover (measured: a 200 KB PDF
// inflating to 200 MB grew a worker's host process by 460 MB), so a small "PDF
// bomb" would grow the server by hundreds of MB per preview. The child gets no
// environment (no secrets), Node's permission model (reads only unpdf's files),
// a JS heap cap, a memory watchdog and a timeout, and is killed past any of them.

/** PDFs larger than this are not parsed (download them instead). */
export const PDF_MAX_INPUT_BYTES = 20 * 1024 * 1024;

export const PDF_LIMITS = {
  /** The child is killed when its resident memory passes this. */
  maxRssBytes: 320 * 1024 * 1024,
  heapMb: 160,
  timeoutMs: 20_000,
  /** Text kept (the rest is cut with a note): enough for an agent or a preview. */
  maxTextChars: 1_000_000,
  maxPages: 2_000,
  /** At most this many extractions at once in this process; others wait (bounded) for a turn. */
  concurrency: 2,
  waitMs: 30_000,
};

/** A PDF refused because extracting its text needs more memory or time than allowed. */
export class PdfTooComplexError extends SandboxError {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    // Mapped like any file too large to read (413): the way out is the same, download it.
    super("file_too_large", "This PDF is too complex to preview; download it instead.");
  }
}

const running = new Slots(PDF_LIMITS.concurrency);

type ChildResult = { meta: Record<string, string>; pages: string[]; cut: boolean };

/** Text of a PDF, page by page, with its title and author when set (the seeds' layout). */
export function extractPdfText(bytes: Uint8Array, path: string): Promise<string> {
  return withPdfSlot(() => extractPdfTextNow(bytes, path));
}

/**
 * Runs `task` holding one of the process's PDF slots. A reader takes the slot
 * before it reads the PDF's bytes, so at most `concurrency` PDFs are in the
 * server's memory at once, however many previews wait.
 */
export async function withPdfSlot<T>(task: () => Promise<T>): Promise<T> {
  const release = await running.acquire(PDF_LIMITS.waitMs);
  if (!release) throw new SandboxTimeoutError("Waiting to extract the PDF's text", PDF_LIMITS.waitMs);
  try {
    return await task();
  } finally {
    release();
  }
}

/** extractPdfText for a caller already inside withPdfSlot. */
export async function extractPdfTextNow(bytes: Uint8Array, path: string): Promise<string> {
  if (bytes.length > PDF_MAX_INPUT_BYTES) throw new PdfTooComplexError(path, `larger than ${PDF_MAX_INPUT_BYTES} bytes`);
  return format(await runChild(bytes, path));
}

function runChild(bytes: Uint8Array, pdfPath: string): Promise<ChildResult> {
  const unpdf = unpdfLocation();
  const child = spawn(
    process.execPath,
    [
      `--max-old-space-size=${PDF_LIMITS.heapMb}`,
      "--permission",
      `--allow-fs-read=${unpdf.dir}`,
      "--input-type=module",
      "-e",
      PDF_CHILD_SOURCE,
      unpdf.url,
      String(PDF_LIMITS.maxTextChars),
      String(PDF_LIMITS.maxPages),
    ],
    // No inherited environment: the server's secrets never reach code parsing a user's file.
    { env: { NODE_ENV: "production" }, stdio: ["pipe", "pipe", "pipe"] },
  );
  return new Promise<ChildResult>((resolve, reject) => {
    const out: Buffer[] = [];
    let outBytes = 0;
    let refusal: string | null = null;
    const kill = (reason: string) => {
      refusal ??= reason;
      child.kill("SIGKILL");
    };
    const timer = setTimeout(() => kill(`no result within ${PDF_LIMITS.timeoutMs} ms`), PDF_LIMITS.timeoutMs);
    const watchdog = setInterval(() => {
      const rss = residentBytes(child.pid);
      if (rss !== null && rss > PDF_LIMITS.maxRssBytes) kill(`more than ${PDF_LIMITS.maxRssBytes} bytes of memory`);
    }, 25);
    child.stdout.on("data", (chunk: Buffer) => {
      outBytes += chunk.length;
      // The child cuts its text; this only guards against a child that misbehaves.
      if (outBytes > PDF_LIMITS.maxTextChars * 4 + 64 * 1024) kill("too much output");
      else out.push(chunk);
    });
    const stderr: Buffer[] = [];
    child.stderr.on("data", (chunk: Buffer) => {
      if (stderr.length < 16) stderr.push(chunk);
    });
    child.stdin.on("error", () => {}); // the child may die before reading everything
    child.stdin.end(bytes);
    child.on("error", (error) => {
      clearTimeout(timer);
      clearInterval(watchdog);
      reject(
        new SandboxInfrastructureError(`could not start the PDF text extractor: ${error.message}`, { cause: error }),
      );
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      clearInterval(watchdog);
      if (refusal) return reject(new PdfTooComplexError(pdfPath, refusal));
      if (code === 3) return reject(new NotATextFileError(pdfPath));
      if (code === 4) {
        return reject(
          new SandboxInfrastructureError(
            `the PDF text extractor could not load unpdf from ${unpdf.url}: ${Buffer.concat(stderr).toString("utf8").slice(0, 500)}`,
          ),
        );
      }
      // 134: V8 ran out of its heap cap; a signal: killed by the system (OOM).
      if (code !== 0)
        return reject(new PdfTooComplexError(pdfPath, `the extractor stopped (${signal ?? `exit ${code}`})`));
      try {
        resolve(JSON.parse(Buffer.concat(out).toString("utf8")) as ChildResult);
      } catch {
        reject(new PdfTooComplexError(pdfPath, "unreadable extractor output"));
      }
    });
  });
}

function format(result: ChildResult): string {
  const parts: string[] = [];
  for (const key of ["Title", "Author", "Subject"]) {
    const value = result.meta[key];
    if (value?.trim()) parts.push(`${key}: ${value.trim()}`);
  }
  if (parts.length > 0) parts.push("");
  result.pages.forEach((page, index) => {
    const cleaned = cleanPdfText(page);
    if (cleaned) parts.push(`--- Page ${index + 1} ---`, cleaned, "");
  });
  let text = parts.join("\n").trim();
  if (!result.pages.some((page) => page.trim()))
    text = `${text}\n\n[No extractable text in this PDF (scanned images?)]`.trim();
  if (result.cut)
    text += `\n\n[Text cut after ${PDF_LIMITS.maxTextChars} characters or ${PDF_LIMITS.maxPages} pages. Download the PDF for the rest.]`;
  return text;
}

function cleanPdfText(text: string): string {
  return text
    .replace(/\f/g, "\n")
    .replace(/ +/g, " ")
    .replace(/\n /g, "\n")
    .replace(/ \n/g, "\n")
    .replace(/(\w+)-\n(\w+)/g, "$1$2")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/** Resident memory of a process (Linux /proc), or null when it cannot be read (gone, or another OS). */
function residentBytes(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const pages = Number(readFileSync(`/proc/${pid}/statm`, "latin1").split(" ")[1]);
    return Number.isFinite(pages) ? pages * 4096 : null;
  } catch {
    return null;
  }
}

let location: { dir: string; url: string } | null = null;

/** Where unpdf is installed: the child imports it by URL and may read only that folder. */
function unpdfLocation(): { dir: string; url: string } {
  if (!location) {
    // Resolved at run time from the app's folder, not from this module (which a bundler moves); unpdf is a server external.
    let dir = path.join(process.cwd(), "node_modules", "unpdf");
    try {
      dir = path.dirname(path.dirname(createRequire(path.join(process.cwd(), "package.json")).resolve("unpdf")));
    } catch {
      // keep the conventional place
    }
    location = { dir, url: pathToFileURL(path.join(dir, "dist", "index.mjs")).href };
  }
  return location;
}
