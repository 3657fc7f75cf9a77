import type { OutputChunk } from "~/server/sandbox";

// Live output for long tool calls: while a command or kernel run works, the
// tool yields preliminary outputs (the AI SDK streams them to the UI part as
// `preliminary: true`), then the final one, which alone reaches the model.

export type LiveText = { stdout: string; stderr: string };

/** Preliminary outputs carry the tail of the output so far, not all of it. */
const TAIL_CHARS = 20_000;

export async function* withLiveOutput<T>(
  start: (onOutput: (chunk: OutputChunk) => void) => Promise<T>,
  partial: (live: LiveText) => T,
  intervalMs = 500,
): AsyncGenerator<T, void, unknown> {
  const live: LiveText = { stdout: "", stderr: "" };
  let changed = false;
  const running = start((chunk) => {
    live[chunk.stream] = tail(live[chunk.stream] + chunk.text);
    changed = true;
  });
  let finished = false;
  const settled = running.then(
    () => (finished = true),
    () => (finished = true),
  );
  while (!finished) {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([settled, new Promise((resolve) => (timer = setTimeout(resolve, intervalMs)))]);
    clearTimeout(timer);
    if (!finished && changed) {
      changed = false;
      yield partial({ ...live });
    }
  }
  yield await running;
}

function tail(text: string): string {
  return text.length > TAIL_CHARS ? text.slice(-TAIL_CHARS) : text;
}
