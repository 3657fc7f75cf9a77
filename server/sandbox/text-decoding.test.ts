import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { decodeText, encodeText } from "./text-decoding";

const FRENCH = "Le café crème était brûlant; à côté, un garçon mangeait une crêpe.\nÇa coûte cher? Non, déjà payé.\n";
const JAPANESE = "日本語のテキストファイルです。\n東京都は日本の首都です。今日はいい天気ですね。\n";

describe("decodeText", () => {
  it("reads UTF-8 with and without BOM", () => {
    expect(decodeText(Buffer.from("héllo\n"))).toEqual({ text: "héllo\n", encoding: "utf-8", bom: false });
    expect(decodeText(Buffer.from([0xef, 0xbb, 0xbf, ...Buffer.from("hi")]))).toEqual({ text: "hi", encoding: "utf-8", bom: true });
  });
  it("reads UTF-16 with BOM and without", () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode("a,b\n1,2\n", "utf-16le")]);
    expect(decodeText(le)).toEqual({ text: "a,b\n1,2\n", encoding: "utf-16le", bom: true });
    const be = Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode("x=1\n", "utf-16be")]);
    expect(decodeText(be)?.text).toBe("x=1\n");
    expect(decodeText(iconv.encode("plain utf16 text\n", "utf-16le"))?.text).toBe("plain utf16 text\n");
  });
  it("reads latin-1, windows-1252 and Shift-JIS", () => {
    expect(decodeText(iconv.encode(FRENCH, "latin1"))?.text).toBe(FRENCH);
    expect(decodeText(iconv.encode("café\n", "latin1"))?.text).toBe("café\n");
    expect(decodeText(iconv.encode("“Quotes” – dash … café\n", "windows-1252"))?.text).toBe("“Quotes” – dash … café\n");
    const sjis = decodeText(iconv.encode(JAPANESE, "Shift_JIS"));
    expect(sjis?.text).toBe(JAPANESE);
    expect(sjis?.encoding).toBe("shift_jis");
  });
  it("says binary for binary", () => {
    expect(decodeText(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 1, 2, 3]))).toBeNull();
    expect(decodeText(Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 7) % 32)))).toBeNull();
  });
  it("round-trips through encodeText", () => {
    const decoded = decodeText(Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode("abc", "utf-16le")]))!;
    expect(encodeText(decoded.text, decoded.encoding, decoded.bom)).toEqual(Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode("abc", "utf-16le")]));
  });
});
