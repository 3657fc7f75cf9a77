import { describe, expect, it } from "vitest";
import { FrameError, type FrameHeader, MAX_FRAME_BYTES, createFrameReader, encodeFrameParts } from "./frames";

const encodeFrame = (header: FrameHeader, data?: Uint8Array) => Buffer.concat(encodeFrameParts(header, data));

describe("supervisor frames", () => {
  it("round-trips a header and data, split at every byte boundary", () => {
    const encoded = Buffer.concat([encodeFrame({ op: "start", rid: 1 }), encodeFrame({ ev: "out", proc: "p1" }, Buffer.from("héllo"))]);
    for (let cut = 0; cut <= encoded.length; cut++) {
      const frames: unknown[] = [];
      const read = createFrameReader((frame) => frames.push({ ...frame.header, data: frame.data.toString("utf8") }));
      read(encoded.subarray(0, cut));
      read(encoded.subarray(cut));
      expect(frames).toEqual([
        { op: "start", rid: 1, data: "" },
        { ev: "out", proc: "p1", data: "héllo" },
      ]);
    }
  });

  it("refuses a length over the cap before buffering it", () => {
    const read = createFrameReader(() => {});
    const head = Buffer.alloc(4);
    head.writeUInt32BE(MAX_FRAME_BYTES + 1);
    expect(() => read(head)).toThrow(FrameError);
  });

  it("refuses a header that is not a JSON object", () => {
    const json = Buffer.from("[1]");
    const frame = Buffer.alloc(6 + json.length);
    frame.writeUInt32BE(2 + json.length, 0);
    frame.writeUInt16BE(json.length, 4);
    json.copy(frame, 6);
    expect(() => createFrameReader(() => {})(frame)).toThrow(/not an object/);
  });

  it("will not encode a frame over the cap", () => {
    expect(() => encodeFrame({ op: "write_chunk" }, Buffer.alloc(MAX_FRAME_BYTES))).toThrow(FrameError);
  });
});
