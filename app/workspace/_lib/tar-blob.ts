// A tiny ustar writer for folder uploads: the tar is a Blob made of headers and
// the File objects themselves, so the browser streams it from disk when sent
// and nothing is read into memory. Folders get entries of their own, so empty
// ones arrive too. Paths up to 255 bytes (the ustar prefix field); the server
// checks every entry again before extracting.

/** A file, or a folder (`file: null`). */
export type TarItem = { path: string; file: File | null };

const encoder = new TextEncoder();

function field(header: Uint8Array, offset: number, length: number, value: string | Uint8Array) {
  const bytes = typeof value === "string" ? encoder.encode(value) : value;
  header.set(bytes.subarray(0, length), offset);
}

function octal(value: number, length: number): string {
  return `${value.toString(8).padStart(length - 1, "0")}\0`;
}

/** Splits a path into ustar's prefix (≤155 bytes) and name (≤100 bytes) at a slash, or null when it can't. */
export function splitUstarPath(path: string): { prefix: Uint8Array; name: Uint8Array } | null {
  const bytes = encoder.encode(path);
  if (bytes.length <= 100) return { prefix: new Uint8Array(0), name: bytes };
  for (let index = bytes.length - 1; index > 0; index--) {
    if (bytes[index] !== 0x2f) continue;
    const prefix = bytes.subarray(0, index);
    const name = bytes.subarray(index + 1);
    if (name.length > 100) return null;
    if (prefix.length <= 155 && name.length > 0) return { prefix, name };
  }
  return null;
}

function header(path: string, size: number, mtimeMs: number, folder: boolean): Uint8Array {
  const split = splitUstarPath(folder ? `${path}/` : path);
  if (!split) throw new Error(`the path “${path}” is too long (at most 255 bytes)`);
  const block = new Uint8Array(512);
  field(block, 0, 100, split.name);
  field(block, 100, 8, folder ? "0000755\0" : "0000644\0");
  field(block, 108, 8, "0000000\0");
  field(block, 116, 8, "0000000\0");
  field(block, 124, 12, octal(size, 12));
  field(block, 136, 12, octal(Math.floor(mtimeMs / 1000), 12));
  field(block, 148, 8, "        "); // checksum counted as spaces
  field(block, 156, 1, folder ? "5" : "0");
  field(block, 257, 6, "ustar\0");
  field(block, 263, 2, "00");
  field(block, 345, 155, split.prefix);
  const sum = block.reduce((total, byte) => total + byte, 0);
  field(block, 148, 8, `${sum.toString(8).padStart(6, "0")}\0 `);
  return block;
}

/** The tar as a Blob, and where each file's bytes end in it (for "files done" progress; folders have none). */
export function tarBlob(items: TarItem[]): { blob: Blob; ends: number[] } {
  const parts: BlobPart[] = [];
  const ends: number[] = [];
  let offset = 0;
  for (const item of items) {
    if (!item.file) {
      parts.push(header(item.path, 0, Date.now(), true) as Uint8Array<ArrayBuffer>);
      offset += 512;
      continue;
    }
    parts.push(header(item.path, item.file.size, item.file.lastModified, false) as Uint8Array<ArrayBuffer>, item.file);
    offset += 512 + item.file.size;
    ends.push(offset);
    const padding = (512 - (item.file.size % 512)) % 512;
    if (padding) parts.push(new Uint8Array(padding));
    offset += padding;
  }
  parts.push(new Uint8Array(1024));
  return { blob: new Blob(parts, { type: "application/x-tar" }), ends };
}
