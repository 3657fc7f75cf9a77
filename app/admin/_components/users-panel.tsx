"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useSession } from "next-auth/react";
import { Gauge } from "lucide-react";
import { useMemo, useState } from "react";
import { toast } from "../../_components/toaster";
import { Badge } from "../../_components/ui/badge";
import { Button } from "../../_components/ui/button";
import { DataTable, dataTableColumns, type DataTableColumn } from "../../_components/ui/data-table";
import { Dialog, DialogContent, DialogFooter } from "../../_components/ui/dialog";
import { Input } from "../../_components/ui/input";
import { Label } from "../../_components/ui/label";
import { Select } from "../../_components/ui/select";
import { useTRPC } from "../../_trpc/client";
import { formatBytes, formatDateTime, formatRelative } from "../_lib/format";
import type { AdminUser } from "../_lib/types";
import { PageHeader } from "./page-header";

export function UsersPanel({ defaults }: { defaults: { memoryMb: number; cpus: number } }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const session = useSession();
  const me = session.data?.user?.id ?? null;
  const list = useQuery(trpc.admin.users.list.queryOptions());
  const disk = useQuery(trpc.admin.users.diskQuota.queryOptions());
  const [editing, setEditing] = useState<AdminUser | null>(null);
  const setRole = useMutation(
    trpc.admin.users.setRole.mutationOptions({
      onSuccess: (_data, { role }) => toast.success(role === "ADMIN" ? "Made an admin" : "Now a regular user"),
      onError: (error) => toast.error("Could not change the role", error.message),
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.admin.users.list.queryKey() }),
    }),
  );

  const columns = useMemo(() => {
    const helper = dataTableColumns<AdminUser>();
    return [
      helper.accessor("email", {
        header: "User",
        cell: ({ row }) => (
          <div className="flex flex-col">
            <span className="flex items-center gap-1.5 font-medium text-slate-900 dark:text-slate-100">
              {row.original.email}
              {row.original.id === me ? <Badge>You</Badge> : null}
            </span>
            {row.original.name ? <span className="text-xs text-slate-500">{row.original.name}</span> : null}
          </div>
        ),
      }),
      helper.accessor("role", {
        header: "Role",
        cell: ({ row }) => (
          <Select
            className="w-32"
            aria-label={`Role of ${row.original.email}`}
            value={row.original.role}
            disabled={row.original.id === me || setRole.isPending}
            title={row.original.id === me ? "You cannot change your own role" : undefined}
            onChange={(event) => setRole.mutate({ userId: row.original.id, role: event.target.value as "USER" | "ADMIN" })}
            data-testid={`user-role-${row.original.email}`}
          >
            <option value="USER">User</option>
            <option value="ADMIN">Admin</option>
          </Select>
        ),
      }),
      helper.accessor("sandbox", {
        header: "Sandbox",
        cell: ({ getValue }) => {
          const state = getValue();
          return <Badge tone={state === "live" ? "success" : "neutral"}>{state === "live" ? "Live" : state === "asleep" ? "Asleep" : "None"}</Badge>;
        },
      }),
      helper.accessor((user) => user.runtimeName ?? "", {
        id: "runtime",
        header: "Runtime",
        cell: ({ row }) => <span className="font-mono text-xs">{row.original.runtimeName ?? <span className="font-sans text-slate-500">default</span>}</span>,
      }),
      helper.display({
        id: "limits",
        header: "Limits",
        cell: ({ row }) => (
          <span className="text-xs" data-testid={`user-limits-value-${row.original.email}`}>
            {row.original.memoryLimitMb ?? defaults.memoryMb} MB · {row.original.cpuLimit ?? defaults.cpus} CPU
            {row.original.memoryLimitMb === null && row.original.cpuLimit === null ? <span className="text-slate-500"> (platform)</span> : null}
          </span>
        ),
      }),
      helper.accessor((user) => user.disk?.usedBytes ?? -1, {
        id: "disk",
        header: "Disk",
        sortFn: "basic",
        cell: ({ row }) => <DiskCell user={row.original} defaultMb={disk.data?.defaultMb ?? null} />,
      }),
      helper.accessor((user) => new Date(user.createdAt).getTime(), {
        id: "createdAt",
        header: "Joined",
        sortFn: "basic",
        cell: ({ row }) => <span title={formatDateTime(row.original.createdAt)}>{formatRelative(row.original.createdAt)}</span>,
      }),
      helper.display({
        id: "actions",
        header: () => <span className="sr-only">Actions</span>,
        cell: ({ row }) => (
          <div className="flex justify-end">
            <Button size="sm" variant="secondary" onClick={() => setEditing(row.original)} data-testid={`user-limits-${row.original.email}`}>
              <Gauge aria-hidden />
              Limits
            </Button>
          </div>
        ),
      }),
    ] as DataTableColumn<AdminUser>[];
  }, [me, setRole, defaults, disk.data]);

  return (
    <>
      <PageHeader
        title="Users"
        description="Accounts, their role, the memory and CPU their sandbox may use, and their workspace's disk quota. Memory and CPU apply when the sandbox next starts (restart it from Sessions to apply now); a larger disk quota applies at once where the server allows it."
        actions={disk.data ? <DefaultDiskQuota defaultMb={disk.data.defaultMb} /> : null}
      />
      {disk.data && !disk.data.support.enforced ? (
        <p role="status" className="mb-4 text-sm text-amber-700 dark:text-amber-400" data-testid="disk-quota-off">
          Disk quotas are not enforced on this server: {disk.data.support.reason}.
        </p>
      ) : null}
      {list.error ? (
        <p role="alert" className="mb-4 text-sm text-rose-700 dark:text-rose-400">
          Could not load the users: {list.error.message}
        </p>
      ) : null}
      <DataTable
        label="Users"
        testId="users-table"
        columns={columns}
        data={list.data}
        loading={list.isPending}
        getRowId={(user) => user.id}
        rowTestId={(user) => `user-row-${user.email}`}
        empty="No users yet."
      />
      <LimitsDialog user={editing} defaults={{ ...defaults, diskMb: disk.data?.defaultMb ?? null }} onClose={() => setEditing(null)} />
    </>
  );
}

