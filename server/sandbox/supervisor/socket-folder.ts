import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";

// Each supervised container gets a host folder of its own, mounted read-only
// at SUPERVISOR_SOCKET_MOUNT: the app listens there for its supervisor to
// dial in. Read-only, so user code can neither listen there nor plant a
// symlink; one per container, so no sandbox can reach another's socket.
// Named by a hash of the container's name: short, because a unix socket's
// path is limited to 107 bytes.

/** The container's socket folder, made if needed; null when it cannot be (the container then uses docker exec only). */
export async function prepareSocketFolder(root: string, containerName: string): Promise<string | null> {
  const dir = socketFolderPath(root, containerName);
  try {
    await fs.mkdir(dir, { recursive: true, mode: 0o755 });
    return dir;
  } catch (error) {
    console.warn(`Sandbox ${containerName} will be reached through docker exec only: cannot make ${dir}: ${(error as Error).message}`);
    return null;
  }
}

/** Removes a socket folder this module made (named as socketFolderPath names them), once its container is gone. */
export async function removeSocketFolder(dir: string): Promise<void> {
  if (/\/sockets\/[0-9a-f]{16}$/.test(dir)) await fs.rm(dir, { recursive: true, force: true });
}

function socketFolderPath(root: string, containerName: string): string {
  return path.join(root, createHash("sha256").update(containerName).digest("hex").slice(0, 16));
}
