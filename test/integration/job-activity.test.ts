import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { InMemorySessionStore, type SessionManagerOptions, SessionManager } from "~/server/sandbox";
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

/** A job that prints a tick every 0.2 s for about `seconds`, then "done". */
const tickFor = (seconds: number) =>
  `i=0; while [ $i -lt ${seconds * 5} ]; do echo tick $i; i=$((i+1)); sleep 0.2; done; echo done`;

/** Reaps every 200 ms while `running()` holds (bounded), checking after each pass that the container still runs. */
async function reapWhile(
  m: SessionManager,
  containerId: string,
  running: () => Promise<boolean>,
  boundMs: number,
): Promise<number> {
  const deadline = Date.now() + boundMs;
  let passes = 0;
  while (await running()) {
    if (Date.now() > deadline) throw new Error(`the job still ran after ${boundMs} ms`);
    await m.cleanupIdle();
    passes++;
    expect(await containerState(containerId)).toBe("running");
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return passes;
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
    const m = manager();
    const sandbox = await m.getOrCreate("jobs-reaper");
    const job = await sandbox.startJob(tickFor(4));
    const containerId = sandbox.containerId!;
    // jobActivity() is not use: only the job keeps the sandbox busy.
    const passes = await reapWhile(m, containerId, async () => (await sandbox.jobActivity()).running, 60_000);
    expect(passes).toBeGreaterThan(5);
    // Nothing was frozen meanwhile: the job wrote every tick.
    expect((await sandbox.jobOutput(job.id)).text).toMatch(/tick 19\ndone\n$/);
    // Ended: the idle tiers apply again (paused, then stopped).
    await expect
      .poll(async () => (await m.cleanupIdle(), containerState(containerId)), { timeout: 20_000, interval: 250 })
      .toBe("gone");
    expect(m.has("jobs-reaper")).toBe(false);
  });

  it(
    "a reaper in another process (the one that started the job has gone) asks the sandbox's supervisor",
    { timeout: 120_000 },
    async () => {
      const store = new InMemorySessionStore();
      const reaper = manager({ store });
      await reaper.recover();
      const app = manager({ store });
      const sandbox = await app.getOrCreate("jobs-elsewhere");
      await sandbox.startJob(tickFor(4));
      const containerId = sandbox.containerId!;
      // The app stops and leaves the container running, as an app restart does.
      await app.shutdown({ keepContainers: true });
      const ticking = async () => {
        const top = (await docker.getContainer(containerId).top()) as { Processes: string[][] };
        return top.Processes.some((process) => process.join(" ").includes("echo tick"));
      };
      const passes = await reapWhile(reaper, containerId, ticking, 60_000);
      expect(passes).toBeGreaterThan(5);
      await expect
        .poll(async () => (await reaper.cleanupIdle(), containerState(containerId)), { timeout: 20_000, interval: 250 })
        .toBe("gone");
    },
  );
});
