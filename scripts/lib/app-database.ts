import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import type { Env } from "../../server/env";
import { acquireDataDirLock, type DataDirLock, readDataDirLock } from "./data-dir-lock";
import { EmbeddedPostgres, embeddedPostgresPaths } from "./embedded-postgres";
import { log } from "./log";
import { isRunning } from "./process-identity";

export type AppDatabase = {
  url: string;
  /** The embedded cluster's folder, or null for an external DATABASE_URL. */
  embeddedDir: string | null;
  /** Stops the embedded server (last, after the app) and releases DATA_DIR. Idempotent. */
  close(): Promise<void>;
};

const RESTART_DELAYS_MS = [500, 1000, 2000, 4000, 8000];

/**
 * The database the app's processes use: DATABASE_URL as given, or else the
 * embedded Postgres under DATA_DIR, which this process owns: it holds the
 * DATA_DIR lock (a second app on the same folder refuses), starts the server,
 * restarts it if it dies, and stops it on close.
 */
export async function openAppDatabase(env: Env, options: { onLost: (reason: string) => void }): Promise<AppDatabase> {
  if (env.DATABASE_URL) return { url: env.DATABASE_URL, embeddedDir: null, close: async () => {} };
  let lock: DataDirLock | null = acquireDataDirLock(env.DATA_DIR, { port: env.PORT });
  if (lock.previousOwner) log.warn(`The last run on ${env.DATA_DIR} (process ${lock.previousOwner.pid}) did not stop cleanly; recovering.`);
  warnAboutLegacyData(env.DATA_DIR);

  let closed = false;
  const database: EmbeddedPostgres = new EmbeddedPostgres(env.DATA_DIR, {
    onUnexpectedExit: (detail) => {
      if (closed) return;
      log.warn(`The embedded database stopped unexpectedly (${detail}); restarting it.`);
      void restart();
    },
  });
  const restart = async () => {
    for (const delay of RESTART_DELAYS_MS) {
      await new Promise((resolve) => setTimeout(resolve, delay));
      if (closed) return;
      try {
        await database.start();
        log.ok("The embedded database is back.");
        return;
      } catch (error) {
        log.warn(`Restarting the embedded database failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    options.onLost(`the embedded database could not be restarted; see ${database.paths.logFile}`);
  };

  const close = async () => {
    closed = true;
    await database.stop();
    lock?.release();
    lock = null;
  };
  try {
    const url = await database.start();
    return { url, embeddedDir: database.paths.dataDir, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Earlier versions kept an embedded PGlite database in DATA_DIR/pglite; it is no longer read. */
function warnAboutLegacyData(dataDir: string): void {
  const legacy = path.join(dataDir, "pglite");
  if (fs.existsSync(legacy)) log.warn(`${legacy} is from an earlier version (PGlite) and is no longer used; the database now lives in ${path.join(dataDir, "postgres")}.`);
}

/** The URL of the embedded database a running app on DATA_DIR owns, or null when none runs. */
export function runningEmbeddedDatabaseUrl(dataDir: string): string | null {
  const owner = readDataDirLock(dataDir);
  if (!owner || !isRunning(owner)) return null;
  try {
    return fs.readFileSync(embeddedPostgresPaths(dataDir).urlFile, "utf8").trim() || null;
  } catch {
    return null;
  }
}

/**
 * Only the app that holds DATA_DIR uses its embedded database, so every lease
 * in it (a turn, a sandbox start) belonged to an earlier run that a crash
 * ended: free them at start rather than make users wait for them to expire.
 */
export async function clearLeftoverLeases(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(`DELETE FROM "Lease"`)).rowCount ?? 0;
  } finally {
    await client.end();
  }
}
