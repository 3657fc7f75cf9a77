"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { KeyRound, Loader2, Trash2 } from "lucide-react";
import { useState } from "react";
import { toast } from "../../_components/toaster";
import { Badge } from "../../_components/ui/badge";
import { Button } from "../../_components/ui/button";
import { Card } from "../../_components/ui/card";
import { Input } from "../../_components/ui/input";
import { Label } from "../../_components/ui/label";
import { Select } from "../../_components/ui/select";
import { Skeleton } from "../../_components/ui/skeleton";
import { useTRPC } from "../../_trpc/client";
import type { ModelSettings } from "../_lib/types";
import { PageHeader } from "./page-header";

const PROVIDERS = [
  { value: "openai", label: "OpenAI" },
  { value: "anthropic", label: "Anthropic" },
  { value: "openai-compatible", label: "OpenAI-compatible (Ollama, vLLM, LM Studio…)" },
] as const;

type Provider = (typeof PROVIDERS)[number]["value"];

const IMAGE_INPUT = [
  { value: "auto", label: "By the model's name (known vision models of OpenAI and Anthropic)" },
  { value: "always", label: "Always: the model accepts images" },
  { value: "never", label: "Never: text summaries only" },
] as const;

type ImageInput = (typeof IMAGE_INPUT)[number]["value"];

export function ModelSettingsPanel() {
  const trpc = useTRPC();
  const settings = useQuery(trpc.admin.settings.model.queryOptions());
  return (
    <>
      <PageHeader
        title="Settings"
        description="The model the agent uses. What you set here wins over the server's environment (MODEL_PROVIDER, MODEL_NAME, MODEL_BASE_URL, MODEL_API_KEY); empty fields fall back to it."
      />
      <Card className="max-w-2xl p-6">
        <h2 className="text-base font-semibold">Model provider</h2>
        {settings.data ? (
          <ModelForm key={JSON.stringify(settings.data)} settings={settings.data} />
        ) : settings.error ? (
          <p role="alert" className="mt-4 text-sm text-rose-700 dark:text-rose-400">
            Could not load the settings: {settings.error.message}
          </p>
        ) : (
          <div className="mt-4 flex flex-col gap-4">
            {[0, 1, 2, 3].map((index) => (
              <Skeleton key={index} className="h-9 w-full" />
            ))}
          </div>
        )}
      </Card>
    </>
  );
}

