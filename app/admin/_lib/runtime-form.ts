import { RuntimeValidationError } from "~/server/sandbox/runtime/errors";
import { parseRuntimeConfig, type RuntimeConfig } from "~/server/sandbox/runtime/schema";

// The runtime form's fields as the admin types them, turned into a
// RuntimeConfig input and checked with the engine's own schema, so the page
// refuses exactly what the server refuses (the server checks again).

export type RuntimeFormState = {
  name: string;
  description: string;
  packageManager: RuntimeConfig["packageManager"];
  /** Whitespace, comma or newline separated. */
  packages: string;
  baseImage: string;
  image: string;
  /** One command per line. */
  setupCommands: string;
  /** NAME=value per line. */
  envVars: string;
  smokeCheck: string;
  workDir: string;
  network: boolean;
  memoryMb: string;
  cpus: string;
  pids: string;
};

export type RuntimeFormField = Exclude<keyof RuntimeFormState, never>;
export type FormErrors = Partial<Record<RuntimeFormField | "form", string[]>>;

export const EMPTY_RUNTIME_FORM: RuntimeFormState = {
  name: "",
  description: "",
  packageManager: "apt",
  packages: "",
  baseImage: "",
  image: "",
  setupCommands: "",
  envVars: "",
  smokeCheck: "",
  workDir: "/workspace",
  network: false,
  memoryMb: "",
  cpus: "",
  pids: "",
};

export function formFromConfig(config: RuntimeConfig, name = config.name): RuntimeFormState {
  return {
    name,
    description: config.description,
    packageManager: config.packageManager,
    packages: config.packages.join("\n"),
    baseImage: config.baseImage ?? "",
    image: config.image ?? "",
    setupCommands: config.setupCommands.join("\n"),
    envVars: Object.entries(config.envVars)
      .map(([key, value]) => `${key}=${value}`)
      .join("\n"),
    smokeCheck: config.smokeCheck ?? "",
    workDir: config.workDir,
    network: config.network,
    memoryMb: config.limits.memoryMb?.toString() ?? "",
    cpus: config.limits.cpus?.toString() ?? "",
    pids: config.limits.pids?.toString() ?? "",
  };
}

const lines = (text: string) =>
  text
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);

/** A number when the text is one, else the text itself (so the schema names the field). */
const numberOrText = (text: string): number | string => (text.trim() !== "" && Number.isFinite(Number(text)) ? Number(text) : text);

/** The form as a RuntimeConfig input: blank optional fields are left out. */
export function configFromForm(form: RuntimeFormState): Record<string, unknown> {
  const config: Record<string, unknown> = {
    name: form.name.trim(),
    description: form.description.trim(),
    packageManager: form.packageManager,
    packages: form.packages.split(/[\s,]+/).filter(Boolean),
    setupCommands: lines(form.setupCommands),
    envVars: Object.fromEntries(
      form.envVars
        .split("\n")
        .filter((line) => line.trim() !== "")
        .map((line) => {
          const at = line.indexOf("=");
          return at === -1 ? [line.trim(), ""] : [line.slice(0, at).trim(), line.slice(at + 1)];
        }),
    ),
    workDir: form.workDir.trim() || "/workspace",
    network: form.network,
  };
  if (form.baseImage.trim()) config.baseImage = form.baseImage.trim();
  if (form.image.trim()) config.image = form.image.trim();
  if (form.smokeCheck.trim()) config.smokeCheck = form.smokeCheck.trim();
  const limits: Record<string, unknown> = {};
  if (form.memoryMb.trim()) limits.memoryMb = numberOrText(form.memoryMb);
  if (form.cpus.trim()) limits.cpus = numberOrText(form.cpus);
  if (form.pids.trim()) limits.pids = numberOrText(form.pids);
  config.limits = limits;
  return config;
}

const FORM_FIELDS = new Set<string>(Object.keys(EMPTY_RUNTIME_FORM));

/**
 * Puts the engine's field errors ("packages.1", "envVars.1X", "limits.cpus")
 * next to the form's fields, saying which item of a list is meant.
 */
export function formErrorsFrom(fieldErrors: Record<string, string[] | undefined>, form?: RuntimeFormState): FormErrors {
  const errors: FormErrors = {};
  const packages = form ? form.packages.split(/[\s,]+/).filter(Boolean) : [];
  for (const [key, messages] of Object.entries(fieldErrors)) {
    if (!messages?.length) continue;
    const [first = "", second] = key.split(".");
    const field = first === "limits" && second ? second : first;
    const target = FORM_FIELDS.has(field) ? (field as RuntimeFormField) : "form";
    let prefix = "";
    if (second !== undefined && first !== "limits") {
      if (first === "envVars") prefix = `${second}: `;
      else if (first === "packages" && !/^"/.test(messages[0] ?? "")) prefix = `"${packages[Number(second)] ?? `item ${Number(second) + 1}`}": `;
      else if (first !== "packages") prefix = `Line ${Number(second) + 1}: `;
    }
    if (target === "form" && key) prefix = `${key}: `;
    (errors[target] ??= []).push(...messages.map((message) => prefix + message));
  }
  return errors;
}

/** Validates the form with the engine's schema; returns the config or the errors per field. */
export function validateRuntimeForm(form: RuntimeFormState): { config: Record<string, unknown>; errors: FormErrors | null } {
  const config = configFromForm(form);
  try {
    parseRuntimeConfig(config);
    return { config, errors: null };
  } catch (error) {
    if (error instanceof RuntimeValidationError) return { config, errors: formErrorsFrom(error.fieldErrors, form) };
    throw error;
  }
}
