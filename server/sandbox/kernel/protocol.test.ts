import { describe, expect, it } from "vitest";
import { createFrameDecoder, encodeRequest, type KernelFrame } from "./protocol";

describe("kernel frame decoder", () => {
  it("parses frames split across chunks and several frames in one chunk", () => {
    const frames: KernelFrame[] = [];
    const stray: string[] = [];
    const decode = createFrameDecoder((f) => frames.push(f), (l) => stray.push(l));
    const text = '{"type":"started","id":1}\n{"type":"stream","id":1,"name":"stdout","text":"h\\u00e9"}\n{"type":"result","id":1,"result":"2"}\n';
    const bytes = Buffer.from(text);
    // Byte by byte, including through the middle of a multi-byte character.
    for (let i = 0; i < bytes.length; i++) decode(bytes.subarray(i, i + 1));
    expect(frames).toEqual([
      { type: "started", id: 1 },
      { type: "stream", id: 1, name: "stdout", text: "hé" },
      { type: "result", id: 1, result: "2" },
    ]);
    expect(stray).toEqual([]);
  });

  it("sets aside lines that are not frames", () => {
    const frames: KernelFrame[] = [];
    const stray: string[] = [];
    const decode = createFrameDecoder((f) => frames.push(f), (l) => stray.push(l));
    decode(Buffer.from('not json\n{"type":"other"}\n{"type":"ready","pid":7,"python":"3.11","pandas":false,"matplotlib":false}\n'));
    expect(stray).toEqual(["not json", '{"type":"other"}']);
    expect(frames).toHaveLength(1);
  });

  it("encodes a request as one line whatever the code contains", () => {
    const line = encodeRequest({ op: "run", id: 3, code: "print('a\\nb')\nx = 1\r\n", maxOutputBytes: 10, maxTableRows: 5, figuresDir: "/w/f" });
    expect(line.endsWith("\n")).toBe(true);
    expect(line.slice(0, -1)).not.toContain("\n");
    expect(JSON.parse(line)).toMatchObject({ code: "print('a\\nb')\nx = 1\r\n" });
  });
});
