"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Check, Info, Loader2 } from "lucide-react";
import { useState } from "react";
import { toast } from "../../_components/toaster";
import { Badge } from "../../_components/ui/badge";
import { Button } from "../../_components/ui/button";
import { Card } from "../../_components/ui/card";
import { Skeleton } from "../../_components/ui/skeleton";
import { cn } from "../../_lib/cn";
import { useTRPC } from "../../_trpc/client";

/** The user's "Sandbox runtime": pick among the runtimes an admin offers. */
export function RuntimePicker() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const available = useQuery(trpc.runtimes.available.queryOptions());
  const [switching, setSwitching] = useState<string | null>(null);
  const choose = useMutation(
    trpc.runtimes.choose.mutationOptions({
      onMutate: ({ name }) => setSwitching(name ?? "default"),
      onSuccess: (status) =>
        toast.success(
          `Your sandbox now runs ${status.runtime}`,
          status.state === "running" ? "It restarted; your files are where you left them." : "It starts on the new runtime when you next use it; your files are kept.",
        ),
      onError: (error) => toast.error("Could not switch the runtime", error.message),
      onSettled: async () => {
        setSwitching(null);
        await Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.runtimes.available.queryKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.sandbox.status.queryKey() }),
        ]);
      },
    }),
  );

  return (
    <Card className="p-6" aria-labelledby="runtime-picker-title">
      <h2 id="runtime-picker-title" className="text-base font-semibold">
        Sandbox runtime
      </h2>
      <p className="mt-1 flex items-start gap-2 text-sm text-slate-600 dark:text-slate-400">
        <Info className="mt-0.5 size-4 shrink-0" aria-hidden />
        <span>
          The software your sandbox comes with. Switching restarts your sandbox: running commands stop and Python variables are reset, but every file in your workspace is kept.
        </span>
      </p>
      <div className="mt-5 flex flex-col gap-3" role="list" aria-label="Runtimes" data-testid="runtime-options">
        {available.isPending
          ? [0, 1, 2].map((index) => <Skeleton key={index} className="h-20 w-full" />)
          : available.data?.runtimes.map((runtime) => {
              const current = available.data.current === runtime.name;
              return (
                <div
                  key={runtime.name}
                  role="listitem"
                  className={cn(
                    "flex items-start justify-between gap-4 rounded-lg border p-4",
                    current ? "border-sky-400 bg-sky-50/60 dark:border-sky-700 dark:bg-sky-950/30" : "border-slate-200 dark:border-slate-800",
                  )}
                  data-testid={`runtime-option-${runtime.name}`}
                  data-current={current}
                >
                  <div className="flex min-w-0 flex-col gap-1">
                    <span className="flex flex-wrap items-center gap-2">
                      <span className="font-medium">{runtime.name}</span>
                      {runtime.isDefault ? <Badge tone="accent">Default</Badge> : null}
                      {current ? (
                        <Badge tone="info" data-testid="runtime-current">
                          <Check aria-hidden />
                          Current
                        </Badge>
                      ) : null}
                      {!runtime.ready ? <Badge tone="warning">Prepared on first start (may take minutes)</Badge> : null}
                    </span>
                    {runtime.description ? <span className="text-sm text-slate-600 dark:text-slate-400">{runtime.description}</span> : null}
                    {runtime.packages.length ? (
                      <span className="flex flex-wrap gap-1 pt-1">
                        {runtime.packages.map((name) => (
                          <span key={name} className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-[11px] text-slate-700 dark:bg-slate-800 dark:text-slate-300">
                            {name}
                          </span>
                        ))}
                      </span>
                    ) : null}
                  </div>
                  <Button
                    variant={current ? "secondary" : "primary"}
                    size="sm"
                    disabled={current || choose.isPending}
                    onClick={() => choose.mutate({ name: runtime.name })}
                    aria-label={current ? `${runtime.name} is your runtime` : `Switch to ${runtime.name}`}
                    className="shrink-0 whitespace-nowrap"
                    data-testid={`runtime-choose-${runtime.name}`}
                  >
                    {switching === runtime.name ? <Loader2 className="animate-spin" aria-hidden /> : null}
                    {current ? "In use" : switching === runtime.name ? "Switching…" : "Switch"}
                  </Button>
                </div>
              );
            })}
        {available.error ? (
          <p role="alert" className="text-sm text-rose-700 dark:text-rose-400">
            Could not load the runtimes: {available.error.message}
          </p>
        ) : null}
      </div>
      {available.data?.chosen ? (
        <div className="mt-4 flex justify-end">
          <Button variant="ghost" size="sm" disabled={choose.isPending} onClick={() => choose.mutate({ name: null })} data-testid="runtime-use-default">
            Follow the default runtime instead
          </Button>
        </div>
      ) : null}
    </Card>
  );
}
