import { createAnthropic } from "@ai-sdk/anthropic";
import { createOpenAI } from "@ai-sdk/openai";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import type { LanguageModel } from "ai";
import { ModelNotConfiguredError } from "./errors";
import { acceptsImages, type ImageInputMode } from "./model-vision";

// Turns a provider configuration into an AI SDK model. Pure: the platform
// reads env or admin settings and passes them in; nothing here looks at
// process.env (the providers' own env fallbacks are never reached, because a
// key is required where they would look for one).

export const MODEL_PROVIDERS = ["openai", "anthropic", "openai-compatible"] as const;
export type ModelProvider = (typeof MODEL_PROVIDERS)[number];

export type ModelConfig = {
  provider: ModelProvider;
  /** e.g. "gpt-4.1", "claude-sonnet-4-5", or the served name on Ollama/vLLM ("llama3.1"). */
  model: string;
  /** Required for openai-compatible (e.g. http://localhost:11434/v1); optional override otherwise. */
  baseUrl?: string;
  /** Required for openai and anthropic; optional for openai-compatible servers without auth. */
  apiKey?: string;
  /** Extra request headers (e.g. an organization or a gateway token). */
  headers?: Record<string, string>;
  /** Whether the model gets chart images: by its name ("auto", the default), or an admin's "always" / "never". */
  imageInput?: ImageInputMode | null;
};

export function createLanguageModel(config: Partial<ModelConfig> | null | undefined): LanguageModel {
  if (!config?.provider) {
    throw new ModelNotConfiguredError(
      `No model provider is configured. An admin can choose one (${MODEL_PROVIDERS.join(", ")}) with a model name in the settings.`,
    );
  }
  if (!MODEL_PROVIDERS.includes(config.provider)) {
    throw new ModelNotConfiguredError(`Unknown model provider "${String(config.provider)}". Use one of: ${MODEL_PROVIDERS.join(", ")}.`);
  }
  const model = config.model?.trim();
  if (!model) throw new ModelNotConfiguredError(`No model name is configured for the ${config.provider} provider. Set one in the settings.`);
  const baseURL = config.baseUrl ? checkBaseUrl(config.baseUrl) : undefined;
  const apiKey = config.apiKey?.trim() || undefined;
  const headers = config.headers;

  switch (config.provider) {
    case "openai":
      if (!apiKey) throw new ModelNotConfiguredError("The OpenAI provider needs an API key. Add it in the settings.");
      return createOpenAI({ apiKey, baseURL, headers })(model);
    case "anthropic":
      if (!apiKey) throw new ModelNotConfiguredError("The Anthropic provider needs an API key. Add it in the settings.");
      return createAnthropic({ apiKey, baseURL, headers })(model);
    case "openai-compatible":
      if (!baseURL) {
        throw new ModelNotConfiguredError(
          "The OpenAI-compatible provider needs a base URL, e.g. http://localhost:11434/v1 for Ollama or http://host:8000/v1 for vLLM.",
        );
      }
      // Images in tool results need content parts; without them the server would get the image as JSON text.
      return createOpenAICompatible({
        name: "openai-compatible",
        baseURL,
        apiKey,
        headers,
        supportsMultiPartToolContent: acceptsImages({ provider: config.provider, model, imageInput: config.imageInput }),
      }).chatModel(model);
  }
}

function checkBaseUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new ModelNotConfiguredError(`The model base URL "${value}" is not a valid URL. Use e.g. http://localhost:11434/v1.`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ModelNotConfiguredError(`The model base URL must use http or https, not ${url.protocol}`);
  }
  return url.toString().replace(/\/$/, "");
}
