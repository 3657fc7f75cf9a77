"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { toast } from "../../_components/toaster";
import { useTRPC, useTRPCClient } from "../../_trpc/client";
import type { Job } from "./types";

/** How often the list is asked while a job runs, and otherwise (a job the agent starts shows up within this). */
const LIST_BUSY_MS = 2_000;
const LIST_IDLE_MS = 5_000;
const OUTPUT_POLL_MS = 1_000;
/** Characters of output kept per stream on the page; the sandbox keeps the last 1 MB. */
const MAX_PAGE_CHARS = 200_000;

/** The user's background jobs, newest first. Asking never wakes a sleeping sandbox. */
export function useJobs() {
  const trpc = useTRPC();
  return useQuery(
    trpc.jobs.list.queryOptions(undefined, {
      refetchInterval: (query) => (query.state.data?.jobs.some((job) => job.running) ? LIST_BUSY_MS : LIST_IDLE_MS),
    }),
  );
}

/** Start and stop, refreshing the list (and the sandbox's state: a start may wake it). */
export function useJobActions() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.jobs.list.queryKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.sandbox.status.queryKey() }),
    ]);
  const start = useMutation(
    trpc.jobs.start.mutationOptions({
      onSuccess: refresh,
      onError: (error) => toast.error("Could not start the job", error.message),
    }),
  );
  const stop = useMutation(
    trpc.jobs.stop.mutationOptions({
      onSuccess: refresh,
      onError: (error) => toast.error("Could not stop the job", error.message),
    }),
  );
  return { start, stop };
}

export type JobStreamText = {
  text: string;
  /** Older output the sandbox no longer keeps, or the page dropped. */ cut: boolean;
};
export type LiveJobOutput = { stdout: JobStreamText; stderr: JobStreamText; error: string | null };

const EMPTY: LiveJobOutput = { stdout: { text: "", cut: false }, stderr: { text: "", cut: false }, error: null };

/**
 * A job's output as it grows: read from where the last read ended, every second while it runs, once more after.
 * One job per mount (key the component by the job).
 */
export function useJobOutput(job: Job | null): LiveJobOutput {
  const client = useTRPCClient();
  const [output, setOutput] = useState<LiveJobOutput>(EMPTY);
  const offsets = useRef({ stdout: 0, stderr: 0 });
  const running = job?.running ?? false;
  const id = job?.id ?? null;

  useEffect(() => {
    if (id === null) return;
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const readStream = async (stream: "stdout" | "stderr") => {
      const from = offsets.current[stream];
      const part = await client.jobs.output.query({ id, stream, offset: from });
      if (cancelled) return;
      offsets.current[stream] = part.next;
      if (part.text.length === 0 && part.offset === from) return;
      setOutput((current) => {
        const joined = current[stream].text + part.text;
        const cut = current[stream].cut || part.offset > from || joined.length > MAX_PAGE_CHARS;
        return { ...current, error: null, [stream]: { text: joined.slice(-MAX_PAGE_CHARS), cut } };
      });
      return part.next < part.size;
    };
    const tick = async () => {
      try {
        const more = [await readStream("stdout"), await readStream("stderr")].some(Boolean);
        if (!cancelled && (running || more)) timer = setTimeout(() => void tick(), more ? 0 : OUTPUT_POLL_MS);
      } catch (error) {
        if (!cancelled) setOutput((current) => ({ ...current, error: (error as Error).message }));
      }
    };
    void tick();
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [client, id, running]);

  return output;
}
