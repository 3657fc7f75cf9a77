import { z } from "zod";
import { RuntimeValidationError } from "./errors";
import {
  controlCharacterProblem,
  ENV_NAME,
  IMAGE_REFERENCE,
  RUNTIME_NAME,
  USER_NAME,
  workDirProblem,
} from "./field-rules";
import { PACKAGE_MANAGERS, packageNameProblem } from "./package-names";

// The seeds' RuntimeConfig, plus what a multi-user platform needs (network,
// limits, the non-root user) and a smoke check. Everything that reaches a
// Dockerfile is checked here; the generator additionally passes user data as
// JSON-form argv, so validation is defence in depth, not the only wall.

const MAX_COMMAND_LENGTH = 4000;

/** A string that must stay on one Dockerfile line. */
const oneLine = (max: number) =>
  z
    .string()
    .max(max, `must be at most ${max} characters`)
    .superRefine((value, ctx) => {
      const problem = controlCharacterProblem(value);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    });

const imageReference = z
  .string()
  .max(255)
  .regex(
    IMAGE_REFERENCE,
    'must be an image reference such as "debian:bookworm-slim" or "registry:5000/team/image:tag"',
  );

const shellCommand = oneLine(MAX_COMMAND_LENGTH).refine((value) => value.trim().length > 0, "must not be empty");

const envVars = z.record(z.string(), z.string()).superRefine((vars, ctx) => {
  for (const [name, value] of Object.entries(vars)) {
    if (!ENV_NAME.test(name)) {
      ctx.addIssue({
        code: "custom",
        path: [name],
        message: "name must be letters, digits and '_', not starting with a digit",
      });
    }
    const problem = controlCharacterProblem(value);
    if (problem) ctx.addIssue({ code: "custom", path: [name], message: `value ${problem}` });
    if (value.length > MAX_COMMAND_LENGTH)
      ctx.addIssue({ code: "custom", path: [name], message: `value must be at most ${MAX_COMMAND_LENGTH} characters` });
  }
});

const userSchema = z
  .object({
    name: z.string().regex(USER_NAME, "must be a lowercase login name such as sandbox").default("sandbox"),
    // Never 0: the sandbox must not be root, even inside its container.
    uid: z.number().int().min(1, "must not be 0 (root)").max(65533).default(1000),
    gid: z.number().int().min(1, "must not be 0 (root)").max(65533).default(1000),
  })
  .strict();

const limitsSchema = z
  .object({
    memoryMb: z.number().int().min(64).max(1_048_576).optional(),
    cpus: z.number().min(0.1).max(256).optional(),
    pids: z.number().int().min(16).max(1_000_000).optional(),
  })
  .strict();

export const runtimeConfigSchema = z
  .object({
    /** Unique identifier, used in the image tag (e.g. "python-datascience"). */
    name: z
      .string()
      .regex(RUNTIME_NAME, "must be 1–63 lowercase letters, digits, '.', '_' or '-', starting with a letter or digit"),
    description: oneLine(500).default(""),
    /** A ready-to-use image: used as it is, nothing is built. */
    image: imageReference.optional(),
    /** The image to build on; when absent the builder's default base image is used. */
    baseImage: imageReference.optional(),
    packages: z.array(z.string()).max(200).default([]),
    /** Chooses the ecosystem; its tool (pip, npm, cargo) is installed when the base image lacks it. */
    packageManager: z.enum(PACKAGE_MANAGERS).default("apt"),
    /** Admin-authored shell, run as root at build time only, before packages are installed. */
    setupCommands: z.array(shellCommand).max(50).default([]),
    envVars: envVars.default({}),
    workDir: z
      .string()
      .default("/workspace")
      .superRefine((dir, ctx) => {
        const problem = workDirProblem(dir);
        if (problem) ctx.addIssue({ code: "custom", message: problem });
      }),
    cacheImage: z.boolean().default(true),
    /** Whether the sandbox container may reach the network. */
    network: z.boolean().default(false),
    /** Per-runtime overrides of the platform's container limits. */
    limits: limitsSchema.default({}),
    user: userSchema.default({ name: "sandbox", uid: 1000, gid: 1000 }),
    /** Admin-authored shell run as the sandbox user after a fresh build; a failure fails the build. */
    smokeCheck: shellCommand.optional(),
    /** Friendly names shown to the agent (e.g. "pandas" for python3-pandas); defaults to `packages`. */
    displayPackages: z
      .array(z.string().regex(/^[\w@./+-]{1,100}$/, "must be a short package name"))
      .max(200)
      .optional(),
  })
  .strict()
  .superRefine((config, ctx) => {
    if (config.image && config.baseImage) {
      ctx.addIssue({
        code: "custom",
        path: ["image"],
        message: "give either image (used as it is) or baseImage (built on), not both",
      });
    }
    if (config.image) {
      for (const field of ["packages", "setupCommands", "smokeCheck"] as const) {
        const value = config[field];
        if (value !== undefined && value.length > 0) {
          ctx.addIssue({ code: "custom", path: [field], message: "needs a build: use baseImage instead of image" });
        }
      }
    }
    const seen = new Set<string>();
    config.packages.forEach((name, index) => {
      const problem = packageNameProblem(config.packageManager, name);
      if (problem)
        ctx.addIssue({ code: "custom", path: ["packages", index], message: `"${printable(name)}" ${problem}` });
      else if (seen.has(name))
        ctx.addIssue({ code: "custom", path: ["packages", index], message: `"${name}" is listed twice` });
      seen.add(name);
    });
  });

export type RuntimeConfigInput = z.input<typeof runtimeConfigSchema>;
export type RuntimeConfig = z.output<typeof runtimeConfigSchema>;

/** Parses and validates a runtime config; throws RuntimeValidationError with per-field messages. */
export function parseRuntimeConfig(input: unknown): RuntimeConfig {
  const result = runtimeConfigSchema.safeParse(input);
  if (result.success) return result.data;
  const fieldErrors: Record<string, string[]> = {};
  for (const issue of result.error.issues) {
    const key = issue.path.map(String).join(".");
    (fieldErrors[key] ??= []).push(issue.message);
  }
  throw new RuntimeValidationError(fieldErrors);
}

/** Shows control characters visibly in error messages instead of breaking the line. */
function printable(value: string): string {
  return JSON.stringify(value).slice(1, -1);
}
