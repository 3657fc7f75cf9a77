import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import type { Prisma } from "@prisma/client";
import { z } from "zod";
import { acceptsImages, IMAGE_INPUT_MODES, type ImageInputMode } from "../agent/model-vision";
import { db } from "../db";
import { env } from "../env";
import { recordActivity } from "./activity";

// The agent's model provider, set by an admin (Setting "model") over the
// server's env (the admin's setting wins). The API key is write-only: it is
// stored encrypted (AES-256-GCM, key derived from AUTH_SECRET) and never
// returned to the browser; only whether there is one and its last 4 characters.

export const MODEL_PROVIDERS = ["openai", "anthropic", "openai-compatible"] as const;
export type ModelProviderName = (typeof MODEL_PROVIDERS)[number];

const SETTING_KEY = "model";

type EncryptedSecret = { v: 1; iv: string; tag: string; data: string };
type StoredModelSetting = {
  provider?: ModelProviderName | null;
  model?: string | null;
  baseUrl?: string | null;
  apiKey?: EncryptedSecret | null;
  /** Send chart images to the model: by its name (auto), always or never. */
  imageInput?: ImageInputMode | null;
};

const storedSchema = z.object({
  provider: z.enum(MODEL_PROVIDERS).nullish(),
  model: z.string().nullish(),
  baseUrl: z.string().nullish(),
  apiKey: z.object({ v: z.literal(1), iv: z.string(), tag: z.string(), data: z.string() }).nullish(),
  imageInput: z.enum(IMAGE_INPUT_MODES).nullish(),
});

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .nullish()
    .transform((value) => value || null);

export const modelSettingsInputSchema = z.object({
  provider: z.enum(MODEL_PROVIDERS).nullish(),
  model: optionalText(200),
  baseUrl: optionalText(2000).pipe(
    z
      .url({ protocol: /^https?$/, error: "Enter an http(s) URL, e.g. http://localhost:11434/v1" })
      .nullable(),
  ),
  /** Omitted: keep the stored key. null or "": remove it. Otherwise: replace it. */
  apiKey: z.string().trim().max(1000).nullish(),
  /** Omitted: keep the stored choice. */
  imageInput: z.enum(IMAGE_INPUT_MODES).optional(),
});

export type ModelSettingsInput = z.input<typeof modelSettingsInputSchema>;

/** What the chat route needs to build the model; null when no provider and model are configured. */
export type ModelConfig = { provider: ModelProviderName; model: string; baseUrl?: string; apiKey?: string; imageInput: ImageInputMode };

function encryptionKey(): Buffer {
  return Buffer.from(hkdfSync("sha256", env.AUTH_SECRET, "tidepool-settings", "model-api-key", 32));
}

export function encryptSecret(plain: string): EncryptedSecret {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", encryptionKey(), iv);
  const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return { v: 1, iv: iv.toString("base64"), tag: cipher.getAuthTag().toString("base64"), data: data.toString("base64") };
}

/** The plain secret, or null when it cannot be decrypted (AUTH_SECRET changed since it was stored). */
export function decryptSecret(secret: EncryptedSecret): string | null {
  try {
    const decipher = createDecipheriv("aes-256-gcm", encryptionKey(), Buffer.from(secret.iv, "base64"));
    decipher.setAuthTag(Buffer.from(secret.tag, "base64"));
    return Buffer.concat([decipher.update(Buffer.from(secret.data, "base64")), decipher.final()]).toString("utf8");
  } catch {
    return null;
  }
}

async function readStored(): Promise<StoredModelSetting> {
  const row = await db.setting.findUnique({ where: { key: SETTING_KEY }, select: { value: true } });
  const parsed = storedSchema.safeParse(row?.value ?? {});
  return parsed.success ? parsed.data : {};
}

const hint = (key: string | null | undefined) => (key ? key.slice(-4) : null);

/**
 * The effective configuration: each field from the admin's setting, else from
 * env. The env's base URL and key only go with the env's provider, so a
 * provider chosen in the settings never receives another provider's key.
 */
