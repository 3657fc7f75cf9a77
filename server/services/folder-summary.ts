import { InvalidPathError } from "../sandbox/errors";
import { heavyOperations } from "./heavy-operations";
import { sandboxFor } from "./sandboxes";

// How much a folder holds, for the delete confirmation ("12 files, 3.4 MB").
// Counted inside the user's sandbox (hidden files too, since deleting removes
// them), up to a bound: past it the answer says "at least".

const MAX_COUNTED = 5_000;

export type FolderSummary = {
  path: string;
  files: number;
  totalBytes: number;
  /** More files than were counted: `files` and `totalBytes` are lower bounds. */
  atLeast: boolean;
};

export async function folderSummary(userId: string, dirPath: string): Promise<FolderSummary> {
  const sandbox = await sandboxFor(userId);
  const resolved = sandbox.resolvePath(dirPath);
  if (resolved === sandbox.workDir) throw new InvalidPathError(dirPath, "the workspace itself cannot be deleted");
  return heavyOperations.run(userId, "read", async () => {
    const listing = await sandbox.glob("*", { path: resolved, maxResults: MAX_COUNTED, includeHidden: true });
    const totalBytes = listing.entries.reduce((sum, entry) => sum + entry.size, 0);
    return { path: resolved, files: listing.entries.length, totalBytes, atLeast: listing.truncated };
  });
}
