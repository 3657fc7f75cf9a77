import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/server/db";
import { docker } from "~/server/docker";
import { env } from "~/server/env";
import { containerStatus } from "~/server/sandbox/container-lifecycle";
import { resolveRuntime } from "~/server/sandbox/runtime";
import { SessionManager, type SessionManagerOptions } from "~/server/sandbox/session-manager";
import type { RuntimeConfig } from "~/server/sandbox/runtime";
import { acquireLease } from "~/server/services/leases";
import { sandboxPlatform } from "~/server/services/sandbox-manager";
import { PrismaSessionStore } from "~/server/services/sandbox-session-store";
import { newUser } from "./helpers/callers";
import { resetDatabase } from "./helpers/database";

// Two app processes on one database (two managers sharing only Postgres and
// Docker, as two processes do). Before, process B's idle reaper paused and
// removed a sandbox while a command ran through process A, and reaped
// everything it had adopted. Now a session is idle only if it is idle
// everywhere, one process reaps at a time, and what one process changes
// (a runtime switch) is what the other one runs.

const store = new PrismaSessionStore();
let scopeCounter = 0;

function managers(idle: { pauseAfterMs: number; stopAfterMs: number }) {
  const scope = `${env.SANDBOX_SCOPE}-shared-${++scopeCounter}`;
  const options: SessionManagerOptions<RuntimeConfig> = {
    docker,
    workspaceRoot: env.WORKSPACE_ROOT,
    defaultRuntime: env.DEFAULT_RUNTIME,
    scope,
    store,
    adoptUnknown: false,
    imageBuilder: sandboxPlatform().images,
    idle,
  };
  return { scope, a: new SessionManager(options), b: new SessionManager(options) };
}

function settled(promise: Promise<unknown>): () => boolean {
  let done = false;
  void promise.finally(() => (done = true)).catch(() => {});
  return () => done;
}

describe("sessions shared by two app processes", () => {
  beforeAll(resetDatabase);
  afterAll(async () => {
    await sandboxPlatform().manager.shutdown();
    await db.$disconnect();
  });

  it("another process's reaper leaves a running command alone, then pauses and stops the idle sandbox; the next command wakes it", async () => {
    const user = await newUser("busy-elsewhere");
    const { a, b } = managers({ pauseAfterMs: 1000, stopAfterMs: 2500 });
    try {
      const sandbox = await a.getOrCreate(user.id);
      await sandbox.write("kept.txt", "still here\n");
      // B starts while A serves the user, and adopts the container as a second process does at boot.
      expect(await b.recover()).toEqual({ adopted: 1, removed: 0 });

      const command = sandbox.execute("sleep 6; echo finished", { timeoutMs: 30_000 });
      const done = settled(command);
      let reaped = 0;
      while (!done()) {
        reaped += await b.cleanupIdle();
        expect(await containerStatus(docker, sandbox.containerId!)).toBe("running");
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      expect(reaped).toBe(0);
      expect(await command).toMatchObject({ output: "finished\n", exitCode: 0, timedOut: false });

      // Idle everywhere now: B's reaper pauses it, then stops it.
      await expect
        .poll(async () => {
          await b.cleanupIdle();
          return (await store.get(user.id))?.status;
        }, { timeout: 20_000, interval: 250 })
        .toBe("stopped");
      expect(await containerStatus(docker, sandbox.containerId!)).toBe("gone");

      // A still holds its sandbox object; its next command wakes a new container with the files intact.
      expect((await sandbox.execute("cat kept.txt")).output).toBe("still here\n");
      expect((await store.get(user.id))?.status).toBe("running");
    } finally {
      await a.shutdown();
      await b.shutdown();
    }
  }, 90_000);

  it("only one process reaps at a time: while another holds the reaper's lease, a reaper does nothing", async () => {
    const user = await newUser("one-reaper");
    const { scope, a, b } = managers({ pauseAfterMs: 500, stopAfterMs: 60_000 });
    try {
      await a.getOrCreate(user.id);
      await b.recover();
      const lease = await acquireLease(`reaper:${scope}`, { ttlMs: 30_000 });
      expect(lease).not.toBeNull();
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(await Promise.all([a.cleanupIdle(), b.cleanupIdle()])).toEqual([0, 0]);
      expect((await store.get(user.id))?.status).toBe("running");
      await lease!.release();
      await a.cleanupIdle();
      expect((await store.get(user.id))?.status).toBe("paused");
    } finally {
      await a.shutdown();
      await b.shutdown();
    }
  }, 60_000);

  it("a runtime switched through one process is what the other process runs next", async () => {
    const user = await newUser("switcher");
    const { a, b } = managers({ pauseAfterMs: 60_000, stopAfterMs: 120_000 });
    try {
      const before = await a.getOrCreate(user.id);
      expect((await before.execute(`python3 -c "import pandas; print('pandas')"`)).output).toBe("pandas\n");
      // The switch arrives at B (a release, then a start on the new runtime), as chooseRuntime does.
      await b.release(user.id);
      await b.getOrCreate(user.id, resolveRuntime("python-minimal"));
      // A's next request sees the change rather than its old view.
      const after = await a.getOrCreate(user.id);
      expect(after.runtime?.name).toBe("python-minimal");
      const run = await after.execute(`python3 -c "import pandas"`);
      expect(run.exitCode).toBe(1);
      expect(run.output).toContain("No module named 'pandas'");
      expect((await store.get(user.id))?.runtime).toBe("python-minimal");
    } finally {
      await a.shutdown();
      await b.shutdown();
    }
  }, 120_000);
});
