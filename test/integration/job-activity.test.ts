import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { InMemorySessionStore, type SessionEvent, type SessionManagerOptions, SessionManager } from "~/server/sandbox";
import {
  makeTempDir,
  removeTempDir,
  removeTestContainers,
  TEST_IMAGE,
  testDocker,
  testLabels,
  testLabelValue,
} from "./helpers/docker-cleanup-sandbox";

// Background jobs are activity: the idle reaper (short idle settings here)
// never pauses or stops a sandbox while a job runs in it, whichever process
// reaps, after an app restart too; once the job ended, the idle tiers apply
// again, counted from the job's end.

const docker = testDocker();
const label = testLabelValue("job-activity");
const IDLE = { pauseAfterMs: 300, stopAfterMs: 1500, maxPaused: 10 };
let root: string;
const managers: SessionManager[] = [];

function manager(options: Partial<SessionManagerOptions> = {}): SessionManager {
  const m = new SessionManager({
    docker,
    image: TEST_IMAGE,
    workspaceRoot: root,
    scope: label,
    labels: testLabels(label),
    idle: IDLE,
    ...options,
  });
  managers.push(m);
  return m;
}

/** A job that prints a tick every 0.2 s for about 6 s, then "done". */
const TICKS = "i=0; while [ $i -lt 30 ]; do echo tick $i; i=$((i+1)); sleep 0.2; done; echo done";

/**
 * Runs the reaper every 200 ms until it first pauses or stops the session (bounded): when it did, and when each
 * pass started.
 */
async function reapUntilIdle(m: SessionManager, events: SessionEvent[], sessionId: string) {
  const deadline = Date.now() + 60_000;
  const passes: number[] = [];
  const reaped = () =>
    events.find((event) => event.sessionId === sessionId && (event.type === "paused" || event.type === "reaped"));
  while (!reaped()) {
    if (Date.now() > deadline) throw new Error("the reaper never took the sandbox, 60 s after its job started");
    passes.push(Date.now());
    await m.cleanupIdle();
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { at: reaped()!.at, passes };
}

async function containerState(id: string): Promise<string> {
  const info = await docker
    .getContainer(id)
    .inspect()
    .catch(() => null);
  return info ? info.State.Status : "gone";
}

beforeAll(async () => {
  root = await makeTempDir("job-activity");
});

afterEach(async () => {
  await Promise.all(managers.splice(0).map((m) => m.shutdown().catch(() => 0)));
});

afterAll(async () => {
  await removeTestContainers(docker, label);
  if (root) await removeTempDir(root);
});

describe("the idle reaper and background jobs", () => {
  it("leaves a sandbox with a running job alone, then takes it once the job ended", { timeout: 120_000 }, async () => {
    const events: SessionEvent[] = [];
    const m = manager({ onEvent: (event) => events.push(event) });
    const sandbox = await m.getOrCreate("jobs-reaper");
    const job = await sandbox.startJob(TICKS);
    const containerId = sandbox.containerId!;
    const { at, passes } = await reapUntilIdle(m, events, "jobs-reaper");

    // Looking wakes it: the job had ended, whole (nothing frozen), before the reaper first acted.
    const ended = (await sandbox.jobs()).find((j) => j.id === job.id)!;
    expect(ended).toMatchObject({ running: false, exitCode: 0 });
    expect(ended.endedAt).toBeLessThanOrEqual(at);
    expect(passes.filter((start) => start < ended.endedAt!).length).toBeGreaterThanOrEqual(3);
    expect((await sandbox.jobOutput(job.id)).text).toMatch(/tick 29\ndone\n$/);
    // Then the idle tiers: paused, then stopped.
    await expect
      .poll(async () => (await m.cleanupIdle(), containerState(containerId)), { timeout: 20_000, interval: 250 })
      .toBe("gone");
  });

  it(
    "a reaper in another process (the one that started the job has gone) asks the sandbox's supervisor",
    { timeout: 120_000 },
    async () => {
      const store = new InMemorySessionStore();
      const events: SessionEvent[] = [];
      const reaper = manager({ store, onEvent: (event) => events.push(event) });
      await reaper.recover();
      const app = manager({ store });
      const sandbox = await app.getOrCreate("jobs-elsewhere");
      const job = await sandbox.startJob(TICKS);
      // The app stops and leaves the container running, as an app restart does.
      await app.shutdown({ keepContainers: true });
      const { at, passes } = await reapUntilIdle(reaper, events, "jobs-elsewhere");

      const ended = (await (await reaper.getOrCreate("jobs-elsewhere")).jobs()).find((j) => j.id === job.id)!;
      expect(ended).toMatchObject({ running: false, exitCode: 0 });
      expect(ended.endedAt).toBeLessThanOrEqual(at);
      expect(passes.filter((start) => start < ended.endedAt!).length).toBeGreaterThanOrEqual(3);
    },
  );
});
