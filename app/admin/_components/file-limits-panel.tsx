"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Loader2 } from "lucide-react";
import { useState } from "react";
import { toast } from "../../_components/toaster";
import { Button } from "../../_components/ui/button";
import { Card } from "../../_components/ui/card";
import { Input } from "../../_components/ui/input";
import { Label } from "../../_components/ui/label";
import { Skeleton } from "../../_components/ui/skeleton";
import { useTRPC } from "../../_trpc/client";
import type { FileLimits } from "../_lib/types";

/** The largest download (a file, or a folder as a tar), in MB. */
export function FileLimitsPanel() {
  const trpc = useTRPC();
  const limits = useQuery(trpc.admin.settings.fileLimits.queryOptions());
  return (
    <Card className="mt-6 max-w-2xl p-6" data-testid="file-limits-panel">
      <h2 className="text-base font-semibold">File limits</h2>
      {limits.data ? (
        <FileLimitsForm key={JSON.stringify(limits.data)} limits={limits.data} />
      ) : limits.error ? (
        <p role="alert" className="mt-4 text-sm text-rose-700 dark:text-rose-400">
          Could not load the file limits: {limits.error.message}
        </p>
      ) : (
        <Skeleton className="mt-4 h-9 w-full" />
      )}
    </Card>
  );
}

function FileLimitsForm({ limits }: { limits: FileLimits }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [downloadMaxMb, setDownloadMaxMb] = useState(String(limits.downloadMaxMb));
  const [errors, setErrors] = useState<Record<string, string[] | undefined>>({});
  const save = useMutation(
    trpc.admin.settings.updateFileLimits.mutationOptions({
      onSuccess: (saved) => {
        queryClient.setQueryData(trpc.admin.settings.fileLimits.queryKey(), saved);
        toast.success("File limits saved", "The next download uses them.");
      },
      onError: (error) => {
        setErrors(error.data?.fieldErrors ?? {});
        toast.error("Could not save the file limits", error.message);
      },
    }),
  );

  return (
    <form
      className="mt-4 flex flex-col gap-4"
      noValidate
      data-testid="file-limits-form"
      onSubmit={(event) => {
        event.preventDefault();
        setErrors({});
        const value = Number(downloadMaxMb.trim());
        // An empty or non-numeric field goes to the server as NaN and comes back with the server's message.
        save.mutate({ downloadMaxMb: downloadMaxMb.trim() === "" ? Number.NaN : value });
      }}
    >
      <div className="flex flex-col gap-1.5">
        <Label htmlFor="download-max-mb">Largest download (MB)</Label>
        <Input
          id="download-max-mb"
          type="number"
          inputMode="numeric"
          min={1}
          step={1}
          value={downloadMaxMb}
          onChange={(event) => setDownloadMaxMb(event.target.value)}
          aria-invalid={!!errors.downloadMaxMb}
          aria-describedby="download-max-mb-help"
          className="max-w-48"
          data-testid="download-max-mb"
        />
        <p id="download-max-mb-help" className="text-xs text-slate-600 dark:text-slate-400">
          Files larger than this are refused; a folder&apos;s download stops when it passes this size.
        </p>
        {errors.downloadMaxMb?.length ? (
          <p role="alert" className="text-xs text-rose-700 dark:text-rose-400">
            {errors.downloadMaxMb.join(" ")}
          </p>
        ) : null}
      </div>
      <div className="flex justify-end border-t border-slate-200 pt-4 dark:border-slate-800">
        <Button type="submit" disabled={save.isPending} data-testid="file-limits-save">
          {save.isPending ? <Loader2 className="animate-spin" aria-hidden /> : null}
          Save
        </Button>
      </div>
    </form>
  );
}
