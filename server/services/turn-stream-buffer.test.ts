import type { UIMessageChunk } from "ai";
import { describe, expect, it } from "vitest";
import { TurnStreamBuffer } from "./turn-stream-buffer";

async function readAll(stream: ReadableStream<UIMessageChunk>): Promise<UIMessageChunk[]> {
  const chunks: UIMessageChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

const delta = (text: string): UIMessageChunk => ({ type: "text-delta", id: "t", delta: text });

describe("TurnStreamBuffer", () => {
  it("replays the turn from its start to a reader who comes late, then goes on live until it ends", async () => {
    const buffer = new TurnStreamBuffer();
    buffer.push({ type: "start", messageId: "reply" });
    buffer.push(delta("a"));
    const early = readAll(buffer.subscribe());
    buffer.push(delta("b"));
    const late = readAll(buffer.subscribe());
    buffer.push({ type: "finish" });
    buffer.close();
    const expected = [{ type: "start", messageId: "reply" }, delta("a"), delta("b"), { type: "finish" }];
    expect(await early).toEqual(expected);
    expect(await late).toEqual(expected);
    // After the end: the whole turn, then the end.
    expect(await readAll(buffer.subscribe())).toEqual(expected);
  });

  it("a reader that leaves stops only its own stream; the turn goes on for the others", async () => {
    const buffer = new TurnStreamBuffer();
    const leaving = buffer.subscribe().getReader();
    const staying = readAll(buffer.subscribe());
    buffer.push(delta("a"));
    expect((await leaving.read()).value).toEqual(delta("a"));
    await leaving.cancel();
    buffer.push(delta("b"));
    buffer.close();
    expect(await staying).toEqual([delta("a"), delta("b")]);
  });
});
