"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Activity, Power, RotateCw } from "lucide-react";
import { useMemo, useState } from "react";
import { toast } from "../../_components/toaster";
import { ConfirmDialog } from "../../_components/ui/alert-dialog";
import { Badge } from "../../_components/ui/badge";
import { Button } from "../../_components/ui/button";
import { DataTable, dataTableColumns, type DataTableColumn } from "../../_components/ui/data-table";
import { Dialog, DialogContent } from "../../_components/ui/dialog";
import { Skeleton } from "../../_components/ui/skeleton";
import { Tooltip, TooltipProvider } from "../../_components/ui/tooltip";
import { useTRPC } from "../../_trpc/client";
import { formatBytes, formatDateTime, formatRelative } from "../_lib/format";
import type { AdminSession } from "../_lib/types";
import { PageHeader } from "./page-header";

const REFRESH_MS = 5_000;

const STATE = {
  starting: { label: "Starting", tone: "neutral" },
  running: { label: "Running", tone: "success" },
  paused: { label: "Paused", tone: "warning" },
  asleep: { label: "Asleep", tone: "neutral" },
  failed: { label: "Failed to start", tone: "danger" },
} as const;

type PendingAction = { kind: "stop" | "restart"; session: AdminSession };

export function SessionsPanel() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.admin.sessions.list.queryOptions(undefined, { refetchInterval: REFRESH_MS }));
  const [confirming, setConfirming] = useState<PendingAction | null>(null);
  const [activityOf, setActivityOf] = useState<AdminSession | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.admin.sessions.list.queryKey() });
  const stop = useMutation(
    trpc.admin.sessions.stop.mutationOptions({
      onSuccess: (stopped, _input) => toast.success(stopped ? "Sandbox stopped" : "The sandbox was not running", "The user's files are kept."),
      onError: (error) => toast.error("Could not stop the sandbox", error.message),
      onSettled: refresh,
    }),
  );
  const restart = useMutation(
    trpc.admin.sessions.restart.mutationOptions({
      onSuccess: () => toast.success("Sandbox restarted", "Running processes and kernel variables were reset; files are kept."),
      onError: (error) => toast.error("Could not restart the sandbox", error.message),
      onSettled: refresh,
    }),
  );

  const columns = useMemo(() => {
    const helper = dataTableColumns<AdminSession>();
    return [
      helper.accessor((session) => session.user.email, {
        id: "user",
        header: "User",
        cell: ({ row }) => (
          <div className="flex max-w-64 flex-col">
            <span className="truncate font-medium text-slate-900 dark:text-slate-100" title={row.original.user.email}>
              {row.original.user.email}
            </span>
            {row.original.user.name ? <span className="text-xs text-slate-500">{row.original.user.name}</span> : null}
          </div>
        ),
      }),
      helper.accessor("runtime", { header: "Runtime", cell: ({ getValue }) => <span className="font-mono text-xs">{getValue()}</span> }),
      helper.accessor("state", {
        header: "Status",
        cell: ({ row }) => (
          <span className="flex items-center gap-1.5">
            <Badge tone={STATE[row.original.state].tone} data-testid={`session-state-${row.original.user.email}`} data-state={row.original.state}>
              {STATE[row.original.state].label}
            </Badge>
            {row.original.busy ? <Badge tone="info">Busy</Badge> : null}
          </span>
        ),
      }),
      helper.accessor((session) => new Date(session.startedAt).getTime(), {
        id: "startedAt",
        header: "Started",
        sortFn: "basic",
        cell: ({ row }) => <span title={formatDateTime(row.original.startedAt)}>{formatRelative(row.original.startedAt)}</span>,
      }),
      helper.accessor((session) => new Date(session.lastActiveAt).getTime(), {
        id: "lastActiveAt",
        header: "Last active",
        sortFn: "basic",
        cell: ({ row }) => <span title={formatDateTime(row.original.lastActiveAt)}>{formatRelative(row.original.lastActiveAt)}</span>,
      }),
      helper.accessor((session) => session.usage?.cpuPercent ?? -1, {
        id: "cpu",
        header: "CPU",
        sortFn: "basic",
        cell: ({ row }) => <Meter value={row.original.usage ? row.original.usage.cpuPercent : null} max={100} label={row.original.usage ? `${row.original.usage.cpuPercent.toFixed(1)}%` : "—"} />,
      }),
      helper.accessor((session) => session.usage?.memoryBytes ?? -1, {
        id: "memory",
        header: "Memory",
        sortFn: "basic",
        cell: ({ row }) => {
          const usage = row.original.usage;
          return (
            <Meter
              value={usage ? usage.memoryBytes : null}
              max={usage?.memoryLimitBytes ?? null}
              label={usage ? `${formatBytes(usage.memoryBytes)}${usage.memoryLimitBytes ? ` / ${formatBytes(usage.memoryLimitBytes)}` : ""}` : "—"}
            />
          );
        },
      }),
      helper.display({
        id: "actions",
        header: () => <span className="sr-only">Actions</span>,
        cell: ({ row }) => {
          const session = row.original;
          const email = session.user.email;
          return (
            <div className="flex items-center justify-end gap-1">
              <Tooltip content="Activity log">
                <Button size="icon" variant="ghost" onClick={() => setActivityOf(session)} aria-label={`Activity of ${email}`} data-testid={`session-activity-${email}`}>
                  <Activity aria-hidden />
                </Button>
              </Tooltip>
              <Tooltip content="Restart">
                <Button size="icon" variant="ghost" onClick={() => setConfirming({ kind: "restart", session })} disabled={restart.isPending} aria-label={`Restart ${email}'s sandbox`} data-testid={`session-restart-${email}`}>
                  <RotateCw aria-hidden />
                </Button>
              </Tooltip>
              <Button size="sm" variant="danger" onClick={() => setConfirming({ kind: "stop", session })} disabled={stop.isPending} data-testid={`session-stop-${email}`}>
                <Power aria-hidden />
                Stop
              </Button>
            </div>
          );
        },
      }),
    ] as DataTableColumn<AdminSession>[];
  }, [restart.isPending, stop.isPending]);

  const live = list.data?.filter((session) => session.state === "running" || session.state === "paused").length ?? 0;

  return (
    <TooltipProvider delayDuration={200}>
      <PageHeader
        title="Sessions"
        description={
          <>
            Every user&apos;s sandbox, refreshed every {REFRESH_MS / 1000} s. CPU and memory are measured now, for running containers. Stopping or restarting keeps the user&apos;s files; processes and kernel
            variables are reset.
          </>
        }
        actions={
          <span className="text-sm text-slate-600 dark:text-slate-400" data-testid="sessions-live-count">
            {list.data ? `${live} live · ${list.data.length} total` : null}
          </span>
        }
      />
      {list.error ? (
        <p role="alert" className="mb-4 text-sm text-rose-700 dark:text-rose-400">
          Could not load the sessions: {list.error.message}
        </p>
      ) : null}
      <DataTable
        label="Sandbox sessions"
        testId="sessions-table"
        columns={columns}
        data={list.data}
        loading={list.isPending}
        getRowId={(session) => session.id}
        rowTestId={(session) => `session-row-${session.user.email}`}
        empty="No sandboxes right now. They start when users open their workspace."
        initialSorting={[{ id: "lastActiveAt", desc: true }]}
      />
      <ConfirmDialog
        open={confirming !== null}
        onOpenChange={(open) => !open && setConfirming(null)}
        title={confirming?.kind === "stop" ? `Stop ${confirming.session.user.email}'s sandbox?` : `Restart ${confirming?.session.user.email ?? ""}'s sandbox?`}
        description={
          <p>
            {confirming?.kind === "stop" ? "The container is removed; it starts again when they next use it." : "The container is replaced with a fresh one on their current runtime and limits."} Running commands
            stop and Python variables are lost; files under /workspace stay.
          </p>
        }
        confirmLabel={confirming?.kind === "stop" ? "Stop sandbox" : "Restart sandbox"}
        tone={confirming?.kind === "stop" ? "danger" : "primary"}
        onConfirm={() => {
          if (!confirming) return;
          const input = { userId: confirming.session.user.id };
          if (confirming.kind === "stop") stop.mutate(input);
          else restart.mutate(input);
        }}
        testId="session-confirm"
      />
      <ActivityDialog session={activityOf} onClose={() => setActivityOf(null)} />
    </TooltipProvider>
  );
}

