import { posix } from "node:path";
import type { Readable } from "node:stream";
import {
  FileNotFoundError,
  FileTooLargeError,
  InvalidPathError,
  PathExistsError,
  PermissionDeniedError,
  SandboxInfrastructureError,
  UploadIncompleteError,
  WorkspaceFullError,
  WrongFileTypeError,
} from "../errors";
import { CodedError } from "../coded-error";
import { SupervisorRequestError } from "../supervisor/connection";
import { DATA_CHUNK_BYTES } from "../supervisor/frames";
import type { SandboxSupervisor } from "../supervisor/sandbox-supervisor";

// Reads and writes done by the supervisor itself (no process started): a small
// file round trip takes a millisecond or two instead of a docker exec.

/** The first `maxBytes` of a file and whether there was more; strict reads throw FileTooLargeError instead. */
export async function supervisorReadHead(
  supervisor: SandboxSupervisor,
  path: string,
  maxBytes: number,
  strict: boolean,
): Promise<{ bytes: Buffer; truncated: boolean }> {
  const connection = await supervisor.connection();
  // Chunks are copied into a buffer of the file's size as they come, while the next is on its way;
  // a file that grew meanwhile is joined at the end.
  let into: Buffer | null = null;
  const chunks: Buffer[] = [];
  let size = 0;
  let fileSize = 0;
  try {
    // One byte more than allowed tells "exactly max" from "grew past max".
    await connection.request({ op: "read", path, offset: 0, max: maxBytes + 1 }, undefined, ({ header, data }) => {
      if (header.ev === "open") {
        fileSize = Number(header.size);
        into = Buffer.allocUnsafe(Math.min(fileSize, maxBytes + 1));
      } else if (header.ev === "chunk") {
        if (into && size + data.length <= into.length) data.copy(into, size);
        else {
          if (into) chunks.push(into.subarray(0, size));
          into = null;
          chunks.push(data);
        }
        size += data.length;
      }
    });
  } catch (error) {
    throw fileError(error, path);
  }
  const bytes = into ? (into as Buffer).subarray(0, size) : Buffer.concat(chunks, size);
  if (strict && fileSize > maxBytes) throw new FileTooLargeError(path, maxBytes);
  if (bytes.length > maxBytes) {
    if (strict) throw new FileTooLargeError(path, maxBytes);
    return { bytes: bytes.subarray(0, maxBytes), truncated: true };
  }
  return { bytes, truncated: fileSize > maxBytes };
}

/** Writes bytes, or a stream of unknown length, through a temp file and a rename (the old content stays on any failure). */
export async function supervisorWrite(supervisor: SandboxSupervisor, path: string, data: Uint8Array | Readable): Promise<number> {
  const connection = await supervisor.connection();
  const rid = connection.reserveRid();
  const reply = connection.awaitReply(rid);
  // A refusal can come before all the data was sent (a missing parent): don't leave it unhandled meanwhile.
  reply.catch(() => {});
  const send = async (chunk: Uint8Array) => {
    for (let at = 0; at < chunk.length; at += DATA_CHUNK_BYTES) await connection.send({ op: "write_chunk", rid }, chunk.subarray(at, at + DATA_CHUNK_BYTES));
  };
  let bytes = 0;
  await connection.send({ op: "write", rid, path, mkdirs: true });
  try {
    if (data instanceof Uint8Array) {
      await send(data);
      bytes = data.length;
    } else {
      for await (const chunk of data) {
        const buffer = typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer);
        await send(buffer);
        bytes += buffer.length;
      }
    }
  } catch (error) {
    // The input broke off: the supervisor drops the temp file before it answers, so nothing is left.
    await connection.send({ op: "write_abort", rid }).catch(() => {});
    await reply.catch(() => {});
    throw error instanceof CodedError ? error : new UploadIncompleteError({ cause: error });
  }
  await connection.send({ op: "write_end", rid });
  try {
    await reply;
  } catch (error) {
    throw fileError(error, path);
  }
  return bytes;
}

/** The engine's typed error for a supervisor file error. */
export function fileError(error: unknown, path: string): unknown {
  if (!(error instanceof SupervisorRequestError)) return error;
  switch (error.code) {
    case "not_found":
      return new FileNotFoundError(path);
    case "not_a_file":
    case "is_a_directory":
      return new WrongFileTypeError(path, "file");
    case "not_a_directory":
      return new WrongFileTypeError(posix.dirname(path), "directory");
    case "denied":
      return new PermissionDeniedError(path);
    case "read_only":
      return new PermissionDeniedError(path, "read-only file system");
    case "exists":
      return new PathExistsError(path);
    case "no_space":
      return new WorkspaceFullError(path);
    case "name_too_long":
      return new InvalidPathError(path, "a name in it is longer than 255 bytes; use a shorter name");
    default:
      return new SandboxInfrastructureError(`${path}: ${error.message}`, { cause: error });
  }
}
