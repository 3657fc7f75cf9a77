import { constants } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { SANDBOX_GID, SANDBOX_UID } from "./container-spec";
import { WorkspaceError } from "./errors";
import { validateId } from "./ids";
import { ensureWorkspaceDisk, type WorkspaceDiskOptions, type WorkspaceDiskState } from "./workspace-disk";

// The one thing the host does inside the workspace root: make {root}/{id}/workspace
// (with a disk quota: mount its own filesystem there, see workspace-disk.ts).
// A new folder is chowned to the sandbox user (that one folder, through a handle
// opened without following links); nothing is ever chowned recursively, and an
// existing folder is only checked, never changed. All later I/O goes through
// the container.

export function workspacePath(root: string, sessionId: string): string {
  return path.join(path.resolve(root), validateId(sessionId), "workspace");
}

export type PreparedWorkspace = { path: string; disk: WorkspaceDiskState | null };

export async function ensureWorkspace(root: string, sessionId: string, disk?: WorkspaceDiskOptions): Promise<PreparedWorkspace> {
  const absoluteRoot = path.resolve(root);
  const sessionDir = path.join(absoluteRoot, validateId(sessionId));
  const workspace = path.join(sessionDir, "workspace");
  try {
    await fs.mkdir(absoluteRoot, { recursive: true, mode: 0o711 });
    await makeDirectory(sessionDir, 0o711);
    if (await makeDirectory(workspace, 0o755)) {
      const handle = await fs.open(workspace, constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW);
      try {
        if (process.getuid?.() !== SANDBOX_UID) await handle.chown(SANDBOX_UID, SANDBOX_GID);
      } finally {
        await handle.close();
      }
    }
  } catch (error) {
    if (error instanceof WorkspaceError) throw error;
    throw new WorkspaceError(`Could not prepare the workspace ${workspace}: ${(error as Error).message}`, { cause: error });
  }
  return { path: workspace, disk: disk ? await ensureWorkspaceDisk(sessionDir, workspace, disk) : null };
}

/** mkdir without recursion; true if made now. An existing entry must be a real directory, not a link. */
async function makeDirectory(dir: string, mode: number): Promise<boolean> {
  try {
    await fs.mkdir(dir, { mode });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    const stat = await fs.lstat(dir);
    if (!stat.isDirectory() || stat.isSymbolicLink()) throw new WorkspaceError(`${dir} exists but is not a directory; refusing to use it.`);
    return false;
  }
}
