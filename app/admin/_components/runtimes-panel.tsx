"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { AlertTriangle, CheckCircle2, Copy, Hammer, Loader2, MoreHorizontal, Pencil, Plus, ShieldCheck, Star, Trash2 } from "lucide-react";
import { useMemo, useState } from "react";
import { toast } from "../../_components/toaster";
import { ConfirmDialog } from "../../_components/ui/alert-dialog";
import { Badge } from "../../_components/ui/badge";
import { Button } from "../../_components/ui/button";
import { DataTable, dataTableColumns, type DataTableColumn } from "../../_components/ui/data-table";
import { Dialog, DialogContent, DialogFooter } from "../../_components/ui/dialog";
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuSeparator, DropdownMenuTrigger } from "../../_components/ui/dropdown-menu";
import { Input } from "../../_components/ui/input";
import { Label } from "../../_components/ui/label";
import { Switch } from "../../_components/ui/switch";
import { Tooltip, TooltipProvider } from "../../_components/ui/tooltip";
import { useTRPC } from "../../_trpc/client";
import { formatBytes, formatDateTime, formatRelative } from "../_lib/format";
import type { AdminRuntime } from "../_lib/types";
import { EMPTY_RUNTIME_FORM, formFromConfig, type RuntimeFormState } from "../_lib/runtime-form";
import { BuildDialog } from "./build-dialog";
import { PageHeader } from "./page-header";
import { RuntimeFormDialog } from "./runtime-form-dialog";

type Runtime = AdminRuntime;

const STATUS = {
  NOT_BUILT: { label: "Not built", tone: "neutral" },
  BUILDING: { label: "Building", tone: "info" },
  READY: { label: "Ready", tone: "success" },
  FAILED: { label: "Failed", tone: "danger" },
} as const;

type FormTarget = { kind: "create"; initial: RuntimeFormState } | { kind: "edit"; name: string; initial: RuntimeFormState };