function ModelForm({ settings }: { settings: ModelSettings }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [provider, setProvider] = useState<Provider | "">(settings.provider ?? "");
  const [model, setModel] = useState(settings.model ?? "");
  const [baseUrl, setBaseUrl] = useState(settings.baseUrl ?? "");
  // Write-only: the field starts empty; typing replaces the stored key.
  const [apiKey, setApiKey] = useState("");
  const [imageInput, setImageInput] = useState<ImageInput>(settings.imageInput);
  const [errors, setErrors] = useState<Record<string, string[] | undefined>>({});
  const save = useMutation(
    trpc.admin.settings.updateModel.mutationOptions({
      onSuccess: (saved) => {
        queryClient.setQueryData(trpc.admin.settings.model.queryKey(), saved);
        toast.success("Model settings saved", "New chats use them right away.");
      },
      onError: (error) => {
        setErrors(error.data?.fieldErrors ?? {});
        toast.error("Could not save the settings", error.message);
      },
    }),
  );
  const effective = settings.effective;

  const submit = (removeKey = false) => {
    setErrors({});
    save.mutate({
      provider: provider || null,
      model: model || null,
      baseUrl: baseUrl || null,
      imageInput,
      ...(removeKey ? { apiKey: null } : apiKey.trim() ? { apiKey: apiKey.trim() } : {}),
    });
  };

  return (
    <form
      className="mt-4 flex flex-col gap-4"
      noValidate
      data-testid="model-settings-form"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <div className="flex flex-col gap-1.5">
        <Label htmlFor="model-provider">Provider</Label>
        <Select id="model-provider" value={provider} onChange={(event) => setProvider(event.target.value as Provider | "")} data-testid="model-provider">
          <option value="">{effective.providerFrom === "env" ? `From the environment (${effective.provider})` : "Not set"}</option>
          {PROVIDERS.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </Select>
      </div>
      <div className="flex flex-col gap-1.5">
        <Label htmlFor="model-name">Model</Label>
        <Input
          id="model-name"
          value={model}
          onChange={(event) => setModel(event.target.value)}
          placeholder={effective.modelFrom === "env" && effective.model ? `${effective.model} (from the environment)` : "e.g. gpt-4.1, claude-sonnet-4-5, llama3.1"}
          aria-invalid={!!errors.model}
          data-testid="model-name"
        />
        <FieldError messages={errors.model} />
      </div>
      <div className="flex flex-col gap-1.5">
        <Label htmlFor="model-base-url">Base URL</Label>
        <Input
          id="model-base-url"
          value={baseUrl}
          onChange={(event) => setBaseUrl(event.target.value)}
          placeholder={provider === "openai-compatible" ? "http://localhost:11434/v1" : "Optional: a proxy or gateway in front of the provider"}
          aria-invalid={!!errors.baseUrl}
          aria-describedby={errors.baseUrl ? "model-base-url-error" : undefined}
          spellCheck={false}
          data-testid="model-base-url"
        />
        <FieldError id="model-base-url-error" messages={errors.baseUrl} />
      </div>
      <div className="flex flex-col gap-1.5">
        <Label htmlFor="model-api-key">API key</Label>
        <div className="flex items-center gap-2">
          <Input
            id="model-api-key"
            type="password"
            autoComplete="off"
            value={apiKey}
            onChange={(event) => setApiKey(event.target.value)}
            placeholder={settings.hasKey ? `Stored key ends in ${settings.keyLast4 ?? "…"}: type to replace it` : "Paste a key"}
            aria-describedby="model-key-status"
            data-testid="model-api-key"
          />
          {settings.hasKey ? (
            <Button variant="secondary" className="shrink-0 whitespace-nowrap" onClick={() => submit(true)} disabled={save.isPending} data-testid="model-remove-key">
              <Trash2 aria-hidden />
              Remove key
            </Button>
          ) : null}
        </div>
        <p id="model-key-status" className="flex items-center gap-1.5 text-xs text-slate-600 dark:text-slate-400" data-testid="model-key-status">
          <KeyRound className="size-3.5" aria-hidden />
          {settings.keyUnreadable
            ? "A key is stored but cannot be decrypted (the server's AUTH_SECRET changed). Enter it again."
            : settings.hasKey
              ? `A key ending in ${settings.keyLast4} is stored, encrypted. It is never shown again.`
              : effective.keyFrom === "env"
                ? `Using the environment's key (ending in ${effective.keyLast4}).`
                : "No key stored. Keys are write-only: stored encrypted, never shown again."}
        </p>
      </div>
      <div className="flex flex-col gap-1.5">
        <Label htmlFor="model-image-input">Chart images to the model</Label>
        <Select
          id="model-image-input"
          value={imageInput}
          onChange={(event) => setImageInput(event.target.value as ImageInput)}
          aria-describedby="model-image-input-status"
          data-testid="model-image-input"
        >
          {IMAGE_INPUT.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </Select>
        <p id="model-image-input-status" className="text-xs text-slate-600 dark:text-slate-400" data-testid="model-image-input-status">
          The model always gets each chart's data as text.{" "}
          {effective.images
            ? "As saved, the model in use also gets the PNG, to look at the chart it drew."
            : "As saved, the model in use gets no PNG."}
        </p>
      </div>
      <div className="flex flex-wrap items-center justify-between gap-3 border-t border-slate-200 pt-4 dark:border-slate-800">
        <p className="text-xs text-slate-600 dark:text-slate-400" data-testid="model-effective">
          In use:{" "}
          {effective.provider && effective.model ? (
            <>
              <Badge tone="info">{effective.provider}</Badge> <span className="font-mono">{effective.model}</span>
              {effective.baseUrl ? <span className="font-mono"> @ {effective.baseUrl}</span> : null}
            </>
          ) : (
            <Badge tone="warning">not configured: the agent cannot answer</Badge>
          )}
        </p>
        <Button type="submit" disabled={save.isPending} data-testid="model-save">
          {save.isPending ? <Loader2 className="animate-spin" aria-hidden /> : null}
          Save
        </Button>
      </div>
    </form>
  );
}

function FieldError({ id, messages }: { id?: string; messages: string[] | undefined }) {
  if (!messages?.length) return null;
  return (
    <p id={id} role="alert" className="text-xs text-rose-700 dark:text-rose-400">
      {messages.join(" ")}
    </p>
  );
}
