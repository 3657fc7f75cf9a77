import type { KernelDisplay, KernelError, KernelFigure, KernelTable } from "./types";

// The kernel's wire format: one JSON object per line in each direction.
// Host → kernel: requests. Kernel → host: a ready frame once; per request a
// started frame, stream frames while the code runs (with an output frame
// where a display or figure came among the text), then one result frame.

export type RunRequest = {
  op: "run";
  id: number;
  code: string;
  maxOutputBytes: number;
  maxTableRows: number;
  figuresDir: string;
};

export type ReadyFrame = { type: "ready"; pid: number; python: string; pandas: boolean; matplotlib: boolean };
/** `oomKills`: the container's OOM kill count as the code starts (null where unreadable). */
export type StartedFrame = { type: "started"; id: number; oomKills?: number | null };
export type StreamFrame = { type: "stream"; id: number; name: "stdout" | "stderr"; text: string };
/** Display or figure `index` of the result was shown here, after the text streamed so far. */
export type OutputFrame = { type: "output"; id: number; kind: "display" | "figure"; index: number };
export type ResultFrame = {
  type: "result";
  id: number | null;
  result?: string | null;
  error?: KernelError | null;
  figures?: KernelFigure[];
  tables?: KernelTable[];
  displays?: KernelDisplay[];
  executionCount?: number;
  /** Absolute paths user code opened for writing. */
  files?: string[];
  truncated?: boolean;
  kernelMs?: number;
};
export type KernelFrame = ReadyFrame | StartedFrame | StreamFrame | OutputFrame | ResultFrame;

/** Asks a running kernel for its ready frame again (after attaching to it). */
export type InfoRequest = { op: "info"; id: 0 };

export function encodeRequest(request: RunRequest | InfoRequest): string {
  return `${JSON.stringify(request)}\n`;
}

/**
 * Splits a byte stream into lines and parses each as a frame. Lines that are
 * not frames (which would be a kernel bug) go to `onStray` rather than
 * breaking the stream.
 */
export function createFrameDecoder(onFrame: (frame: KernelFrame) => void, onStray: (line: string) => void): (chunk: Buffer) => void {
  let pending: Buffer[] = [];
  return (chunk: Buffer) => {
    let start = 0;
    for (let newline = chunk.indexOf(10); newline >= 0; newline = chunk.indexOf(10, start)) {
      const piece = chunk.subarray(start, newline);
      const line = pending.length > 0 ? Buffer.concat([...pending, piece]).toString("utf8") : piece.toString("utf8");
      pending = [];
      start = newline + 1;
      if (line.length > 0) parseLine(line, onFrame, onStray);
    }
    if (start < chunk.length) pending.push(chunk.subarray(start));
  };
}

function parseLine(line: string, onFrame: (frame: KernelFrame) => void, onStray: (line: string) => void): void {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    onStray(line);
    return;
  }
  if (isFrame(value)) onFrame(value);
  else onStray(line);
}

function isFrame(value: unknown): value is KernelFrame {
  if (!value || typeof value !== "object") return false;
  const type = (value as { type?: unknown }).type;
  return type === "ready" || type === "started" || type === "stream" || type === "output" || type === "result";
}
