"use client";

import { useQueryClient } from "@tanstack/react-query";
import type { Unsubscribable } from "@trpc/server/observable";
import { useCallback, useEffect, useRef, useState } from "react";
import { useTRPC, useTRPCClient } from "../../_trpc/client";
import { refetchAfterChange } from "../../_lib/refetch-after-change";

export type OutputChunk = { stream: "stdout" | "stderr"; text: string };

export type CommandRun = {
  kind: "command";
  id: number;
  command: string;
  chunks: OutputChunk[];
  /** Earlier output was dropped to keep the page light. */
  trimmed: boolean;
  state: "running" | "done" | "stopped" | "failed";
  startedAt: number;
  exitCode?: number;
  durationMs?: number;
  timedOut?: boolean;
  truncated?: boolean;
  /** When cut: how many bytes of output the sandbox kept. */
  keptBytes?: number;
  /** What the command wrote in all, when it was cut. */
  totalBytes?: number;
  error?: string;
};

export type ConsoleNotice = { kind: "notice"; id: number; text: string };
export type ConsoleEntry = CommandRun | ConsoleNotice;

/** Caps on what the page keeps: the server caps output too, this keeps the DOM small. */
const MAX_ENTRIES = 100;
const MAX_CHARS_PER_RUN = 100_000;

function appendOutput(run: CommandRun, chunk: OutputChunk): CommandRun {
  const chunks = [...run.chunks];
  const last = chunks.at(-1);
  if (last && last.stream === chunk.stream) chunks[chunks.length - 1] = { ...last, text: last.text + chunk.text };
  else chunks.push(chunk);
  let size = chunks.reduce((total, item) => total + item.text.length, 0);
  let trimmed = run.trimmed;
  while (size > MAX_CHARS_PER_RUN && chunks.length > 0) {
    const first = chunks[0]!;
    const excess = size - MAX_CHARS_PER_RUN;
    trimmed = true;
    if (first.text.length <= excess) {
      chunks.shift();
      size -= first.text.length;
    } else {
      chunks[0] = { ...first, text: first.text.slice(excess) };
      size -= excess;
    }
  }
  return { ...run, chunks, trimmed };
}

/**
 * Runs shell commands in the user's sandbox through the `sandbox.execute` subscription, one at a
 * time, streaming output. Stopping unsubscribes, which makes the server kill the command.
 */
export function useConsole() {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const [entries, setEntries] = useState<ConsoleEntry[]>([]);
  const [running, setRunning] = useState<number | null>(null);
  const subscription = useRef<Unsubscribable | null>(null);
  const nextId = useRef(1);

  const updateRun = useCallback((id: number, change: (run: CommandRun) => CommandRun) => {
    setEntries((current) =>
      current.map((entry) => (entry.kind === "command" && entry.id === id ? change(entry) : entry)),
    );
  }, []);

  const finish = useCallback(
    (id: number, change: (run: CommandRun) => CommandRun) => {
      // Settle first: unsubscribing calls onComplete synchronously, which must find the run settled.
      updateRun(id, (run) => (run.state === "running" ? change(run) : run));
      setRunning((current) => (current === id ? null : current));
      const active = subscription.current;
      subscription.current = null;
      active?.unsubscribe();
      // Commands often create or change files.
      void refetchAfterChange(queryClient, trpc.files.pathFilter());
    },
    [queryClient, trpc, updateRun],
  );

  const run = useCallback(
    (command: string) => {
      if (subscription.current) return;
      const id = nextId.current++;
      const startedAt = Date.now();
      setEntries((current) =>
        [
          ...current,
          { kind: "command" as const, id, command, chunks: [], trimmed: false, state: "running" as const, startedAt },
        ].slice(-MAX_ENTRIES),
      );
      setRunning(id);
      subscription.current = client.sandbox.execute.subscribe(
        { command },
        {
          onData: (event) => {
            if (event.type === "output")
              updateRun(id, (current) => appendOutput(current, { stream: event.stream, text: event.text }));
            else {
              const { exitCode, durationMs, timedOut, truncated, output, outputBytes } = event.result;
              const keptBytes = truncated ? new TextEncoder().encode(output).length : undefined;
              const totalBytes = truncated ? outputBytes : undefined;
              finish(id, (current) => ({ ...current, state: "done", exitCode, durationMs, timedOut, truncated, keptBytes, totalBytes }));
            }
          },
          onError: (error) =>
            finish(id, (current) => ({
              ...current,
              state: "failed",
              error: error.message,
              durationMs: Date.now() - startedAt,
            })),
          onComplete: () =>
            finish(id, (current) => ({
              ...current,
              state: "failed",
              error: "The command ended without an exit code.",
              durationMs: Date.now() - startedAt,
            })),
        },
      );
    },
    [client, finish, updateRun],
  );

  const stop = useCallback(() => {
    if (running === null) return;
    const id = running;
    finish(id, (current) => ({ ...current, state: "stopped", durationMs: Date.now() - current.startedAt }));
  }, [running, finish]);

  const notice = useCallback((text: string) => {
    setEntries((current) => [...current, { kind: "notice" as const, id: nextId.current++, text }].slice(-MAX_ENTRIES));
  }, []);

  const clear = useCallback(
    () => setEntries((current) => current.filter((entry) => entry.kind === "command" && entry.state === "running")),
    [],
  );

  useEffect(() => () => subscription.current?.unsubscribe(), []);

  return { entries, running: running !== null, run, stop, clear, notice };
}