type LimitDefaults = { memoryMb: number; cpus: number; diskMb: number | null };

function LimitsDialog({ user, defaults, onClose }: { user: AdminUser | null; defaults: LimitDefaults; onClose: () => void }) {
  return (
    <Dialog open={user !== null} onOpenChange={(open) => !open && onClose()}>
      <DialogContent title={`Sandbox limits for ${user?.email ?? ""}`} description="Leave a field empty to use the platform's default. Memory and CPU apply at the sandbox's next start." data-testid="limits-dialog">
        {user ? <LimitsForm key={user.id} user={user} defaults={defaults} onDone={onClose} /> : null}
      </DialogContent>
    </Dialog>
  );
}

function LimitsForm({ user, defaults, onDone }: { user: AdminUser; defaults: LimitDefaults; onDone: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [memory, setMemory] = useState(user.memoryLimitMb?.toString() ?? "");
  const [cpus, setCpus] = useState(user.cpuLimit?.toString() ?? "");
  const [diskMb, setDiskMb] = useState(user.diskQuotaMb?.toString() ?? "");
  const [errors, setErrors] = useState<Record<string, string[] | undefined>>({});
  const save = useMutation(
    trpc.admin.users.setLimits.mutationOptions({
      onSuccess: async ({ diskPending }) => {
        await queryClient.invalidateQueries({ queryKey: trpc.admin.users.list.queryKey() });
        toast.success(
          "Limits saved",
          diskPending ? "They apply when the sandbox next starts, the disk quota too." : "Memory and CPU apply when the sandbox next starts.",
        );
        onDone();
      },
      onError: (error) => setErrors(error.data?.fieldErrors ?? { form: [error.message] }),
    }),
  );
  const parse = (text: string) => (text.trim() === "" ? null : Number(text));
  return (
    <form
      className="flex flex-col gap-4"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        const memoryMb = parse(memory);
        const cpuCount = parse(cpus);
        const disk = parse(diskMb);
        const local: Record<string, string[]> = {};
        if (memoryMb !== null && !Number.isFinite(memoryMb)) local.memoryMb = ["Enter a number of megabytes."];
        if (cpuCount !== null && !Number.isFinite(cpuCount)) local.cpus = ["Enter a number of CPUs, e.g. 0.5."];
        if (disk !== null && !Number.isFinite(disk)) local.diskMb = ["Enter a number of megabytes."];
        if (Object.keys(local).length) return setErrors(local);
        save.mutate({ userId: user.id, memoryMb, cpus: cpuCount, diskMb: disk });
      }}
    >
      <div className="grid grid-cols-2 gap-4">
        <LimitField id="memory" label="Memory (MB)" value={memory} onChange={setMemory} placeholder={`${defaults.memoryMb} (platform)`} errors={errors.memoryMb} />
        <LimitField id="cpus" label="CPUs" value={cpus} onChange={setCpus} placeholder={`${defaults.cpus} (platform)`} errors={errors.cpus} decimal />
        <LimitField
          id="disk"
          label="Disk quota (MB)"
          value={diskMb}
          onChange={setDiskMb}
          placeholder={defaults.diskMb === null ? "default" : `${defaults.diskMb} (default)`}
          errors={errors.diskMb}
        />
      </div>
      {errors.form ? (
        <p role="alert" className="text-sm text-rose-700 dark:text-rose-400">
          {errors.form.join(" ")}
        </p>
      ) : null}
      <DialogFooter>
        <Button type="submit" disabled={save.isPending} data-testid="limits-save">
          Save limits
        </Button>
      </DialogFooter>
    </form>
  );
}

