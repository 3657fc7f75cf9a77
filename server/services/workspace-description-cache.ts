import { createHash } from "node:crypto";
import { describeWorkspaceFiles, type ReadChoice, type WorkspaceDescription } from "../agent/workspace-files";
import type { DockerSandbox } from "../sandbox";

// The system prompt's summary of the user's files costs a Python run that
// reads each data file; most turns follow one another with nothing changed.
// The summary is kept per user, with a fingerprint of the workspace (every
// file's path, size and time, from one `find`); a turn reuses it while the
// fingerprint matches. Figures the agent draws are left out of both. The
// user's read choices (preview overrides, a sheet) are part of the fingerprint.

const MAX_USERS = 500;
const FINGERPRINT_MAX_FILES = 20_000;

type Entry = { fingerprint: string; description: WorkspaceDescription };
const globalForCache = globalThis as unknown as { tidepoolWorkspaceDescriptions?: Map<string, Entry> };
const cache = (globalForCache.tidepoolWorkspaceDescriptions ??= new Map<string, Entry>());

type Sandbox = Pick<DockerSandbox, "run" | "glob" | "workDir">;

export async function cachedWorkspaceDescription(
  userId: string,
  sandbox: Sandbox,
  choices: Record<string, ReadChoice> = {},
): Promise<WorkspaceDescription> {
  const fingerprint = await fingerprintOf(sandbox, choices);
  const cached = cache.get(userId);
  if (cached && fingerprint !== null && cached.fingerprint === fingerprint) return cached.description;
  const description = await describeWorkspaceFiles(sandbox, { choices });
  cache.delete(userId);
  if (fingerprint !== null) cache.set(userId, { fingerprint, description });
  const oldest = cache.keys().next();
  if (cache.size > MAX_USERS && !oldest.done) cache.delete(oldest.value);
  return description;
}

/** null when the listing failed or was cut short: then the summary is made afresh. */
async function fingerprintOf(sandbox: Sandbox, choices: Record<string, ReadChoice>): Promise<string | null> {
  try {
    const listing = await sandbox.glob("**/*", { maxResults: FINGERPRINT_MAX_FILES });
    if (listing.truncated) return null;
    const figures = `${sandbox.workDir}/figures/`;
    const hash = createHash("sha256").update(JSON.stringify(choices));
    for (const entry of listing.entries)
      if (!entry.path.startsWith(figures)) hash.update(`${entry.path}\0${entry.size}\0${entry.modifiedMs}\n`);
    return hash.digest("hex");
  } catch {
    return null;
  }
}
