// The supervisor's wire format (PROTOCOL.md): u32 length, u16 JSON header
// length, the JSON header, then raw data. Lengths are checked before anything
// is allocated: the other end is reachable by user code in the sandbox.

export const MAX_FRAME_BYTES = 1024 * 1024 + 64 * 1024;
/** A frame's JSON header (a request with its argv, e.g. the kernel's program): larger ones are refused. */
export const MAX_HEADER_BYTES = 64 * 1024;
/** Data per frame we send: the cap leaves 64 KiB for the header. */
export const DATA_CHUNK_BYTES = 1024 * 1024;

export type FrameHeader = Record<string, unknown>;
export type Frame = { header: FrameHeader; data: Buffer };

export class FrameError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FrameError";
  }
}

/** The frame as its head (lengths and JSON) and its data, so large data is written as is, not copied. */
export function encodeFrameParts(header: FrameHeader, data?: Uint8Array): Uint8Array[] {
  const json = Buffer.from(JSON.stringify(header), "utf8");
  const dataLength = data?.length ?? 0;
  if (json.length > MAX_HEADER_BYTES || 2 + json.length + dataLength > MAX_FRAME_BYTES) {
    throw new FrameError(`frame too large (${json.length} + ${dataLength} bytes)`);
  }
  const head = Buffer.allocUnsafe(6 + json.length);
  head.writeUInt32BE(2 + json.length + dataLength, 0);
  head.writeUInt16BE(json.length, 4);
  json.copy(head, 6);
  return dataLength > 0 ? [head, data!] : [head];
}

/** A push parser: feed it chunks, it calls `onFrame` per whole frame; throws FrameError on a broken peer. */
export function createFrameReader(onFrame: (frame: Frame) => void): (chunk: Buffer) => void {
  let buffered: Buffer[] = [];
  let size = 0;
  // The length of the frame being collected, once its first 4 bytes are in (so chunks are joined once per frame).
  let needed = -1;
  return (chunk: Buffer) => {
    buffered.push(chunk);
    size += chunk.length;
    for (;;) {
      if (needed < 0) {
        if (size < 4) return;
        const head = buffered[0]!.length >= 4 ? buffered[0]! : Buffer.concat(buffered);
        const length = head.readUInt32BE(0);
        if (length < 4 || length > MAX_FRAME_BYTES) throw new FrameError(`bad frame length ${length}`);
        needed = 4 + length;
      }
      if (size < needed) return;
      const all = buffered.length === 1 ? buffered[0]! : Buffer.concat(buffered, size);
      const frame = all.subarray(0, needed);
      const rest = all.subarray(needed);
      buffered = rest.length > 0 ? [rest] : [];
      size = rest.length;
      needed = -1;
      onFrame(parseFrame(frame));
    }
  };
}

function parseFrame(frame: Buffer): Frame {
  const headerLength = frame.readUInt16BE(4);
  if (headerLength < 2 || 6 + headerLength > frame.length) throw new FrameError(`bad header length ${headerLength}`);
  let header: unknown;
  try {
    header = JSON.parse(frame.toString("utf8", 6, 6 + headerLength));
  } catch {
    throw new FrameError("bad frame header");
  }
  if (typeof header !== "object" || header === null || Array.isArray(header)) throw new FrameError("frame header is not an object");
  // A view, not a copy: stream chunks are never reused, and frames are consumed at once.
  return { header: header as FrameHeader, data: frame.subarray(6 + headerLength) };
}
