import { readUIMessageStream, type UIMessage, type UIMessageChunk } from "ai";
import { markReply, saveReply } from "./chats";
import type { TurnStreamBuffer } from "./turn-stream-buffer";
import { endTurn } from "./turns";

// Runs one turn's UI message stream to its end, whoever watches: each chunk
// goes to the turn's buffer (for the browsers attached), and the reply is saved
// whenever its shape changes (a text finished, a tool call was made, a result
// came back), so a crash loses at most the step in progress. Then the turn's
// row says how it ended.

export type TurnEnd = { reply: UIMessage | null; outcome: "done" | "stopped" | "failed" };

export async function runTurnStream(input: {
  turnId: string;
  chatId: string;
  replyId: string;
  stream: ReadableStream<UIMessageChunk>;
  buffer: TurnStreamBuffer;
  signal: AbortSignal;
}): Promise<TurnEnd> {
  const { chatId, replyId, buffer, signal } = input;
  const saver = latestOnlySaver((reply: UIMessage) => saveReply(chatId, reply));
  let failed = false;
  const tapped = input.stream.pipeThrough(
    new TransformStream<UIMessageChunk, UIMessageChunk>({
      transform(chunk, controller) {
        // The reply keeps the id the turn was recorded with, so its figures and its row agree.
        let out: UIMessageChunk = chunk.type === "start" ? { ...chunk, messageId: replyId } : chunk;
        if (chunk.type === "error") failed = true;
        // Stop: every attached page marks the reply "Stopped" as it ends.
        if (chunk.type === "finish" && signal.aborted)
          out = { ...chunk, messageMetadata: { ...asRecord(chunk.messageMetadata), stopped: true } };
        buffer.push(out);
        controller.enqueue(out);
      },
    }),
  );

  let reply: UIMessage | null = null;
  let shape = "";
  try {
    for await (const message of readUIMessageStream({ stream: tapped })) {
      reply = message;
      const next = shapeOf(message);
      if (next !== shape) {
        shape = next;
        saver.save(message);
      }
    }
  } catch (error) {
    failed = true;
    console.warn("[turn] the reply stream failed:", error instanceof Error ? error.message : error);
  }
  await saver.flush();
  const outcome = signal.aborted ? "stopped" : failed ? "failed" : "done";
  if (reply) await saveReply(chatId, reply);
  if (outcome === "stopped") await markReply(chatId, replyId, { stopped: true });
  await endTurn(input.turnId, outcome === "done" ? "DONE" : outcome === "stopped" ? "STOPPED" : "FAILED");
  return { reply, outcome };
}

/** What a save point is: the parts and their states, not the text growing inside them. */
function shapeOf(message: UIMessage): string {
  return message.parts
    .map(
      (part) =>
        `${part.type}:${"state" in part ? part.state : ""}:${"preliminary" in part && part.preliminary ? "p" : ""}`,
    )
    .join("|");
}

/** Saves in order, one at a time; while one runs, only the newest of the next ones is kept. */
function latestOnlySaver<T>(save: (value: T) => Promise<void>) {
  let pending: T | undefined;
  let running: Promise<void> = Promise.resolve();
  let busy = false;
  const drain = async () => {
    busy = true;
    while (pending !== undefined) {
      const value = pending;
      pending = undefined;
      await save(value).catch((error: unknown) =>
        console.warn("[turn] saving a step failed:", error instanceof Error ? error.message : error),
      );
    }
    busy = false;
  };
  return {
    save(value: T) {
      pending = value;
      if (!busy) running = drain();
    },
    flush: () => running,
  };
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
}
