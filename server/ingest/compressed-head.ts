import zlib from "node:zlib";

// The start of a compressed file, decompressed from only its first bytes: a
// preview or sniff needs the first rows, never the whole file. Sync flush lets
// zlib return what a cut stream holds instead of failing on its missing end.

export type Compression = "gzip" | "zip";

export type Unpacked = {
  compression: Compression | null;
  /** The zip's first member (the file pandas reads when the zip holds one file). */
  member?: string;
  bytes: Uint8Array;
  /** Decompression stopped early (at the output cap): the text ends mid-file. */
  cut: boolean;
};

/** Decompressed output kept from a head: plenty for a few hundred rows. */
const MAX_OUTPUT_BYTES = 8 * 1024 * 1024;

export class UnreadableArchiveError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnreadableArchiveError";
  }
}

export function compressionOf(fileName: string, bytes: Uint8Array): Compression | null {
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) return "gzip";
  if (
    bytes[0] === 0x50 &&
    bytes[1] === 0x4b &&
    bytes[2] === 0x03 &&
    bytes[3] === 0x04 &&
    !/\.(xlsx|xlsm|docx|pptx|ods)$/i.test(fileName)
  )
    return "zip";
  return null;
}

/** The head's decompressed start, or the bytes as they are when not compressed. */
export function unpackHead(fileName: string, bytes: Uint8Array): Unpacked {
  const compression = compressionOf(fileName, bytes);
  if (compression === "gzip") return { compression, ...inflatePartial(bytes, "gzip") };
  if (compression === "zip")
    return { compression, ...firstZipMember(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)) };
  return { compression: null, bytes, cut: false };
}

function inflatePartial(bytes: Uint8Array, kind: "gzip" | "raw"): { bytes: Uint8Array; cut: boolean } {
  const options: zlib.ZlibOptions = { finishFlush: zlib.constants.Z_SYNC_FLUSH, maxOutputLength: MAX_OUTPUT_BYTES };
  for (let input = bytes; input.length > 0; input = input.subarray(0, Math.floor(input.length / 2))) {
    try {
      const output = kind === "gzip" ? zlib.gunzipSync(input, options) : zlib.inflateRawSync(input, options);
      return { bytes: output, cut: input.length < bytes.length };
    } catch (error) {
      // Past the output cap: a shorter head still gives the first rows.
      if (error instanceof RangeError) continue;
      throw new UnreadableArchiveError(
        `The compressed data could not be read (${(error as Error).message}). Check that the file is a valid ${kind === "gzip" ? "gzip" : "zip"} file.`,
      );
    }
  }
  return { bytes: new Uint8Array(), cut: true };
}

/** The first entry of a zip, read from its local header (name, method, data). */
function firstZipMember(buffer: Buffer): { member: string; bytes: Uint8Array; cut: boolean } {
  if (buffer.length < 30) throw new UnreadableArchiveError("The zip file is cut short. Upload it again.");
  const method = buffer.readUInt16LE(8);
  const nameLength = buffer.readUInt16LE(26);
  const extraLength = buffer.readUInt16LE(28);
  const member = buffer.subarray(30, 30 + nameLength).toString("utf8");
  const data = buffer.subarray(30 + nameLength + extraLength);
  // A zip's data is followed by its directory: a stored member is cut at its recorded size when known.
  const size = buffer.readUInt32LE(18);
  if (method === 0)
    return size > 0 && size <= data.length
      ? { member, bytes: data.subarray(0, size), cut: false }
      : { member, bytes: data, cut: true };
  if (method === 8) return { member, ...inflatePartial(data, "raw") };
  throw new UnreadableArchiveError(
    `The zip member ${member} uses a compression method (${method}) the preview cannot read. Unzip it in the console.`,
  );
}