export function RuntimesPanel() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(
    trpc.admin.runtimes.list.queryOptions(undefined, {
      // While something builds elsewhere (another admin, a first sandbox start), keep the table fresh.
      refetchInterval: (query) => (query.state.data?.some((runtime) => runtime.status === "BUILDING") ? 3_000 : 30_000),
    }),
  );
  const [formTarget, setFormTarget] = useState<FormTarget | null>(null);
  const [building, setBuilding] = useState<string | null>(null);
  const [duplicating, setDuplicating] = useState<Runtime | null>(null);
  const [deleting, setDeleting] = useState<Runtime | null>(null);

  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.admin.runtimes.list.queryKey() });
  const onError = (title: string) => (error: { message: string }) => toast.error(title, error.message);
  const setEnabled = useMutation(trpc.admin.runtimes.setEnabled.mutationOptions({ onSettled: refresh, onError: onError("Could not change the runtime") }));
  const setDefault = useMutation(
    trpc.admin.runtimes.setDefault.mutationOptions({
      onSuccess: (_data, { name }) => toast.success(`${name} is now the default runtime`),
      onSettled: refresh,
      onError: onError("Could not change the default"),
    }),
  );
  const remove = useMutation(
    trpc.admin.runtimes.delete.mutationOptions({
      onSuccess: (_data, { name }) => toast.success(`Runtime ${name} deleted`),
      onSettled: refresh,
      onError: onError("Could not delete the runtime"),
    }),
  );
  const verify = useMutation(
    trpc.admin.runtimes.verify.mutationOptions({
      onSuccess: (result, { name }) => (result.passed ? toast.success(`${name}: smoke check passed`, result.message) : toast.error(`${name}: smoke check failed`, result.message)),
      onError: onError("Could not run the smoke check"),
    }),
  );

  const columns = useMemo(() => {
    const helper = dataTableColumns<Runtime>();
    return [
      helper.accessor("name", {
        header: "Runtime",
        cell: ({ row }) => <RuntimeName runtime={row.original} />,
      }),
      helper.accessor("status", {
        header: "Status",
        cell: ({ row }) => <StatusBadge runtime={row.original} />,
      }),
      helper.accessor("imageSizeBytes", {
        header: "Image size",
        sortFn: "basic",
        cell: ({ getValue }) => <span className="tabular-nums">{formatBytes(getValue())}</span>,
      }),
      helper.accessor((runtime) => (runtime.lastBuiltAt ? new Date(runtime.lastBuiltAt).getTime() : 0), {
        id: "lastBuiltAt",
        header: "Last build",
        sortFn: "basic",
        cell: ({ row }) => <span title={formatDateTime(row.original.lastBuiltAt)}>{formatRelative(row.original.lastBuiltAt)}</span>,
      }),
      helper.accessor("sessions", {
        header: "In use",
        sortFn: "basic",
        cell: ({ row }) => (
          <span className="text-slate-600 dark:text-slate-400" data-testid={`runtime-usage-${row.original.name}`}>
            {row.original.sessions} running · {row.original.users} chose it
          </span>
        ),
      }),
      helper.display({
        id: "enabled",
        header: "Offered",
        cell: ({ row }) => (
          <Switch
            checked={row.original.enabled}
            disabled={setEnabled.isPending || (row.original.isDefault && row.original.enabled)}
            onCheckedChange={(enabled) => setEnabled.mutate({ name: row.original.name, enabled })}
            aria-label={`Offer ${row.original.name} to users`}
            title={row.original.isDefault ? "The default runtime is always offered" : undefined}
            data-testid={`runtime-enabled-${row.original.name}`}
          />
        ),
      }),
      helper.display({
        id: "actions",
        header: () => <span className="sr-only">Actions</span>,
        cell: ({ row }) => {
          const runtime = row.original;
          return (
            <div className="flex items-center justify-end gap-1">
              <Button size="sm" variant={runtime.status === "READY" ? "secondary" : "primary"} onClick={() => setBuilding(runtime.name)} data-testid={`runtime-build-${runtime.name}`}>
                {runtime.status === "BUILDING" ? <Loader2 className="animate-spin" aria-hidden /> : <Hammer aria-hidden />}
                {runtime.status === "BUILDING" ? "Watch" : "Build"}
              </Button>
              <DropdownMenu>
                <DropdownMenuTrigger asChild>
                  <Button size="icon" variant="ghost" aria-label={`More actions for ${runtime.name}`} data-testid={`runtime-actions-${runtime.name}`}>
                    <MoreHorizontal aria-hidden />
                  </Button>
                </DropdownMenuTrigger>
                <DropdownMenuContent>
                  <DropdownMenuItem
                    disabled={runtime.builtin || !runtime.config}
                    onSelect={() => runtime.config && setFormTarget({ kind: "edit", name: runtime.name, initial: formFromConfig(runtime.config) })}
                    data-testid={`runtime-edit-${runtime.name}`}
                  >
                    <Pencil aria-hidden />
                    {runtime.builtin ? "Edit (built-in: duplicate instead)" : "Edit"}
                  </DropdownMenuItem>
                  <DropdownMenuItem disabled={!runtime.config} onSelect={() => setDuplicating(runtime)} data-testid={`runtime-duplicate-${runtime.name}`}>
                    <Copy aria-hidden />
                    Duplicate
                  </DropdownMenuItem>
                  <DropdownMenuItem
                    disabled={runtime.isDefault || !runtime.enabled}
                    onSelect={() => setDefault.mutate({ name: runtime.name })}
                    data-testid={`runtime-default-${runtime.name}`}
                  >
                    <Star aria-hidden />
                    Make default
                  </DropdownMenuItem>
                  <DropdownMenuItem disabled={runtime.status !== "READY"} onSelect={() => verify.mutate({ name: runtime.name })} data-testid={`runtime-verify-${runtime.name}`}>
                    <ShieldCheck aria-hidden />
                    Run smoke check
                  </DropdownMenuItem>
                  <DropdownMenuSeparator />
                  <DropdownMenuItem tone="danger" disabled={runtime.builtin || runtime.isDefault} onSelect={() => setDeleting(runtime)} data-testid={`runtime-delete-${runtime.name}`}>
                    <Trash2 aria-hidden />
                    Delete
                  </DropdownMenuItem>
                </DropdownMenuContent>
              </DropdownMenu>
            </div>
          );
        },
      }),
    ] as DataTableColumn<Runtime>[];
  }, [setEnabled, setDefault, verify]);

  return (
    <TooltipProvider delayDuration={200}>
      <PageHeader
        title="Runtimes"
        description="The Docker environments users' sandboxes run in. Build a runtime before offering it; users pick among the offered ones, and the default serves everyone else."
        actions={
          <Button onClick={() => setFormTarget({ kind: "create", initial: EMPTY_RUNTIME_FORM })} data-testid="runtime-new">
            <Plus aria-hidden />
            New runtime
          </Button>
        }
      />
      {list.error ? (
        <p role="alert" className="mb-4 text-sm text-rose-700 dark:text-rose-400">
          Could not load the runtimes: {list.error.message}
        </p>
      ) : null}
      <DataTable
        label="Runtimes"
        testId="runtimes-table"
        columns={columns}
        data={list.data}
        loading={list.isPending}
        getRowId={(runtime) => runtime.name}
        rowTestId={(runtime) => `runtime-row-${runtime.name}`}
        empty="No runtimes yet. They appear here once the server has started."
      />

      <RuntimeFormDialog
        mode={formTarget?.kind === "edit" ? { kind: "edit", name: formTarget.name } : { kind: "create" }}
        initial={formTarget?.initial ?? EMPTY_RUNTIME_FORM}
        open={formTarget !== null}
        onOpenChange={(open) => !open && setFormTarget(null)}
        onSaved={(name, build) => {
          setFormTarget(null);
          if (build) setBuilding(name);
        }}
      />
      <BuildDialog name={building} onOpenChange={(open) => !open && setBuilding(null)} />
      <DuplicateDialog runtime={duplicating} onClose={() => setDuplicating(null)} />
      <ConfirmDialog
        open={deleting !== null}
        onOpenChange={(open) => !open && setDeleting(null)}
        title={`Delete ${deleting?.name ?? "runtime"}?`}
        description={
          <>
            <p>Its definition goes; users who chose it move to the default runtime at their next start. Their files are not touched.</p>
            {deleting?.sessions ? <p className="font-medium text-rose-700 dark:text-rose-400">{deleting.sessions} sandbox(es) run it now: stop them first.</p> : null}
          </>
        }
        confirmLabel="Delete"
        onConfirm={() => deleting && remove.mutate({ name: deleting.name })}
        testId="runtime-delete-confirm"
      />
    </TooltipProvider>
  );
}

