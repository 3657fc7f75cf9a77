import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/server/db";
import { docker } from "~/server/docker";
import { env } from "~/server/env";
import { LABELS } from "~/server/sandbox/labels";
import { sandboxPlatform } from "~/server/services/sandbox-manager";
import { signUp } from "~/server/services/users";
import { callerFor } from "./helpers/callers";
import { resetDatabase } from "./helpers/database";
import { type Account, type CrowdResult, PER_PERSON_TIMEOUT_MS, signInCrowd } from "./helpers/sign-in-crowd";

// Tens of people arriving at once is an ordinary morning. Before, ten
// sign-ins wedged the server: each held a pooled connection in a transaction
// (an advisory lock) while waiting for another to write its session row.
// Now: 50 at once on one process, then 20 on each of two processes (some of
// them on both at once, as a load balancer would send them): every sandbox is
// ready, a newcomer is served promptly meanwhile, every person has exactly one
// container, and no connection is left idle in a transaction.

const PASSWORD = "correct horse battery";
const root = path.resolve(import.meta.dirname, "../..");
/** A newcomer's sign-up and first request, while the crowd is being served. */
const NEWCOMER_WITHIN_MS = 10_000;

/** Everyone this file signed up, so their sandboxes go at the end, whichever process made them. */
const everyone: string[] = [];

async function accounts(prefix: string, count: number): Promise<Account[]> {
  const made: Account[] = [];
  for (let i = 0; i < count; i++) {
    const email = `${prefix}-${i}@example.test`;
    everyone.push((await signUp({ email, password: PASSWORD })).id);
    made.push({ email, password: PASSWORD });
  }
  return made;
}

async function newcomerServedWithin(): Promise<number> {
  const started = Date.now();
  const user = await signUp({ email: `newcomer-${Date.now()}@example.test`, password: PASSWORD });
  await callerFor(user.id).auth.me();
  return Date.now() - started;
}

async function idleInTransaction(): Promise<number> {
  const [row] = await db.$queryRaw<{ count: bigint }[]>`
    SELECT count(*) AS count FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'`;
  return Number(row?.count ?? 0);
}

async function containersOf(userId: string): Promise<number> {
  const containers = await docker.listContainers({ filters: { label: [`${LABELS.session}=${userId}`, `${LABELS.manager}=${env.SANDBOX_SCOPE}`] } });
  return containers.length;
}

/** The same sign-ins in a second app process: the same code, database, Docker and scope. */
function inSecondProcess(crowd: Account[]): Promise<CrowdResult[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(root, "node_modules", ".bin", "tsx"), ["test/integration/helpers/crowd-process.ts", JSON.stringify(crowd)], {
      cwd: root,
      env: process.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), PER_PERSON_TIMEOUT_MS + 60_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      const last = stdout.trim().split("\n").at(-1) ?? "";
      if (code !== 0 || !last.startsWith("[")) reject(new Error(`the second process failed (exit ${code}):\n${stderr.slice(-3000)}`));
      else resolve(JSON.parse(last) as CrowdResult[]);
    });
  });
}

function expectAllReady(results: CrowdResult[]) {
  const failed = results.filter((result) => result.output !== "ready\n");
  expect(failed, JSON.stringify(failed.slice(0, 5), null, 2)).toEqual([]);
}

describe("a crowd signing in at once", () => {
  beforeAll(resetDatabase);
  afterAll(async () => {
    const { manager } = sandboxPlatform();
    await Promise.all(everyone.map((id) => manager.release(id)));
    await manager.shutdown();
    await db.$disconnect();
  });

  it("50 on one process: every sandbox ready, a newcomer served meanwhile, nothing idle in a transaction", async () => {
    const crowd = await accounts("crowd", 50);
    const arriving = signInCrowd(crowd);
    expect(await newcomerServedWithin()).toBeLessThan(NEWCOMER_WITHIN_MS);
    const results = await arriving;
    expectAllReady(results);
    for (const result of results) expect(await containersOf(result.userId!)).toBe(1);
    expect(await idleInTransaction()).toBe(0);
    console.log(`50 sign-ins to a first command: slowest ${Math.max(...results.map((result) => result.ms))} ms`);
  }, 600_000);

  it("20 on each of two processes, ten of them on both at once: one container each, all ready on both sides", async () => {
    const crowd = await accounts("pair", 30);
    const here = crowd.slice(0, 20);
    const there = crowd.slice(10, 30);
    const [ours, theirs] = await Promise.all([signInCrowd(here), inSecondProcess(there)]);
    expectAllReady(ours);
    expectAllReady(theirs);
    const ids = new Set([...ours, ...theirs].map((result) => result.userId!));
    expect(ids.size).toBe(30);
    for (const id of ids) expect(await containersOf(id)).toBe(1);
    expect(await db.sandboxSession.count({ where: { userId: { in: [...ids] }, stoppedAt: null, status: "RUNNING" } })).toBe(30);
    expect(await newcomerServedWithin()).toBeLessThan(NEWCOMER_WITHIN_MS);
    expect(await idleInTransaction()).toBe(0);
  }, 600_000);
});
