import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { identify, isRunning, type ProcessIdentity } from "./process-identity";

// One app per DATA_DIR with the embedded database: its server, its files and
// its generated secrets belong to one running `npm start`. The lock file
// names the owner; a lock whose owner is gone (a crash, a SIGKILL) is stale
// and taken over.

type LockContents = ProcessIdentity & { host: string; startedAt: string; port?: number };

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly owner: LockContents,
  ) {
    super(
      `Tidepool is already running on ${dataDir} (process ${owner.pid}${owner.port ? `, port ${owner.port}` : ""}, started ${owner.startedAt}). ` +
        "Stop it first (Ctrl+C in its terminal), or give this one its own DATA_DIR.",
    );
  }
}

export type DataDirLock = {
  /** Set when the lock was stale: whoever held it before, now gone. */
  previousOwner: LockContents | null;
  release(): void;
};

function lockFile(dataDir: string): string {
  return path.join(dataDir, "tidepool.lock");
}

/** Who holds DATA_DIR (possibly a process that is gone), or null. */
export function readDataDirLock(dataDir: string): LockContents | null {
  return readLock(lockFile(dataDir));
}

function readLock(file: string): LockContents | null {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as LockContents;
  } catch {
    return null;
  }
}

/** Takes the lock for this process or throws DataDirLockedError naming the running owner. */
export function acquireDataDirLock(dataDir: string, details: { port?: number } = {}): DataDirLock {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = lockFile(dataDir);
  const mine: LockContents = { ...identify(process.pid), host: os.hostname(), startedAt: new Date().toISOString(), ...details };
  let previousOwner: LockContents | null = null;
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      // O_EXCL: of two processes starting at once, exactly one creates the file.
      fs.writeFileSync(file, JSON.stringify(mine), { flag: "wx", mode: 0o600 });
      return {
        previousOwner,
        release: () => {
          if (readLock(file)?.pid === process.pid) fs.rmSync(file, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const owner = readLock(file);
    // A half-written file is a racing starter's: let it finish before judging.
    if (!owner) {
      const age = Date.now() - (fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0);
      if (age < 2000) {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
        continue;
      }
    } else if (owner.host !== os.hostname() || isRunning(owner)) {
      // Another machine's process (a shared folder) cannot be checked: it counts as running.
      throw new DataDirLockedError(dataDir, owner);
    }
    previousOwner = owner;
    fs.rmSync(file, { force: true });
  }
  throw new Error(`Could not take ${file}; another process keeps replacing it.`);
}
