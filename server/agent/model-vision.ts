// Whether the model gets the PNG of each chart besides its text summary. An
// admin may force it on or off; "auto" decides by the model's name, from the
// providers' vision-capable families. An OpenAI-compatible server may serve
// anything, so "auto" leaves it off there.

export const IMAGE_INPUT_MODES = ["auto", "always", "never"] as const;
export type ImageInputMode = (typeof IMAGE_INPUT_MODES)[number];

/** By provider name; a provider not listed (an OpenAI-compatible server) has none known. */
const VISION_MODELS: Partial<Record<string, RegExp>> = {
  // GPT-4o and later GPT-4 generations, GPT-5, the o-series (o1, o3, o4; not o1-mini or o3-mini).
  openai: /^(?:gpt-4o|chatgpt-4o|gpt-4\.1|gpt-4\.5|gpt-4-turbo|gpt-4-vision|gpt-5|o1(?!-mini)|o3(?!-mini)|o4)/i,
  // Claude 3 and every later family (claude-3-5-sonnet, claude-sonnet-4-5, claude-opus-4-1...).
  anthropic: /^claude-(?:3|(?:sonnet|opus|haiku)-[4-9]|[4-9])/i,
};

export function acceptsImages(config: {
  provider: string;
  model: string;
  imageInput?: ImageInputMode | null;
}): boolean {
  const mode = config.imageInput ?? "auto";
  if (mode !== "auto") return mode === "always";
  return VISION_MODELS[config.provider]?.test(config.model.trim()) ?? false;
}
