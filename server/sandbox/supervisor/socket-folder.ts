import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import type Docker from "dockerode";
import { SUPERVISOR_SOCKET_MOUNT } from "../supervisor-mount";

// Each supervised container gets a host folder of its own, mounted read-only
// at SUPERVISOR_SOCKET_MOUNT: the app listens there for its supervisor to
// dial in. Read-only, so user code can neither listen there nor plant a
// symlink; one per container, so no sandbox can reach another's socket. The
// folder goes with its container (removeContainer). Named by 16 random hex
// digits: short, because a unix socket's path is limited to 107 bytes.

/**
 * Creates (or adopts) a container through `create`, with a fresh socket folder under `root` (null: none). The
 * folder is removed when it ends up unused: the create failed, or an existing container (with its own) was adopted.
 */
export async function withSocketFolder<T extends { adopted: boolean }>(root: string | null, create: (folder: string | null) => Promise<T>): Promise<T> {
  const folder = root ? await prepareSocketFolder(root) : null;
  let created: T;
  try {
    created = await create(folder);
  } catch (error) {
    if (folder) await removeSocketFolder(folder);
    throw error;
  }
  if (folder && created.adopted) await removeSocketFolder(folder);
  return created;
}

/** Removes a socket folder made here (named as prepareSocketFolder names them), once its container is gone. */
export async function removeSocketFolder(dir: string): Promise<void> {
  if (/\/sockets\/[0-9a-f]{16}$/.test(dir)) await fs.rm(dir, { recursive: true, force: true });
}

/** A folder younger than this may belong to a container another process is creating right now. */
const SWEEP_MIN_AGE_MS = 10 * 60_000;

/** Removes the folders under `root` that no container mounts: theirs were removed behind the app's back (`docker rm`). */
export async function sweepSocketFolders(docker: Docker, root: string): Promise<number> {
  const containers = await docker.listContainers({ all: true });
  const mounted = new Set(containers.flatMap((c) => c.Mounts.filter((m) => m.Destination === SUPERVISOR_SOCKET_MOUNT).map((m) => m.Source)));
  const names = await fs.readdir(root).catch(() => []);
  let removed = 0;
  for (const name of names) {
    const dir = path.join(root, name);
    const stat = await fs.stat(dir).catch(() => null);
    if (!stat || mounted.has(dir) || Date.now() - stat.mtimeMs < SWEEP_MIN_AGE_MS) continue;
    await removeSocketFolder(dir);
    removed++;
  }
  return removed;
}

/** A new folder; null when it cannot be made (the container is then reached through docker exec only). */
async function prepareSocketFolder(root: string): Promise<string | null> {
  const dir = path.join(root, randomBytes(8).toString("hex"));
  try {
    await fs.mkdir(dir, { recursive: true, mode: 0o755 });
    return dir;
  } catch (error) {
    console.warn(`A sandbox will be reached through docker exec only: cannot make ${dir}: ${(error as Error).message}`);
    return null;
  }
}