function RuntimeName({ runtime }: { runtime: Runtime }) {
  return (
    <div className="flex min-w-0 max-w-96 flex-col gap-0.5 whitespace-normal py-0.5">
      <span className="flex flex-wrap items-center gap-1.5">
        <span className="font-medium text-slate-900 dark:text-slate-100">{runtime.name}</span>
        {runtime.isDefault ? (
          <Badge tone="accent" data-testid={`runtime-is-default-${runtime.name}`}>
            <Star aria-hidden />
            Default
          </Badge>
        ) : null}
        {runtime.builtin ? <Badge>Built-in</Badge> : null}
        {!runtime.enabled ? <Badge tone="warning">Hidden from users</Badge> : null}
      </span>
      {runtime.description ? <span className="line-clamp-1 text-xs text-slate-500 dark:text-slate-400">{runtime.description}</span> : null}
      <span className="line-clamp-1 font-mono text-[11px] text-slate-500 dark:text-slate-400" title={runtime.packages.join(" ")}>
        {runtime.packageManager}: {runtime.packages.length ? runtime.packages.join(" ") : "no extra packages"}
      </span>
    </div>
  );
}

function StatusBadge({ runtime }: { runtime: Runtime }) {
  const status = STATUS[runtime.status];
  const badge = (
    <Badge tone={status.tone} data-testid={`runtime-status-${runtime.name}`} data-status={runtime.status} tabIndex={runtime.buildError ? 0 : undefined}>
      {runtime.status === "BUILDING" ? <Loader2 className="animate-spin" aria-hidden /> : runtime.status === "READY" ? <CheckCircle2 aria-hidden /> : runtime.status === "FAILED" ? <AlertTriangle aria-hidden /> : null}
      {status.label}
    </Badge>
  );
  return runtime.buildError ? <Tooltip content={runtime.buildError}>{badge}</Tooltip> : badge;
}

function DuplicateDialog({ runtime, onClose }: { runtime: Runtime | null; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const [error, setError] = useState<string | null>(null);
  const duplicate = useMutation(
    trpc.admin.runtimes.duplicate.mutationOptions({
      onSuccess: async (created) => {
        await queryClient.invalidateQueries({ queryKey: trpc.admin.runtimes.list.queryKey() });
        toast.success(`Created ${created.name}`, "It is hidden from users until you build and offer it.");
        setName("");
        onClose();
      },
      onError: (caught) => setError(caught.data?.fieldErrors?.name?.[0] ? `${caught.data.fieldErrors.name[0]}` : caught.message),
    }),
  );
  return (
    <Dialog
      open={runtime !== null}
      onOpenChange={(open) => {
        if (!open) {
          setError(null);
          onClose();
        }
      }}
    >
      <DialogContent title={`Duplicate ${runtime?.name ?? ""}`} description="A copy with the same configuration under a new name, ready to edit." data-testid="duplicate-dialog">
        <form
          className="flex flex-col gap-1.5"
          onSubmit={(event) => {
            event.preventDefault();
            if (runtime) duplicate.mutate({ name: runtime.name, newName: name.trim() });
          }}
        >
          <Label htmlFor="duplicate-name">New name</Label>
          <Input
            id="duplicate-name"
            value={name}
            onChange={(event) => {
              setName(event.target.value);
              setError(null);
            }}
            placeholder={runtime ? `${runtime.name}-copy` : ""}
            aria-invalid={!!error}
            aria-describedby={error ? "duplicate-error" : undefined}
            autoFocus
            data-testid="duplicate-name"
          />
          {error ? (
            <p id="duplicate-error" role="alert" className="text-xs text-rose-700 dark:text-rose-400" data-testid="duplicate-error">
              {error}
            </p>
          ) : null}
          <DialogFooter>
            <Button type="submit" disabled={!name.trim() || duplicate.isPending} data-testid="duplicate-submit">
              Duplicate
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
