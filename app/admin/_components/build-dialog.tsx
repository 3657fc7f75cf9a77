"use client";

import { useQueryClient } from "@tanstack/react-query";
import { CheckCircle2, Loader2, XCircle } from "lucide-react";
import { useEffect, useLayoutEffect, useRef, useState } from "react";
import { toast } from "../../_components/toaster";
import { Button } from "../../_components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogFooter } from "../../_components/ui/dialog";
import { Progress } from "../../_components/ui/progress";
import { useTRPC, useTRPCClient } from "../../_trpc/client";

// The live build of one runtime: steps as a progress bar, the log as it
// comes. Opening it starts the build or joins the running one (the server
// replays what was missed); closing it stops watching, not the build.

type Phase = "connecting" | "building" | "ready" | "failed";
type Step = { index: number; total: number; title: string };

const MAX_LINES = 4000;

export function BuildDialog({ name, onOpenChange }: { name: string | null; onOpenChange: (open: boolean) => void }) {
  return (
    <Dialog open={name !== null} onOpenChange={onOpenChange}>
      <DialogContent
        title={name ? `Building ${name}` : "Build"}
        description="Closing this window does not stop the build; open it again to keep watching."
        className="max-w-3xl"
        data-testid="build-dialog"
      >
        {name ? <BuildView key={name} name={name} /> : null}
        <DialogFooter>
          <DialogClose asChild>
            <Button variant="secondary" data-testid="build-close">
              Close
            </Button>
          </DialogClose>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}

function BuildView({ name }: { name: string }) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const [phase, setPhase] = useState<Phase>("connecting");
  const [step, setStep] = useState<Step | null>(null);
  const [lines, setLines] = useState<string[]>([]);
  const [message, setMessage] = useState<string | null>(null);
  const [summary, setSummary] = useState<string | null>(null);
  const logRef = useRef<HTMLPreElement>(null);
  const stickToBottom = useRef(true);

  useEffect(() => {
    const pending: string[] = [];
    let frame = 0;
    // Log lines arrive fast: add them once per animation frame.
    const flush = () => {
      frame = 0;
      const batch = pending.splice(0);
      setLines((current) => {
        const next = current.concat(batch);
        return next.length > MAX_LINES ? next.slice(-MAX_LINES) : next;
      });
    };
    const addLine = (line: string) => {
      pending.push(line);
      frame ||= requestAnimationFrame(flush);
    };
    const subscription = client.admin.runtimes.build.subscribe(
      { name },
      {
        onData(update) {
          if (update.type === "saved") {
            void queryClient.invalidateQueries({ queryKey: trpc.admin.runtimes.list.queryKey() });
            return;
          }
          const event = update.event;
          switch (event.type) {
            case "start":
              setPhase("building");
              addLine(`Building ${event.tag}`);
              break;
            case "step":
              setPhase("building");
              setStep({ index: event.index, total: event.total, title: event.title });
              addLine(`── Step ${event.index}/${event.total}: ${event.title}`);
              break;
            case "log":
              addLine(event.line);
              break;
            case "done":
              addLine(event.cached ? `Image ${event.tag} is already built.` : `Tagged ${event.tag}.`);
              setPhase("ready");
              setSummary(event.cached ? "The image was already built and passed its smoke check." : `Built and smoke-checked in ${Math.round(event.durationMs / 1000)} s.`);
              toast.success(`${name} is ready`);
              break;
            case "error":
              addLine(`Build failed: ${event.message}`);
              setPhase("failed");
              setMessage(event.message);
              toast.error(`Building ${name} failed`, event.message);
              break;
          }
        },
        onError(error) {
          setPhase("failed");
          setMessage(error.message);
        },
      },
    );
    return () => {
      subscription.unsubscribe();
      if (frame) cancelAnimationFrame(frame);
    };
  }, [client, name, queryClient, trpc]);

  useLayoutEffect(() => {
    const log = logRef.current;
    if (log && stickToBottom.current) log.scrollTop = log.scrollHeight;
  }, [lines]);

  const progress = phase === "ready" ? 100 : phase === "failed" ? (step ? ((step.index - 1) / step.total) * 100 : 0) : step ? ((step.index - 0.5) / step.total) * 100 : null;

  return (
    <div className="flex flex-col gap-3">
      <div className="flex items-center justify-between gap-3 text-sm">
        <span className="flex min-w-0 items-center gap-2" data-testid="build-status" data-phase={phase} aria-live="polite">
          {phase === "ready" ? (
            <CheckCircle2 className="size-4 shrink-0 text-emerald-600" aria-hidden />
          ) : phase === "failed" ? (
            <XCircle className="size-4 shrink-0 text-rose-600" aria-hidden />
          ) : (
            <Loader2 className="size-4 shrink-0 animate-spin text-sky-600" aria-hidden />
          )}
          <span className="font-medium">{phase === "ready" ? "Ready" : phase === "failed" ? "Failed" : phase === "connecting" ? "Starting…" : "Building…"}</span>
          {step && phase === "building" ? (
            <span className="truncate text-slate-600 dark:text-slate-400" data-testid="build-step">
              Step {step.index}/{step.total}: {step.title}
            </span>
          ) : null}
        </span>
        {step ? <span className="shrink-0 tabular-nums text-slate-500">{Math.round(progress ?? 0)}%</span> : null}
      </div>
      <div data-testid="build-progress" data-value={progress === null ? "" : Math.round(progress)}>
        <Progress value={progress} label={`Build progress of ${name}`} className={phase === "failed" ? "[&>div]:bg-rose-600" : undefined} />
      </div>
      {summary ? <p className="text-sm text-emerald-700 dark:text-emerald-400">{summary}</p> : null}
      {message ? (
        <p role="alert" className="rounded-md border border-rose-300 bg-rose-50 px-3 py-2 text-sm text-rose-800 dark:border-rose-900 dark:bg-rose-950/50 dark:text-rose-200" data-testid="build-error">
          {message}
        </p>
      ) : null}
      <pre
        ref={logRef}
        onScroll={(event) => {
          const log = event.currentTarget;
          stickToBottom.current = log.scrollHeight - log.scrollTop - log.clientHeight < 24;
        }}
        tabIndex={0}
        aria-label="Build log"
        className="h-80 overflow-auto whitespace-pre-wrap break-all rounded-lg bg-slate-950 p-3 font-mono text-xs leading-relaxed text-slate-200 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-sky-500"
        data-testid="build-log"
      >
        {lines.length ? lines.join("\n") : "Waiting for the builder…"}
      </pre>
    </div>
  );
}
