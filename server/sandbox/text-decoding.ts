import * as chardet from "chardet";
import iconv from "iconv-lite";

// Text detection in the order that works (ENVIRONMENT.md "Text and files"):
// BOM, then NUL bytes (binary, or UTF-16 without BOM), then strict UTF-8, then
// chardet, decoding with iconv-lite (Node's windows-1252 decoder is latin-1).

export type DecodedText = {
  text: string;
  /** iconv-lite name of the encoding the file was read with, e.g. "utf-8", "shift_jis". */
  encoding: string;
  /** The file started with a byte order mark (kept when writing back). */
  bom: boolean;
};

const BOMS: { bytes: number[]; encoding: string }[] = [
  { bytes: [0xff, 0xfe, 0x00, 0x00], encoding: "utf-32le" },
  { bytes: [0x00, 0x00, 0xfe, 0xff], encoding: "utf-32be" },
  { bytes: [0xef, 0xbb, 0xbf], encoding: "utf-8" },
  { bytes: [0xff, 0xfe], encoding: "utf-16le" },
  { bytes: [0xfe, 0xff], encoding: "utf-16be" },
];

// Legacy single-byte fallback: a superset of latin-1 for everything printable.
const FALLBACK_ENCODING = "windows-1252";
const MULTIBYTE = /^(shift_jis|euc-jp|euc-kr|gb18030|big5|iso-2022-(jp|kr|cn))$/i;

/** Decodes bytes as text, or returns null when they look binary. */
export function decodeText(bytes: Uint8Array): DecodedText | null {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (const bom of BOMS) {
    if (bom.bytes.every((b, i) => buffer[i] === b)) {
      const text = iconv.decode(buffer.subarray(bom.bytes.length), bom.encoding);
      return { text, encoding: bom.encoding, bom: true };
    }
  }
  const sample = buffer.subarray(0, 64 * 1024);
  if (sample.includes(0)) {
    const utf16 = guessUtf16(sample);
    if (!utf16) return null;
    const text = iconv.decode(buffer, utf16);
    return looksLikeText(text) ? { text, encoding: utf16, bom: false } : null;
  }
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(buffer);
    return looksLikeText(text) ? { text, encoding: "utf-8", bom: false } : null;
  } catch {
    // not UTF-8: fall through to detection
  }
  const encoding = detectLegacyEncoding(sample);
  const text = iconv.decode(buffer, encoding);
  return looksLikeText(text) ? { text, encoding, bom: false } : null;
}

/** Encodes text back in the encoding it was read with (for edit). */
export function encodeText(text: string, encoding: string, bom: boolean): Buffer {
  return iconv.encode(text, encoding, { addBOM: bom });
}

function detectLegacyEncoding(sample: Buffer): string {
  const [best] = chardet.analyse(sample);
  if (!best || best.name === "ASCII" || best.name.startsWith("UTF") || !iconv.encodingExists(best.name)) return FALLBACK_ENCODING;
  // chardet's single-byte guesses on short text are shaky; trust them only when confident.
  if (MULTIBYTE.test(best.name) ? best.confidence >= 30 : best.confidence >= 50) {
    return /^iso-8859-1$/i.test(best.name) ? FALLBACK_ENCODING : best.name.toLowerCase();
  }
  return FALLBACK_ENCODING;
}

/** UTF-16 without BOM: mostly-ASCII text has a NUL in every other byte. */
function guessUtf16(sample: Buffer): "utf-16le" | "utf-16be" | null {
  if (sample.length < 4) return null;
  let evenZeros = 0;
  let oddZeros = 0;
  const pairs = Math.floor(sample.length / 2);
  for (let i = 0; i + 1 < sample.length; i += 2) {
    if (sample[i] === 0) evenZeros++;
    if (sample[i + 1] === 0) oddZeros++;
  }
  if (oddZeros / pairs > 0.3 && evenZeros / pairs < 0.02) return "utf-16le";
  if (evenZeros / pairs > 0.3 && oddZeros / pairs < 0.02) return "utf-16be";
  return null;
}

// Control characters other than tab, newlines, form feed, backspace and escape
// (seen in logs with colours) mean this is not something to show as text.
function looksLikeText(text: string): boolean {
  const sample = text.slice(0, 64 * 1024);
  if (sample.length === 0) return true;
  let controls = 0;
  for (let i = 0; i < sample.length; i++) {
    const code = sample.charCodeAt(i);
    if ((code < 32 && code !== 9 && code !== 10 && code !== 13 && code !== 12 && code !== 8 && code !== 27) || code === 0xfffd) controls++;
  }
  return controls / sample.length < 0.05;
}
