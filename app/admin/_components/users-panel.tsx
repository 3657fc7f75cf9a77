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
import { formatDateTime, formatRelative } from "../_lib/format";
import type { AdminUser } from "../_lib/types";
import { PageHeader } from "./page-header";

export function UsersPanel({ defaults }: { defaults: { memoryMb: number; cpus: number } }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const session = useSession();
  const me = session.data?.user?.id ?? null;
  const list = useQuery(trpc.admin.users.list.queryOptions());
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
  }, [me, setRole, defaults]);

  return (
    <>
      <PageHeader title="Users" description="Accounts, their role, and the memory and CPU their sandbox may use. New limits apply when the sandbox next starts (restart it from Sessions to apply now)." />
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
      <LimitsDialog user={editing} defaults={defaults} onClose={() => setEditing(null)} />
    </>
  );
}

function LimitsDialog({ user, defaults, onClose }: { user: AdminUser | null; defaults: { memoryMb: number; cpus: number }; onClose: () => void }) {
  return (
    <Dialog open={user !== null} onOpenChange={(open) => !open && onClose()}>
      <DialogContent title={`Sandbox limits for ${user?.email ?? ""}`} description="Leave a field empty to use the platform's default. Applies at the sandbox's next start." data-testid="limits-dialog">
        {user ? <LimitsForm key={user.id} user={user} defaults={defaults} onDone={onClose} /> : null}
      </DialogContent>
    </Dialog>
  );
}

function LimitsForm({ user, defaults, onDone }: { user: AdminUser; defaults: { memoryMb: number; cpus: number }; onDone: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [memory, setMemory] = useState(user.memoryLimitMb?.toString() ?? "");
  const [cpus, setCpus] = useState(user.cpuLimit?.toString() ?? "");
  const [errors, setErrors] = useState<Record<string, string[] | undefined>>({});
  const save = useMutation(
    trpc.admin.users.setLimits.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.admin.users.list.queryKey() });
        toast.success("Limits saved", "They apply when the sandbox next starts.");
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
        const local: Record<string, string[]> = {};
        if (memoryMb !== null && !Number.isFinite(memoryMb)) local.memoryMb = ["Enter a number of megabytes."];
        if (cpuCount !== null && !Number.isFinite(cpuCount)) local.cpus = ["Enter a number of CPUs, e.g. 0.5."];
        if (Object.keys(local).length) return setErrors(local);
        save.mutate({ userId: user.id, memoryMb, cpus: cpuCount });
      }}
    >
      <div className="grid grid-cols-2 gap-4">
        <div className="flex flex-col gap-1.5">
          <Label htmlFor="limits-memory">Memory (MB)</Label>
          <Input
            id="limits-memory"
            inputMode="numeric"
            value={memory}
            onChange={(event) => setMemory(event.target.value)}
            placeholder={`${defaults.memoryMb} (platform)`}
            aria-invalid={!!errors.memoryMb}
            aria-describedby={errors.memoryMb ? "limits-memory-error" : undefined}
            data-testid="limits-memory"
          />
          {errors.memoryMb ? (
            <p id="limits-memory-error" role="alert" className="text-xs text-rose-700 dark:text-rose-400">
              {errors.memoryMb.join(" ")}
            </p>
          ) : null}
        </div>
        <div className="flex flex-col gap-1.5">
          <Label htmlFor="limits-cpus">CPUs</Label>
          <Input
            id="limits-cpus"
            inputMode="decimal"
            value={cpus}
            onChange={(event) => setCpus(event.target.value)}
            placeholder={`${defaults.cpus} (platform)`}
            aria-invalid={!!errors.cpus}
            aria-describedby={errors.cpus ? "limits-cpus-error" : undefined}
            data-testid="limits-cpus"
          />
          {errors.cpus ? (
            <p id="limits-cpus-error" role="alert" className="text-xs text-rose-700 dark:text-rose-400">
              {errors.cpus.join(" ")}
            </p>
          ) : null}
        </div>
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
