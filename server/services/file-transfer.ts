import path from "node:path/posix";
import { Readable, Transform } from "node:stream";
import { env } from "../env";
import { recordActivity } from "./activity";
import { DomainError } from "./errors";
import { sandboxFor } from "./sandboxes";

const INLINE_TYPES: Record<string, string> = {
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
};

/** Counts bytes through the stream and fails it past the cap, so a lying Content-Length gains nothing. */
function capped(maxBytes: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (seen > maxBytes) callback(tooLarge(maxBytes));
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
  const source = Readable.fromWeb(body as Parameters<typeof Readable.fromWeb>[0]).pipe(capped(maxBytes));
  const result = await sandbox.upload(filePath, source);
  await recordActivity({ actorId: userId, subjectId: userId, action: "files.upload", outcome: "ok", detail: { path: result.path, bytes: result.bytes } });
  return result;
}

export type DownloadResponse = { body: Readable; headers: Record<string, string> };

/** A file as itself, a folder as an uncompressed tar. Only images may display inline; everything else downloads. */
export async function downloadFile(userId: string, filePath: string, inline: boolean): Promise<DownloadResponse> {
  const sandbox = await sandboxFor(userId);
  const download = await sandbox.download(filePath);
  const base = path.basename(download.path) || "workspace";
  const name = download.kind === "directory" ? `${base}.tar` : base;
  const inlineType = download.kind === "file" ? INLINE_TYPES[path.extname(name).toLowerCase()] : undefined;
  const disposition = inline && inlineType ? "inline" : "attachment";
  return {
    body: download.stream,
    headers: {
      "Content-Type": inlineType ?? (download.kind === "directory" ? "application/x-tar" : "application/octet-stream"),
      "Content-Disposition": `${disposition}; filename="${name.replace(/[^\x20-\x7e]|["\\]/g, "_")}"; filename*=UTF-8''${encodeURIComponent(name)}`,
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "sandbox; default-src 'none'",
      "Cache-Control": "private, no-store",
    },
  };
}