/** A number with a thin bar under it when there is a maximum. */
function Meter({ value, max, label }: { value: number | null; max: number | null; label: string }) {
  const percent = value !== null && max ? Math.min(100, (value / max) * 100) : null;
  return (
    <div className="flex w-28 flex-col gap-1">
      <span className="tabular-nums text-xs">{label}</span>
      {percent !== null ? (
        <div className="h-1 overflow-hidden rounded-full bg-slate-200 dark:bg-slate-800" aria-hidden>
          <div className={percent > 85 ? "h-full bg-rose-500" : percent > 60 ? "h-full bg-amber-500" : "h-full bg-emerald-500"} style={{ width: `${Math.max(2, percent)}%` }} />
        </div>
      ) : null}
    </div>
  );
}

function ActivityDialog({ session, onClose }: { session: AdminSession | null; onClose: () => void }) {
  const trpc = useTRPC();
  const activity = useQuery(trpc.admin.sessions.activity.queryOptions({ userId: session?.user.id ?? "" }, { enabled: session !== null, refetchInterval: REFRESH_MS }));
  return (
    <Dialog open={session !== null} onOpenChange={(open) => !open && onClose()}>
      <DialogContent title={`Activity of ${session?.user.email ?? ""}`} description="Their sandbox's history, newest first: who did what, and how it went." className="max-w-3xl" data-testid="activity-dialog">
        <div className="max-h-[60vh] overflow-y-auto rounded-lg border border-slate-200 dark:border-slate-800">
          {activity.isPending ? (
            <div className="flex flex-col gap-2 p-3">
              {[0, 1, 2, 3].map((index) => (
                <Skeleton key={index} className="h-5 w-full" />
              ))}
            </div>
          ) : activity.data?.length ? (
            <ol className="divide-y divide-slate-100 text-sm dark:divide-slate-800">
              {activity.data.map((event) => (
                <li key={event.id} className="flex items-start gap-3 px-3 py-2" data-testid="activity-row" data-action={event.action}>
                  <span className="w-32 shrink-0 text-xs text-slate-500" title={formatDateTime(event.createdAt)}>
                    {formatRelative(event.createdAt)}
                  </span>
                  <span className="flex min-w-0 flex-1 flex-col gap-0.5">
                    <span className="flex flex-wrap items-center gap-2">
                      <span className="font-mono text-xs font-medium">{event.action}</span>
                      <Badge tone={event.outcome === "ok" ? "success" : event.outcome === "denied" ? "warning" : "danger"}>{event.outcome}</Badge>
                      {event.actorId && event.actorId !== session?.user.id ? <span className="text-xs text-slate-500">by {event.actorEmail ?? "a deleted account"}</span> : null}
                    </span>
                    {event.detail ? <span className="truncate font-mono text-[11px] text-slate-500">{JSON.stringify(event.detail)}</span> : null}
                  </span>
                </li>
              ))}
            </ol>
          ) : (
            <p className="p-6 text-center text-sm text-slate-500">No activity recorded yet.</p>
          )}
        </div>
      </DialogContent>
    </Dialog>
  );
}
