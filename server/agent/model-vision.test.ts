import { describe, expect, it } from "vitest";
import { acceptsImages } from "./model-vision";

describe("acceptsImages", () => {
  it("knows the vision-capable OpenAI and Anthropic families by name", () => {
    for (const model of ["gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-5", "o3", "o4-mini", "chatgpt-4o-latest"])
      expect(acceptsImages({ provider: "openai", model }), model).toBe(true);
    for (const model of ["gpt-3.5-turbo", "o1-mini", "o3-mini", "text-davinci-003"])
      expect(acceptsImages({ provider: "openai", model }), model).toBe(false);
    for (const model of ["claude-3-5-sonnet-latest", "claude-sonnet-4-5", "claude-opus-4-1", "claude-3-haiku-20240307"])
      expect(acceptsImages({ provider: "anthropic", model }), model).toBe(true);
    expect(acceptsImages({ provider: "anthropic", model: "claude-2.1" })).toBe(false);
  });

  it("leaves an OpenAI-compatible model off unless the admin says otherwise, and the admin's choice wins", () => {
    expect(acceptsImages({ provider: "openai-compatible", model: "llava" })).toBe(false);
    expect(acceptsImages({ provider: "openai-compatible", model: "llava", imageInput: "always" })).toBe(true);
    expect(acceptsImages({ provider: "openai", model: "gpt-4o", imageInput: "never" })).toBe(false);
  });
});
