"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { TRPCClientError } from "@trpc/client";
import { Hammer, Loader2 } from "lucide-react";
import { useId, useState, type ReactNode } from "react";
import { toast } from "../../_components/toaster";
import { Button } from "../../_components/ui/button";
import { Dialog, DialogContent, DialogFooter } from "../../_components/ui/dialog";
import { Input } from "../../_components/ui/input";
import { Label } from "../../_components/ui/label";
import { Select } from "../../_components/ui/select";
import { Switch } from "../../_components/ui/switch";
import { Textarea } from "../../_components/ui/textarea";
import { cn } from "../../_lib/cn";
import { useTRPC } from "../../_trpc/client";
import type { AppRouter } from "~/server/api/root";
import { formErrorsFrom, validateRuntimeForm, type FormErrors, type RuntimeFormField, type RuntimeFormState } from "../_lib/runtime-form";

type Mode = { kind: "create" } | { kind: "edit"; name: string };

type Props = {
  mode: Mode;
  initial: RuntimeFormState;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** After a save; `build` when the admin chose "Save and build". */
  onSaved: (name: string, build: boolean) => void;
};

export function RuntimeFormDialog({ mode, initial, open, onOpenChange, onSaved }: Props) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent
        title={mode.kind === "create" ? "New runtime" : `Edit ${mode.name}`}
        description="A Docker environment users' sandboxes run in. Packages are installed when it is built; the smoke check must pass before the image is used."
        className="max-h-[calc(100vh-2rem)] max-w-2xl overflow-y-auto"
        data-testid="runtime-form-dialog"
      >
        {/* Keyed so reopening starts from the given values. */}
        {open ? <RuntimeForm key={JSON.stringify(initial)} mode={mode} initial={initial} onCancel={() => onOpenChange(false)} onSaved={onSaved} /> : null}
      </DialogContent>
    </Dialog>
  );
}

