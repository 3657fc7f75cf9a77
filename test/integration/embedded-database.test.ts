import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { type AppDatabase, openAppDatabase } from "~/scripts/lib/app-database";
import { EmbeddedPostgres } from "~/scripts/lib/embedded-postgres";
import { parseEnv } from "~/server/env";

// The zero-configuration database as `npm start` owns it: one owner per
// DATA_DIR, data that outlives the process, a database process that is
// restarted when it dies, and a server a killed app left behind that the next
// start stops first. (The e2e suite does the same through the whole app.)

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "tidepool-embedded-"));
fs.chmodSync(scratch, 0o755);
const opened: AppDatabase[] = [];

function envFor(dataDir: string) {
  return parseEnv({ DATA_DIR: dataDir, AUTH_SECRET: "x".repeat(32) });
}

async function open(dataDir: string): Promise<AppDatabase> {
  const database = await openAppDatabase(envFor(dataDir), { onLost: () => {} });
  opened.push(database);
  return database;
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

afterAll(async () => {
  for (const database of opened) await database.close();
  fs.rmSync(scratch, { recursive: true, force: true });
});

describe("the embedded database", () => {
  it("lives under DATA_DIR, has one owner at a time, and keeps its data across a clean stop", async () => {
    const dataDir = path.join(scratch, "owner");
    const first = await open(dataDir);
    expect(first.embeddedDir).toBe(path.join(dataDir, "postgres"));
    await query(first.url, "CREATE TABLE kept (note text); INSERT INTO kept VALUES ('still here')");

    await expect(open(dataDir)).rejects.toThrow(`Tidepool is already running on ${dataDir}`);

    await first.close();
    expect(fs.existsSync(path.join(dataDir, "tidepool.lock"))).toBe(false);
    await expect(query(first.url, "SELECT 1")).rejects.toThrow();

    const again = await open(dataDir);
    expect(await query(again.url, "SELECT note FROM kept")).toEqual([{ note: "still here" }]);
  }, 60_000);

  it("is restarted on the same address when its process dies, with every committed row", async () => {
    const database = await open(path.join(scratch, "restart"));
    await query(database.url, "CREATE TABLE kept (n int); INSERT INTO kept VALUES (1), (2)");
    const pidFile = path.join(database.embeddedDir!, "postmaster.pid");
    const before = Number(fs.readFileSync(pidFile, "utf8").split("\n")[0]);
    process.kill(before, "SIGKILL");

    await expect
      .poll(() => query<{ count: string }>(database.url, "SELECT count(*) AS count FROM kept").then((rows) => rows[0]?.count, () => null), { timeout: 30_000, interval: 250 })
      .toBe("2");
    expect(Number(fs.readFileSync(pidFile, "utf8").split("\n")[0])).not.toBe(before);
  }, 60_000);

  it("stops a server a killed app left running before it starts its own", async () => {
    const dataDir = path.join(scratch, "orphan");
    // A server with no owner holding DATA_DIR: what a SIGKILL of `npm start` alone leaves behind.
    const leftBehind = new EmbeddedPostgres(dataDir);
    const orphanUrl = await leftBehind.start();
    await query(orphanUrl, "CREATE TABLE kept (n int); INSERT INTO kept VALUES (7)");
    const orphanPid = leftBehind.pid!;

    const database = await open(dataDir);
    const serving = Number(fs.readFileSync(path.join(database.embeddedDir!, "postmaster.pid"), "utf8").split("\n")[0]);
    expect(serving).not.toBe(orphanPid);
    expect(await query(database.url, "SELECT n FROM kept")).toEqual([{ n: 7 }]);
  }, 60_000);
});
