import iconv from "iconv-lite";
import { decodeText } from "../sandbox/text-decoding";
import type { Encoding } from "./load-plan";

// A file head as text, with the encoding named the way pandas takes it: the
// engine's detection (BOM, UTF-16, strict UTF-8, chardet), or the user's choice.

export type DecodedHead = { text: string; encoding: string };

/** iconv-lite names for the Python spellings offered in the preview. */
const ICONV_NAMES: Record<Encoding, string> = {
  "utf-8": "utf-8",
  "utf-8-sig": "utf-8",
  "latin-1": "latin1",
  cp1252: "windows-1252",
  "utf-16": "utf-16",
  shift_jis: "shift_jis",
  "euc-jp": "euc-jp",
  gb18030: "gb18030",
  big5: "big5",
  "euc-kr": "euc-kr",
  cp1251: "windows-1251",
  "iso-8859-2": "iso-8859-2",
};

/** Decodes a head (cut anywhere) as text; null when it looks binary. */
export function decodeHead(bytes: Uint8Array, cut: boolean, encoding?: Encoding): DecodedHead | null {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (encoding) return { text: withoutBom(iconv.decode(buffer, ICONV_NAMES[encoding])), encoding };
  const decoded = decodeText(cut ? withoutPartialUtf8(buffer) : buffer);
  if (!decoded) return null;
  return { text: withoutBom(decoded.text), encoding: pythonEncoding(decoded.encoding, decoded.bom, buffer) };
}

/** The engine's iconv name → the codec Python reads the same bytes with. */
function pythonEncoding(name: string, bom: boolean, bytes: Buffer): string {
  if (name === "utf-8") return bom ? "utf-8-sig" : "utf-8";
  if (name === "utf-16le" || name === "utf-16be") return bom ? "utf-16" : name.replace("utf-16", "utf-16-");
  if (name === "utf-32le" || name === "utf-32be") return bom ? "utf-32" : name.replace("utf-32", "utf-32-");
  // latin-1 never fails in Python; cp1252 only when its 0x80–0x9F characters (€, “ ”) are used.
  if (name === "windows-1252") return bytes.some((byte) => byte >= 0x80 && byte <= 0x9f) ? "cp1252" : "latin-1";
  return name;
}

function withoutBom(text: string): string {
  return text.startsWith("\uFEFF") ? text.slice(1) : text;
}

/** Drops a UTF-8 sequence cut by the end of a partial read, so strict UTF-8 detection still sees UTF-8. */
function withoutPartialUtf8(bytes: Buffer): Buffer {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const byte = bytes[bytes.length - back]!;
    if ((byte & 0xc0) === 0x80) continue;
    const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return length > back ? bytes.subarray(0, bytes.length - back) : bytes;
  }
  return bytes;
}
