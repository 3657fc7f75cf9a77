import os from "node:os";
import path from "node:path";
import type Docker from "dockerode";
import { ensureBaseImage } from "../base-image";
import { ensureSupervisorBinary } from "./binary";
import { sweepSocketFolders } from "./socket-folder";

// Whether new containers get a supervisor: the binary is built once per
// machine (cached by source hash). If it cannot be built (no Debian mirror),
// sandboxes still work through docker exec; the build is tried again later.
// Once it is ready, socket folders of containers removed behind the app's
// back are swept (socket-folder.ts).

export type SupervisorOption = { cacheDir?: string } | false;

const RETRY_AFTER_FAILURE_MS = 5 * 60_000;
/** The binary's host folder and hash, and the root of the containers' socket folders (socket-folder.ts). */
export type SupervisorBinaryInfo = { hostDir: string; hash: string; socketsRoot: string };

const known = new Map<string, { binary: Promise<SupervisorBinaryInfo | null>; failedAt: number | null }>();

/** Where built binaries are kept unless told otherwise: the user's cache folder. */
export function defaultSupervisorCacheDir(): string {
  return path.join(os.homedir(), ".cache", "tidepool", "supervisor");
}

/** The binary to mount into new containers, or null to run them without one. */
export function supervisorBinaryFor(docker: Docker, option: SupervisorOption | undefined): Promise<SupervisorBinaryInfo | null> {
  if (option === false) return Promise.resolve(null);
  const cacheDir = option?.cacheDir ?? defaultSupervisorCacheDir();
  const entry = known.get(cacheDir);
  if (entry && (entry.failedAt === null || Date.now() - entry.failedAt < RETRY_AFTER_FAILURE_MS)) return entry.binary;
  const fresh: { binary: Promise<SupervisorBinaryInfo | null>; failedAt: number | null } = { binary: Promise.resolve(null), failedAt: null };
  fresh.binary = (async () => {
    try {
      const baseImage = await ensureBaseImage(docker);
      const built = await ensureSupervisorBinary(docker, { cacheDir, baseImage });
      const socketsRoot = path.join(cacheDir, "sockets");
      void sweepSocketFolders(docker, socketsRoot).catch(() => {});
      return { hostDir: built.dir, hash: built.hash, socketsRoot };
    } catch (error) {
      fresh.failedAt = Date.now();
      console.warn(`Sandboxes run without their supervisor (commands go through docker exec): ${(error as Error).message}`);
      return null;
    }
  })();
  known.set(cacheDir, fresh);
  return fresh.binary;
}
