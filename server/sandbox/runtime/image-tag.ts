import { createHash } from "node:crypto";
import type { RuntimeConfig } from "./schema";

export const RUNTIME_IMAGE_REPOSITORY = "tidepool/runtime";

// Bump when the Dockerfile generator changes what it produces, so images built
// by an older generator are not reused.
const GENERATOR_VERSION = 1;

/**
 * Hash of everything that decides the image's content. Fields that only matter
 * when a container starts (description, network, limits, displayPackages) or
 * to the builder (cacheImage) are left out: editing them does not rebuild.
 */
export function configHash(config: RuntimeConfig, baseImageTag: string): string {
  const content = {
    generator: GENERATOR_VERSION,
    base: config.baseImage ?? baseImageTag,
    name: config.name,
    packageManager: config.packageManager,
    packages: config.packages,
    setupCommands: config.setupCommands,
    envVars: config.envVars,
    workDir: config.workDir,
    user: config.user,
    smokeCheck: config.smokeCheck ?? null,
  };
  return createHash("sha256").update(canonicalJson(content)).digest("hex");
}

/** `tidepool/runtime:<name>-<12 hex>`; a ready-made `image` is its own tag. */
export function imageTag(config: RuntimeConfig, baseImageTag: string): string {
  if (config.image) return config.image;
  return `${RUNTIME_IMAGE_REPOSITORY}:${config.name}-${configHash(config, baseImageTag).slice(0, 12)}`;
}

/** JSON with object keys sorted at every level, so equal configs hash equally. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => {
    if (item === null || typeof item !== "object" || Array.isArray(item)) return item;
    return Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  });
}
