import { describe, expect, it } from "vitest";
import { ModelNotConfiguredError } from "./errors";
import { createLanguageModel } from "./model-provider";

describe("createLanguageModel", () => {
  it("says what is missing when nothing usable is configured", () => {
    expect(() => createLanguageModel(null)).toThrow(ModelNotConfiguredError);
    expect(() => createLanguageModel({})).toThrow(/No model provider is configured/);
    expect(() => createLanguageModel({ provider: "openai" })).toThrow(/No model name/);
    expect(() => createLanguageModel({ provider: "openai", model: "gpt-4.1" })).toThrow(/needs an API key/);
    expect(() => createLanguageModel({ provider: "anthropic", model: "claude" })).toThrow(/needs an API key/);
    expect(() => createLanguageModel({ provider: "openai-compatible", model: "llama3.1" })).toThrow(/needs a base URL/);
    expect(() => createLanguageModel({ provider: "openai-compatible", model: "m", baseUrl: "file:///etc" })).toThrow(/http or https/);
    expect(() => createLanguageModel({ provider: "openai-compatible", model: "m", baseUrl: "not a url" })).toThrow(/not a valid URL/);
    expect(() => createLanguageModel({ provider: "gemini" as never, model: "m" })).toThrow(/Unknown model provider/);
  });

  it("builds a model for each provider from arguments only", () => {
    const models = [
      createLanguageModel({ provider: "openai", model: "gpt-4.1", apiKey: "sk-test" }),
      createLanguageModel({ provider: "anthropic", model: "claude-sonnet-4-5", apiKey: "sk-ant-test" }),
      createLanguageModel({ provider: "openai-compatible", model: "llama3.1", baseUrl: "http://127.0.0.1:11434/v1/" }),
    ];
    expect(models.map((model) => (typeof model === "string" ? model : model.modelId))).toEqual(["gpt-4.1", "claude-sonnet-4-5", "llama3.1"]);
    expect(models.map((model) => (typeof model === "string" ? model : model.provider))).toEqual([
      "openai.responses",
      "anthropic.messages",
      "openai-compatible.chat",
    ]);
  });
});