function merge(stored: StoredModelSetting) {
  const provider = stored.provider ?? env.MODEL_PROVIDER ?? null;
  const sameAsEnv = !stored.provider || stored.provider === env.MODEL_PROVIDER;
  const storedKey = stored.apiKey ? decryptSecret(stored.apiKey) : null;
  return {
    provider,
    model: stored.model ?? env.MODEL_NAME ?? null,
    baseUrl: stored.baseUrl ?? (sameAsEnv ? env.MODEL_BASE_URL : undefined) ?? null,
    apiKey: stored.apiKey ? storedKey : sameAsEnv ? (env.MODEL_API_KEY ?? null) : null,
    keyUnreadable: !!stored.apiKey && storedKey === null,
    imageInput: stored.imageInput ?? "auto",
  };
}

/** For the chat route: the model to use, with its key (server side only). */
export async function getModelConfig(): Promise<ModelConfig | null> {
  const merged = merge(await readStored());
  if (merged.keyUnreadable) console.warn("the stored model API key cannot be decrypted (AUTH_SECRET changed?); set it again in the admin settings");
  if (!merged.provider || !merged.model) return null;
  return {
    provider: merged.provider,
    model: merged.model,
    ...(merged.baseUrl ? { baseUrl: merged.baseUrl } : {}),
    ...(merged.apiKey ? { apiKey: merged.apiKey } : {}),
    imageInput: merged.imageInput,
  };
}

/** For the admin's form: values, where each comes from, and the key only as "set, ends in …". */
export async function getModelSettings() {
  const stored = await readStored();
  const merged = merge(stored);
  const source = (value: unknown) => (value ? ("settings" as const) : null);
  return {
    provider: stored.provider ?? null,
    model: stored.model ?? null,
    baseUrl: stored.baseUrl ?? null,
    hasKey: !!stored.apiKey,
    keyLast4: hint(stored.apiKey ? merged.apiKey : null),
    keyUnreadable: merged.keyUnreadable,
    imageInput: merged.imageInput,
    effective: {
      provider: merged.provider,
      model: merged.model,
      baseUrl: merged.baseUrl,
      hasKey: !!merged.apiKey,
      keyLast4: hint(merged.apiKey),
      providerFrom: source(stored.provider) ?? (env.MODEL_PROVIDER ? ("env" as const) : null),
      modelFrom: source(stored.model) ?? (env.MODEL_NAME ? ("env" as const) : null),
      keyFrom: stored.apiKey ? ("settings" as const) : merged.apiKey ? ("env" as const) : null,
      /** The model gets chart images, as the choice and the model's name decide. */
      images: merged.provider && merged.model ? acceptsImages({ provider: merged.provider, model: merged.model, imageInput: merged.imageInput }) : false,
    },
  };
}

export async function updateModelSettings(actorId: string, input: ModelSettingsInput): Promise<Awaited<ReturnType<typeof getModelSettings>>> {
  const parsed = modelSettingsInputSchema.parse(input);
  const stored = await readStored();
  const apiKey = parsed.apiKey === undefined ? (stored.apiKey ?? null) : parsed.apiKey ? encryptSecret(parsed.apiKey) : null;
  const value: StoredModelSetting = {
    provider: parsed.provider ?? null,
    model: parsed.model,
    baseUrl: parsed.baseUrl,
    apiKey,
    imageInput: parsed.imageInput ?? stored.imageInput ?? "auto",
  };
  const json = value as Prisma.InputJsonValue;
  await db.setting.upsert({ where: { key: SETTING_KEY }, create: { key: SETTING_KEY, value: json }, update: { value: json } });
  await recordActivity({
    actorId,
    action: "admin.settings.model",
    outcome: "ok",
    // Never the key itself: only whether it changed.
    detail: { provider: value.provider ?? null, model: value.model ?? null, baseUrl: value.baseUrl ?? null, imageInput: value.imageInput ?? "auto", key: parsed.apiKey === undefined ? "kept" : parsed.apiKey ? "replaced" : "removed" },
  });
  return getModelSettings();
}
