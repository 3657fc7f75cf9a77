import type { UIMessageChunk } from "ai";

// A running turn's UI message chunks, kept in this process for as long as the
// turn runs: every browser that attaches (the one that sent the message, a
// second tab, a reload) gets the whole turn replayed from its start, then the
// chunks as they come. Nobody watching is fine: the turn does not wait for
// readers, and a reader that leaves only ends its own stream.

export class TurnStreamBuffer {
  private readonly chunks: UIMessageChunk[] = [];
  private readonly readers = new Set<ReadableStreamDefaultController<UIMessageChunk>>();
  private closed = false;

  push(chunk: UIMessageChunk): void {
    if (this.closed) return;
    this.chunks.push(chunk);
    for (const reader of this.readers) reader.enqueue(chunk);
  }

  /** Ends every reader's stream; later readers get the replay and an end. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const reader of this.readers) reader.close();
    this.readers.clear();
  }

  get ended(): boolean {
    return this.closed;
  }

  /** The turn from its first chunk, then live until it ends. */
  subscribe(): ReadableStream<UIMessageChunk> {
    let self: ReadableStreamDefaultController<UIMessageChunk> | undefined;
    return new ReadableStream<UIMessageChunk>({
      start: (controller) => {
        for (const chunk of this.chunks) controller.enqueue(chunk);
        if (this.closed) controller.close();
        else {
          self = controller;
          this.readers.add(controller);
        }
      },
      cancel: () => {
        if (self) this.readers.delete(self);
      },
    });
  }
}
