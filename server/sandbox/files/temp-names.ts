import { randomBytes } from "node:crypto";

// Names of the engine's temporary files in a workspace: a write's file before
// its rename, an archive's spool and its extraction folder. Random (chosen on
// the server, so the server can remove them after a failure), hidden from
// listings, and swept when a container starts (nothing is in flight then).

export const TEMP_PREFIXES = {
  write: ".tidepool-write-",
  extract: ".tidepool-extract-",
  spool: ".tidepool-spool-",
} as const;

export function tempName(kind: keyof typeof TEMP_PREFIXES): string {
  return `${TEMP_PREFIXES[kind]}${randomBytes(8).toString("hex")}`;
}

/** find(1) arguments matching any temp name: `\( -name a -o -name b … \)`. */
export function findTempNameArgs(): string {
  return `\\( ${Object.values(TEMP_PREFIXES)
    .map((prefix) => `-name '${prefix}*'`)
    .join(" -o ")} \\)`;
}
