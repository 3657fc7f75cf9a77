"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { Unsubscribable } from "@trpc/server/observable";
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { toast } from "../../_components/toaster";
import { useTRPC, useTRPCClient } from "../../_trpc/client";
import type { SandboxState, SandboxStatus } from "./types";
import { refetchAfterChange } from "../../_lib/refetch-after-change";

/** Progress of a start this page asked for: the runtime image build (step n of m), then the container. */
export type StartProgress = {
  phase: "preparing" | "building" | "starting";
  step: number;
  total: number;
  title: string;
  lastLine: string | null;
};

type SandboxContextValue = {
  status: SandboxStatus | undefined;
  /** What to show: the server's state, or "starting" while this page starts it. Undefined until first loaded. */
  state: SandboxState | undefined;
  progress: StartProgress | null;
  pending: "stopping" | "restarting" | null;
  /** File operations may run: the sandbox exists or wakes on use (not while it is being created). */
  filesReady: boolean;
  /** Bumped whenever this page restarts the sandbox, so panels can mark the reset. */
  restarts: number;
  start: () => void;
  stop: () => void;
  restart: () => void;
};

const SandboxContext = createContext<SandboxContextValue | null>(null);

export function useSandbox(): SandboxContextValue {
  const value = useContext(SandboxContext);
  if (!value) throw new Error("useSandbox needs a <SandboxProvider>");
  return value;
}

export function SandboxProvider({ children }: { children: ReactNode }) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const [progress, setProgress] = useState<StartProgress | null>(null);
  const [restarts, setRestarts] = useState(0);
  const subscription = useRef<Unsubscribable | null>(null);

  const statusQuery = useQuery(
    trpc.sandbox.status.queryOptions(undefined, {
      refetchInterval: (query) => (query.state.data?.state === "starting" ? 1000 : 5000),
      refetchOnWindowFocus: true,
    }),
  );
  const status = statusQuery.data;
  const refetchStatus = statusQuery.refetch;

  const refreshFiles = useCallback(() => {
    void refetchAfterChange(queryClient, trpc.files.pathFilter());
  }, [queryClient, trpc]);

  const start = useCallback(() => {
    if (subscription.current) return;
    setProgress({ phase: "preparing", step: 0, total: 0, title: "Checking the runtime", lastLine: null });
    const finish = () => {
      const active = subscription.current;
      subscription.current = null;
      setProgress(null);
      active?.unsubscribe();
    };
    subscription.current = client.sandbox.start.subscribe(undefined, {
      onData: (event) => {
        if (event.type === "build") {
          const build = event.event;
          if (build.type === "start")
            setProgress({
              phase: "building",
              step: 0,
              total: build.totalSteps,
              title: `Building the ${build.runtime} runtime`,
              lastLine: null,
            });
          else if (build.type === "step")
            setProgress((current) => ({
              phase: "building",
              step: build.index,
              total: build.total,
              title: build.title,
              lastLine: current?.lastLine ?? null,
            }));
          else if (build.type === "log")
            setProgress((current) => (current ? { ...current, lastLine: build.line } : current));
          else if (build.type === "error") {
            toast.error("The sandbox couldn't be prepared", build.message);
            finish();
          }
        } else if (event.type === "starting") {
          setProgress((current) => ({
            phase: "starting",
            step: current?.total ?? 0,
            total: current?.total ?? 0,
            title: "Starting your sandbox",
            lastLine: null,
          }));
        } else {
          queryClient.setQueryData(trpc.sandbox.status.queryKey(), event.status);
          finish();
          refreshFiles();
        }
      },
      onError: (error) => {
        toast.error("The sandbox didn't start", error.message);
        finish();
        void refetchStatus();
      },
      onComplete: () => finish(),
    });
  }, [client, queryClient, trpc, refreshFiles, refetchStatus]);

  useEffect(() => () => subscription.current?.unsubscribe(), []);

  // Opening the workspace wakes the sandbox, with visible progress, unless something is starting it already.
  const autoStarted = useRef(false);
  useEffect(() => {
    if (autoStarted.current || !status) return;
    autoStarted.current = true;
    if (status.state === "none" || status.state === "asleep") start();
  }, [status, start]);

  const stopMutation = useMutation(
    trpc.sandbox.stop.mutationOptions({
      onSuccess: () => {
        void refetchStatus();
        toast.success("Sandbox stopped", "Your files are safe. Programs and variables were reset.");
      },
      onError: (error) => toast.error("The sandbox didn't stop", error.message),
    }),
  );
  const restartMutation = useMutation(
    trpc.sandbox.restart.mutationOptions({
      onSuccess: (next) => {
        queryClient.setQueryData(trpc.sandbox.status.queryKey(), next);
        setRestarts((count) => count + 1);
        refreshFiles();
        toast.success("Sandbox restarted", "Fresh programs and variables; your files are unchanged.");
      },
      onError: (error) => toast.error("The sandbox didn't restart", error.message),
    }),
  );

  const stopSandbox = stopMutation.mutate;
  const restartSandbox = restartMutation.mutate;
  const pending = stopMutation.isPending ? "stopping" : restartMutation.isPending ? "restarting" : null;
  const state: SandboxState | undefined = progress || pending === "restarting" ? "starting" : status?.state;
  const value = useMemo<SandboxContextValue>(
    () => ({
      status,
      state,
      progress,
      pending,
      filesReady: !!state && state !== "none" && state !== "starting",
      restarts,
      start,
      stop: () => stopSandbox(),
      restart: () => restartSandbox(),
    }),
    [status, state, progress, pending, restarts, start, stopSandbox, restartSandbox],
  );
  return <SandboxContext.Provider value={value}>{children}</SandboxContext.Provider>;
}