function RuntimeForm({ mode, initial, onCancel, onSaved }: { mode: Mode; initial: RuntimeFormState; onCancel: () => void; onSaved: Props["onSaved"] }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [form, setForm] = useState(initial);
  const [errors, setErrors] = useState<FormErrors>({});
  const [advanced, setAdvanced] = useState(!!(initial.baseImage || initial.image || initial.setupCommands || initial.memoryMb || initial.cpus || initial.pids || initial.network));
  const create = useMutation(trpc.admin.runtimes.create.mutationOptions());
  const update = useMutation(trpc.admin.runtimes.update.mutationOptions());
  const pending = create.isPending || update.isPending;

  const set = <K extends keyof RuntimeFormState>(key: K, value: RuntimeFormState[K]) => {
    setForm((current) => ({ ...current, [key]: value }));
    if (errors[key]) setErrors(({ [key]: _removed, ...rest }) => rest);
  };

  async function submit(build: boolean) {
    const { config, errors: invalid } = validateRuntimeForm(form);
    if (invalid) {
      setErrors(invalid);
      if (invalid.memoryMb || invalid.cpus || invalid.pids || invalid.baseImage || invalid.image || invalid.setupCommands || invalid.network) setAdvanced(true);
      return;
    }
    setErrors({});
    try {
      const saved = mode.kind === "create" ? await create.mutateAsync({ config }) : await update.mutateAsync({ name: mode.name, config });
      await queryClient.invalidateQueries({ queryKey: trpc.admin.runtimes.list.queryKey() });
      toast.success(mode.kind === "create" ? `Runtime ${saved.name} created` : `Runtime ${saved.name} saved`, build ? "Building it now." : "Build it to make it usable.");
      onSaved(saved.name, build);
    } catch (error) {
      const fieldErrors = error instanceof TRPCClientError ? (error as TRPCClientError<AppRouter>).data?.fieldErrors : undefined;
      if (fieldErrors && Object.keys(fieldErrors).length) setErrors(formErrorsFrom(fieldErrors, form));
      else setErrors({ form: [error instanceof Error ? error.message : "Could not save the runtime."] });
    }
  }

  return (
    <form
      className="flex flex-col gap-4"
      data-testid="runtime-form"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void submit(false);
      }}
    >
      {errors.form ? (
        <div role="alert" className="rounded-md border border-rose-300 bg-rose-50 px-3 py-2 text-sm text-rose-800 dark:border-rose-900 dark:bg-rose-950/50 dark:text-rose-200" data-testid="runtime-error-form">
          {errors.form.map((message) => (
            <p key={message}>{message}</p>
          ))}
        </div>
      ) : null}
      <div className="grid gap-4 sm:grid-cols-2">
        <Field field="name" label="Name" errors={errors} hint={mode.kind === "edit" ? "A runtime keeps its name; duplicate it to rename." : "Lowercase letters, digits, '.', '_' and '-'."}>
          {(props) => (
            <Input {...props} value={form.name} onChange={(event) => set("name", event.target.value)} disabled={mode.kind === "edit"} placeholder="jq-tools" autoComplete="off" autoFocus={mode.kind === "create"} />
          )}
        </Field>
        <Field field="packageManager" label="Package manager" errors={errors}>
          {(props) => (
            <Select {...props} value={form.packageManager} onChange={(event) => set("packageManager", event.target.value as RuntimeFormState["packageManager"])}>
              <option value="apt">apt (Debian packages)</option>
              <option value="pip">pip (Python)</option>
              <option value="npm">npm (Node.js, global)</option>
              <option value="cargo">cargo (Rust)</option>
            </Select>
          )}
        </Field>
      </div>
      <Field field="description" label="Description" errors={errors} hint="Shown to users when they pick a runtime, and to the agent.">
        {(props) => <Input {...props} value={form.description} onChange={(event) => set("description", event.target.value)} placeholder="jq and friends for JSON work" />}
      </Field>
      <Field field="packages" label="Packages" errors={errors} hint="Separated by spaces, commas or new lines. Versions as the package manager writes them (pandas==2.2, lodash@4).">
        {(props) => <Textarea {...props} rows={3} value={form.packages} onChange={(event) => set("packages", event.target.value)} placeholder="jq" spellCheck={false} />}
      </Field>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field field="smokeCheck" label="Smoke check" errors={errors} hint="Runs as the sandbox user after a build; a non-zero exit fails the build.">
          {(props) => <Input {...props} value={form.smokeCheck} onChange={(event) => set("smokeCheck", event.target.value)} placeholder="jq --version" className="font-mono" spellCheck={false} />}
        </Field>
        <Field field="envVars" label="Environment variables" errors={errors} hint="NAME=value, one per line.">
          {(props) => <Textarea {...props} rows={2} value={form.envVars} onChange={(event) => set("envVars", event.target.value)} placeholder="PYTHONUNBUFFERED=1" spellCheck={false} />}
        </Field>
      </div>

      <button
        type="button"
        className="self-start rounded text-sm font-medium text-sky-700 hover:underline focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-sky-500 dark:text-sky-400"
        aria-expanded={advanced}
        onClick={() => setAdvanced((value) => !value)}
        data-testid="runtime-form-advanced"
      >
        {advanced ? "Hide advanced options" : "Advanced: base image, setup commands, network, limits"}
      </button>
      {advanced ? (
        <div className="flex flex-col gap-4 rounded-lg border border-slate-200 p-4 dark:border-slate-800">
          <div className="grid gap-4 sm:grid-cols-2">
            <Field field="baseImage" label="Base image" errors={errors} hint="Built on; default: the platform's Debian bookworm image.">
              {(props) => <Input {...props} value={form.baseImage} onChange={(event) => set("baseImage", event.target.value)} placeholder="debian:bookworm-slim" spellCheck={false} />}
            </Field>
            <Field field="image" label="Ready-made image" errors={errors} hint="Used as it is, nothing built (instead of packages).">
              {(props) => <Input {...props} value={form.image} onChange={(event) => set("image", event.target.value)} placeholder="registry:5000/team/image:tag" spellCheck={false} />}
            </Field>
          </div>
          <Field field="setupCommands" label="Setup commands" errors={errors} hint="Run as root at build time, before packages are installed. One per line.">
            {(props) => <Textarea {...props} rows={2} value={form.setupCommands} onChange={(event) => set("setupCommands", event.target.value)} spellCheck={false} />}
          </Field>
          <div className="grid gap-4 sm:grid-cols-4">
            <Field field="memoryMb" label="Memory (MB)" errors={errors}>
              {(props) => <Input {...props} inputMode="numeric" value={form.memoryMb} onChange={(event) => set("memoryMb", event.target.value)} placeholder="platform" />}
            </Field>
            <Field field="cpus" label="CPUs" errors={errors}>
              {(props) => <Input {...props} inputMode="decimal" value={form.cpus} onChange={(event) => set("cpus", event.target.value)} placeholder="platform" />}
            </Field>
            <Field field="pids" label="Processes" errors={errors}>
              {(props) => <Input {...props} inputMode="numeric" value={form.pids} onChange={(event) => set("pids", event.target.value)} placeholder="platform" />}
            </Field>
            <Field field="workDir" label="Work dir" errors={errors}>
              {(props) => <Input {...props} value={form.workDir} onChange={(event) => set("workDir", event.target.value)} spellCheck={false} />}
            </Field>
          </div>
          <div className="flex items-center gap-3">
            <Switch id="runtime-network" checked={form.network} onCheckedChange={(value) => set("network", value)} data-testid="runtime-field-network" />
            <Label htmlFor="runtime-network" className="font-normal">
              Sandboxes may reach the network
            </Label>
          </div>
        </div>
      ) : null}

      <DialogFooter>
        <Button variant="secondary" onClick={onCancel} data-testid="runtime-form-cancel">
          Cancel
        </Button>
        <Button type="submit" variant="secondary" disabled={pending} data-testid="runtime-form-submit">
          {pending ? <Loader2 className="animate-spin" aria-hidden /> : null}
          Save
        </Button>
        <Button onClick={() => void submit(true)} disabled={pending} data-testid="runtime-form-submit-build">
          <Hammer aria-hidden />
          Save and build
        </Button>
      </DialogFooter>
    </form>
  );
}

type FieldProps = { id: string; "aria-invalid": boolean; "aria-describedby"?: string; "data-testid": string };

/** A label, the control, a hint, and the field's errors right under it (announced, linked by aria-describedby). */
function Field({ field, label, hint, errors, children }: { field: RuntimeFormField; label: string; hint?: string; errors: FormErrors; children: (props: FieldProps) => ReactNode }) {
  const id = `${useId()}-${field}`;
  const messages = errors[field];
  const describedBy = [messages ? `${id}-error` : null, hint ? `${id}-hint` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className="flex flex-col gap-1.5">
      <Label htmlFor={id}>{label}</Label>
      {children({ id, "aria-invalid": !!messages, "aria-describedby": describedBy, "data-testid": `runtime-field-${field}` })}
      {messages ? (
        <div id={`${id}-error`} role="alert" className="flex flex-col gap-0.5 text-xs text-rose-700 dark:text-rose-400" data-testid={`runtime-error-${field}`}>
          {messages.map((message) => (
            <span key={message}>{message}</span>
          ))}
        </div>
      ) : null}
      {hint ? (
        <p id={`${id}-hint`} className={cn("text-xs text-slate-500 dark:text-slate-400")}>
          {hint}
        </p>
      ) : null}
    </div>
  );
}