function LimitField(props: { id: string; label: string; value: string; onChange: (value: string) => void; placeholder: string; errors?: string[]; decimal?: boolean }) {
  const inputId = `limits-${props.id}`;
  return (
    <div className="flex flex-col gap-1.5">
      <Label htmlFor={inputId}>{props.label}</Label>
      <Input
        id={inputId}
        inputMode={props.decimal ? "decimal" : "numeric"}
        value={props.value}
        onChange={(event) => props.onChange(event.target.value)}
        placeholder={props.placeholder}
        aria-invalid={!!props.errors}
        aria-describedby={props.errors ? `${inputId}-error` : undefined}
        data-testid={inputId}
      />
      {props.errors ? (
        <p id={`${inputId}-error`} role="alert" className="text-xs text-rose-700 dark:text-rose-400">
          {props.errors.join(" ")}
        </p>
      ) : null}
    </div>
  );
}

/** A user's disk: used of total as a small bar, and whether the quota is theirs or the default. */
function DiskCell({ user, defaultMb }: { user: AdminUser; defaultMb: number | null }) {
  const quotaMb = user.diskQuotaMb ?? defaultMb;
  const quota = quotaMb === null ? "—" : `${formatBytes(quotaMb * 1024 * 1024)} quota${user.diskQuotaMb === null ? " (default)" : ""}`;
  if (!user.disk) return <span className="text-xs text-slate-500" data-testid={`user-disk-${user.email}`}>{quota}</span>;
  const ratio = Math.min(1, user.disk.usedBytes / Math.max(1, user.disk.totalBytes));
  return (
    <div className="flex w-36 flex-col gap-1 text-xs" data-testid={`user-disk-${user.email}`} title={quota}>
      <span>
        {formatBytes(user.disk.usedBytes)} of {formatBytes(user.disk.totalBytes)}
      </span>
      <span className="h-1.5 overflow-hidden rounded-full bg-slate-200 dark:bg-slate-800" aria-hidden>
        <span className={`block h-full ${ratio > 0.9 ? "bg-amber-500" : "bg-sky-600"}`} style={{ width: `${(ratio * 100).toFixed(1)}%` }} />
      </span>
    </div>
  );
}

/** The quota every user without their own gets; it applies to each workspace at its sandbox's next start. */
function DefaultDiskQuota({ defaultMb }: { defaultMb: number }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [value, setValue] = useState(String(defaultMb));
  const save = useMutation(
    trpc.admin.users.setDefaultDiskQuota.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.admin.users.diskQuota.queryKey() });
        toast.success("Default disk quota saved", "Each workspace gets it at its sandbox's next start.");
      },
      onError: (error) => toast.error("Could not save the default disk quota", error.message),
    }),
  );
  return (
    <form
      className="flex items-end gap-2"
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate({ defaultMb: Number(value) });
      }}
    >
      <div className="flex flex-col gap-1.5">
        <Label htmlFor="default-disk-quota">Default disk quota (MB)</Label>
        <Input id="default-disk-quota" className="w-32" inputMode="numeric" value={value} onChange={(event) => setValue(event.target.value)} data-testid="default-disk-quota" />
      </div>
      <Button type="submit" variant="secondary" disabled={save.isPending || value === String(defaultMb)} data-testid="default-disk-quota-save">
        Save
      </Button>
    </form>
  );
}
