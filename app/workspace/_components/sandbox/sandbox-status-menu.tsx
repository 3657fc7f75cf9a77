"use client";

import { Play, Power, RotateCcw, ShieldCheck } from "lucide-react";
import { useState } from "react";
import { ConfirmDialog } from "../../../_components/ui/alert-dialog";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "../../../_components/ui/dropdown-menu";
import { formatRelativeTime } from "../../_lib/format";
import { PERSISTENCE_CONTRACT, SANDBOX_STATE_COPY } from "../../_lib/sandbox-copy";
import { useSandbox } from "../../_lib/sandbox-context";
import { StatusPill } from "./status-pill";

const LOST_ON_STOP = (
  <>
    <p>Your files in /workspace are safe and will be there when it starts again.</p>
    <p className="font-medium text-slate-900 dark:text-slate-100">
      Running programs, Python variables and anything outside /workspace will be lost.
    </p>
  </>
);

/** The status pill in the top bar, with what the state means and Start / Restart / Stop. */
export function SandboxStatusMenu() {
  const sandbox = useSandbox();
  const [confirm, setConfirm] = useState<"stop" | "restart" | null>(null);
  const state = sandbox.state ?? "starting";
  const copy = SANDBOX_STATE_COPY[state];
  const label =
    sandbox.pending === "stopping"
      ? "Stopping…"
      : sandbox.pending === "restarting"
        ? "Restarting…"
        : sandbox.state
          ? copy.label
          : "Checking…";
  const live = state === "running" || state === "paused";
  const since = sandbox.status?.lastActiveAt ? new Date(sandbox.status.lastActiveAt).getTime() : null;

  return (
    <>
      <DropdownMenu>
        <DropdownMenuTrigger asChild>
          <StatusPill
            copy={copy}
            label={label}
            busy={state === "starting" || sandbox.pending !== null}
            data-testid="sandbox-status"
            data-state={state}
          />
        </DropdownMenuTrigger>
        <DropdownMenuContent align="start" className="w-80 p-0" data-testid="sandbox-menu">
          <div className="flex flex-col gap-1.5 p-4">
            <p className="text-sm font-semibold" data-testid="sandbox-headline">
              {copy.headline}
            </p>
            <p className="text-sm text-slate-600 dark:text-slate-400">{copy.detail}</p>
            <p className="mt-1 text-xs text-slate-500">
              Runtime{" "}
              <span className="font-mono text-slate-700 dark:text-slate-300">{sandbox.status?.runtime ?? "…"}</span>
              {since ? ` · active ${formatRelativeTime(since)}` : null}
            </p>
          </div>
          <p className="flex items-start gap-2 border-y border-slate-200 bg-slate-50 px-4 py-2.5 text-xs text-slate-600 dark:border-slate-800 dark:bg-slate-950/60 dark:text-slate-400">
            <ShieldCheck className="mt-0.5 size-3.5 shrink-0 text-emerald-600 dark:text-emerald-400" aria-hidden />
            {PERSISTENCE_CONTRACT}
          </p>
          <div className="p-1">
            {state === "none" || state === "asleep" ? (
              <DropdownMenuItem onSelect={sandbox.start} data-testid="sandbox-start">
                <Play aria-hidden />
                Start sandbox
              </DropdownMenuItem>
            ) : null}
            {live ? (
              <>
                <DropdownMenuItem
                  onSelect={() => setConfirm("restart")}
                  disabled={sandbox.pending !== null}
                  data-testid="sandbox-restart"
                >
                  <RotateCcw aria-hidden />
                  Restart…
                </DropdownMenuItem>
                <DropdownMenuSeparator />
                <DropdownMenuItem
                  tone="danger"
                  onSelect={() => setConfirm("stop")}
                  disabled={sandbox.pending !== null}
                  data-testid="sandbox-stop"
                >
                  <Power aria-hidden />
                  Stop…
                </DropdownMenuItem>
              </>
            ) : null}
            {state === "starting" ? (
              <p className="px-2 py-1.5 text-xs text-slate-500">Actions are available once it has started.</p>
            ) : null}
          </div>
        </DropdownMenuContent>
      </DropdownMenu>

      <ConfirmDialog
        open={confirm === "stop"}
        onOpenChange={(open) => !open && setConfirm(null)}
        title="Stop your sandbox?"
        description={LOST_ON_STOP}
        confirmLabel="Stop sandbox"
        onConfirm={sandbox.stop}
        testId="sandbox-stop-dialog"
      />
      <ConfirmDialog
        open={confirm === "restart"}
        onOpenChange={(open) => !open && setConfirm(null)}
        title="Restart your sandbox?"
        description={LOST_ON_STOP}
        confirmLabel="Restart sandbox"
        onConfirm={sandbox.restart}
        testId="sandbox-restart-dialog"
      />
    </>
  );
}
