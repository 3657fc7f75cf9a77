import path from "node:path";
import { PassThrough, Readable } from "node:stream";
import * as tar from "tar-stream";
import { UnsafeArchiveError } from "./errors";
import { MAX_NAME_BYTES, MAX_PATH_BYTES } from "./paths";

// Archives crossing the container boundary are parsed and re-packed here: only
// regular files and directories with clean relative names go through, so no tar
// can plant a symlink, a device or a path outside its target folder
// (DESIGN.md security rule 2).

export type EntryVerdict = { ok: true; name: string; type: "file" | "directory" } | { ok: false; reason: string };

/** Checks one entry's name and type. Names come back normalized, without a leading "./". */
export function checkTarEntry(header: { name: string; type?: string | null }): EntryVerdict {
  const raw = header.name;
  if (raw.includes("\u0000")) return { ok: false, reason: "NUL in name" };
  if (/[\u0001-\u001f\u007f]/.test(raw)) return { ok: false, reason: "control characters in name" };
  if (raw.startsWith("/")) return { ok: false, reason: "absolute path" };
  if (raw.split("/").includes("..")) return { ok: false, reason: "'..' in path" };
  const type = header.type ?? "file";
  if (type !== "file" && type !== "directory" && type !== "contiguous-file") {
    return { ok: false, reason: `${type} entries are not allowed` };
  }
  const name = path.posix.normalize(raw).replace(/^(\.\/)+/, "").replace(/\/+$/, "");
  if (name === "" || name === ".") return { ok: false, reason: "empty name" };
  // Past the kernel's limits extraction would fail half way: refuse before anything is written.
  if (name.split("/").some((part) => Buffer.byteLength(part, "utf8") > MAX_NAME_BYTES)) return { ok: false, reason: `a name is longer than ${MAX_NAME_BYTES} bytes` };
  if (Buffer.byteLength(name, "utf8") > MAX_PATH_BYTES) return { ok: false, reason: `the path is longer than ${MAX_PATH_BYTES} bytes` };
  return { ok: true, name, type: type === "directory" ? "directory" : "file" };
}

export type RepackOptions = {
  /** true: a refused entry fails the whole archive (user uploads). false: it is skipped (downloads). */
  strict: boolean;
  maxEntries?: number;
  /** Total bytes of file content. */
  maxBytes?: number;
  onSkip?: (name: string, reason: string) => void;
};

/** Parses `input` and returns a fresh uncompressed tar with only the entries that pass the checks. */
export function repackTar(input: Uint8Array | Readable, options: RepackOptions): Readable {
  const source = input instanceof Uint8Array ? Readable.from([Buffer.from(input)]) : input;
  const extract = tar.extract();
  const pack = tar.pack();
  const output = new PassThrough();
  let entries = 0;
  let bytes = 0;
  const fail = (error: Error) => {
    output.destroy(error);
    extract.destroy();
    pack.destroy();
    source.destroy();
  };
  extract.on("entry", (header, stream, next) => {
    // Torn down with the rest when the archive fails or its reader goes away; the reason is reported there.
    stream.on("error", () => {});
    // The archive's own root ("./") carries nothing.
    if (header.type === "directory" && /^(\.\/?)+$/.test(header.name)) {
      stream.on("end", () => next());
      stream.resume();
      return;
    }
    const verdict = checkTarEntry(header);
    const skip = (reason: string) => {
      // Extended headers are consumed by tar-stream itself; anything else refused:
      if (options.strict) return fail(new UnsafeArchiveError(header.name, reason));
      options.onSkip?.(header.name, reason);
      stream.on("end", () => next());
      stream.resume();
    };
    if (!verdict.ok) return skip(verdict.reason);
    entries++;
    bytes += header.size ?? 0;
    if (options.maxEntries !== undefined && entries > options.maxEntries) {
      return fail(new UnsafeArchiveError(header.name, `more than ${options.maxEntries} entries`));
    }
    if (options.maxBytes !== undefined && bytes > options.maxBytes) {
      return fail(new UnsafeArchiveError(header.name, `more than ${options.maxBytes} bytes in total`));
    }
    const mode = verdict.type === "directory" ? 0o755 : (header.mode ?? 0) & 0o111 ? 0o755 : 0o644;
    const entry = pack.entry(
      { name: verdict.name, type: verdict.type, size: verdict.type === "file" ? header.size : 0, mode, mtime: header.mtime ?? new Date() },
      (error) => (error ? fail(error) : next()),
    );
    // A consumer that leaves mid-download closes the pack under this entry: stop everything, throw nothing.
    entry.on("error", (error) => fail(error));
    stream.pipe(entry);
  });
  extract.on("finish", () => pack.finalize());
  extract.on("error", (error) => fail(error instanceof UnsafeArchiveError ? error : new UnsafeArchiveError("(archive)", `not a valid tar: ${error.message}`)));
  source.on("error", (error) => fail(error));
  pack.on("error", (error) => fail(error));
  pack.pipe(output);
  // The reader went away (an upload refused in the container, a closed download): stop parsing.
  output.on("close", () => {
    if (!output.readableEnded) fail(new Error("the archive's reader went away"));
  });
  source.pipe(extract);
  return output;
}
