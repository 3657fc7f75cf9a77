import path from "node:path/posix";
import { Readable, Transform } from "node:stream";
import { env } from "../env";
import { contentDisposition } from "../http/content-disposition";
import { recordActivity } from "./activity";
import { DomainError } from "./errors";
import { getFileLimits } from "./file-limits";
import { heavyOperations } from "./heavy-operations";
import { sandboxFor } from "./sandboxes";
import { tarToZip } from "./tar-to-zip";

const INLINE_TYPES: Record<string, string> = {
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
};

/** Counts bytes through the stream and fails it past the cap, so a lying Content-Length (or a growing file) gains nothing. */
function capped(maxBytes: number, tooLargeError: () => Error): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (seen > maxBytes) callback(tooLargeError());
      else callback(null, chunk);
    },
  });
}

function tooLarge(maxBytes: number): DomainError {
  return new DomainError("invalid_input", `The file is larger than the ${Math.round(maxBytes / 1024 / 1024)} MB upload limit.`);
}

/** Streams an upload into the user's workspace (parents created), through the container as the sandbox user. */
export async function uploadFile(userId: string, filePath: string, body: ReadableStream<Uint8Array>, declaredBytes: number | null) {
  const maxBytes = env.UPLOAD_MAX_MB * 1024 * 1024;
  if (declaredBytes !== null && declaredBytes > maxBytes) throw tooLarge(maxBytes);
  const sandbox = await sandboxFor(userId);
  const source = Readable.fromWeb(body as Parameters<typeof Readable.fromWeb>[0]).pipe(capped(maxBytes, () => tooLarge(maxBytes)));
  const result = await sandbox.upload(filePath, source);
  await recordActivity({ actorId: userId, subjectId: userId, action: "files.upload", outcome: "ok", detail: { path: result.path, bytes: result.bytes } });
  return result;
}

/**
 * Extracts a folder upload (an uncompressed tar built by the browser) into `dir`, merging with what is
 * there. The engine checks every entry (names, types, count, size) before anything is written; the
 * upload limit applies to the whole archive.
 */
export async function uploadFolderArchive(userId: string, dir: string, body: ReadableStream<Uint8Array>, declaredBytes: number | null) {
  const maxBytes = env.UPLOAD_MAX_MB * 1024 * 1024;
  const folderTooLarge = () => new DomainError("too_large", `The folder is larger than the ${env.UPLOAD_MAX_MB} MB upload limit. Upload it in parts (its subfolders one by one).`);
  if (declaredBytes !== null && declaredBytes > maxBytes) throw folderTooLarge();
  const sandbox = await sandboxFor(userId);
  const source = Readable.fromWeb(body as Parameters<typeof Readable.fromWeb>[0]).pipe(capped(maxBytes, folderTooLarge));
  const result = await sandbox.uploadArchive(dir, source, { maxBytes });
  await recordActivity({ actorId: userId, subjectId: userId, action: "files.upload_folder", outcome: "ok", detail: { path: result.path } });
  return result;
}

export type DownloadFormat = "tar" | "zip";

export type DownloadResponse = { body: Readable; headers: Record<string, string> };

function downloadTooLarge(maxMb: number): DomainError {
  return new DomainError("too_large", `This is larger than the ${maxMb} MB download limit. Download a smaller part (split it, or a subfolder), or ask an admin to raise the limit.`);
}

/**
 * A file as itself, a folder as an uncompressed tar or a stored zip (converted from the tar as it streams). Only images may display inline; everything else downloads.
 * The admin's download limit refuses a file known to be larger before any byte is sent, and cuts any
 * stream (a folder's tar, a file that grew) when it passes the limit. Each download holds a heavy-operation
 * slot until its stream ends.
 */
export async function downloadFile(userId: string, filePath: string, inline: boolean, format: DownloadFormat = "tar"): Promise<DownloadResponse> {
  const sandbox = await sandboxFor(userId);
  const { downloadMaxMb } = await getFileLimits();
  const maxBytes = downloadMaxMb * 1024 * 1024;
  return heavyOperations.runStreaming(userId, "download", async () => {
    const stat = await sandbox.stat(filePath);
    if (stat.type === "file" && stat.size > maxBytes) throw downloadTooLarge(downloadMaxMb);
    const download = await sandbox.download(filePath);
    const base = path.basename(download.path) || "workspace";
    const zip = download.kind === "directory" && format === "zip";
    const name = download.kind === "directory" ? `${base}.${format}` : base;
    const inlineType = download.kind === "file" ? INLINE_TYPES[path.extname(name).toLowerCase()] : undefined;
    const disposition = inline && inlineType ? "inline" : "attachment";
    const body = capped(maxBytes, () => downloadTooLarge(downloadMaxMb));
    const source = zip
      ? tarToZip(download.stream, base, (reason) => new DomainError("too_large", `This folder can't be zipped: ${reason}. Rename it, or download the folder as .tar.`))
      : download.stream;
    source.on("error", (error) => body.destroy(error));
    // Cut at the limit, or the client left: close the engine's stream too (which ends the exec),
    // without an error: the reason is ours to report, not something for the engine's streams to throw.
    body.once("close", () => {
      source.destroy();
      download.stream.destroy();
    });
    source.pipe(body);
    return {
      body,
      headers: {
        "Content-Type": inlineType ?? (download.kind === "file" ? "application/octet-stream" : zip ? "application/zip" : "application/x-tar"),
        "Content-Disposition": contentDisposition(disposition, name),
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "sandbox; default-src 'none'",
        "Cache-Control": "private, no-store",
      },
    };
  });
}
