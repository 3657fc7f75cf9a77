import fs from "node:fs/promises";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  InvalidSessionIdError,
  LABELS,
  QuotaExceededError,
  type SessionEvent,
  SessionManager,
  type SessionManagerOptions,
} from "~/server/sandbox";
import { removeContainer } from "~/server/sandbox/container-lifecycle";
import {
  makeTempDir,
  removeTempDir,
  removeTestContainers,
  TEST_IMAGE,
  testDocker,
  testLabels,
  testLabelValue,
} from "./helpers/docker-cleanup-sandbox";

// SessionManager on real Docker: persistence across release/reap/restart,
// one container per id under concurrency, idle tiers that spare busy sessions,
// adoption by a second manager, recovery from an external `docker rm -f`, caps.

const docker = testDocker();
const label = testLabelValue("session");
let root: string;
const managers: SessionManager[] = [];

function manager(options: Partial<SessionManagerOptions> = {}): SessionManager {
  const m = new SessionManager({
    docker,
    image: TEST_IMAGE,
    workspaceRoot: root,
    scope: label,
    labels: testLabels(label),
    limits: { memoryMb: 256, pids: 128 },
    ...options,
  });
  managers.push(m);
  return m;
}

async function containersOf(sessionId: string): Promise<string[]> {
  const list = await docker.listContainers({ all: true, filters: { label: [`${LABELS.test}=${label}`, `${LABELS.session}=${sessionId}`] } });
  return list.map((c) => c.Id);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  root = await makeTempDir("sessions");
});

afterEach(async () => {
  await Promise.all(managers.splice(0).map((m) => m.shutdown().catch(() => 0)));
});

afterAll(async () => {
  await removeTestContainers(docker, label);
  if (root) await removeTempDir(root);
});

describe("SessionManager", () => {
  it("Request 1 writes greeting.txt, Request 2 reads it — across release, reaping and a new container", async () => {
    const m = manager();
    const first = await m.getOrCreate("user-123");
    await first.execute("echo 'hello' > /workspace/greeting.txt");
    const second = await m.getOrCreate("user-123");
    expect(second).toBe(first);
    expect((await second.execute("cat /workspace/greeting.txt")).output).toBe("hello\n");
    expect(m.sessionCount).toBe(1);
    expect(m.has("user-123")).toBe(true);

    // The host made exactly the session folder, owned by the sandbox user.
    const workspace = m.workspacePath("user-123")!;
    expect(workspace).toBe(path.join(root, "user-123", "workspace"));
    expect((await fs.stat(workspace)).uid).toBe(1000);

    const containerBefore = first.containerId;
    expect(await m.release("user-123")).toBe(true);
    expect(await m.release("user-123")).toBe(false);
    expect(m.has("user-123")).toBe(false);
    expect(await containersOf("user-123")).toEqual([]);
    const third = await m.getOrCreate("user-123");
    expect(third.containerId).not.toBe(containerBefore);
    expect((await third.execute("cat /workspace/greeting.txt")).output).toBe("hello\n");

    expect(await m.cleanupIdle(0)).toBe(1);
    expect(await containersOf("user-123")).toEqual([]);
    expect(m.sessionCount).toBe(0);
    const woken = await m.getOrCreate("user-123");
    expect((await woken.read("greeting.txt"))).toBe("     1\thello");
    expect(await m.shutdown()).toBe(1);
  });

  it("50 concurrent getOrCreate calls for one id make exactly one container", async () => {
    const m = manager();
    const sandboxes = await Promise.all(Array.from({ length: 50 }, () => m.getOrCreate("crowd")));
    expect(new Set(sandboxes).size).toBe(1);
    expect(await containersOf("crowd")).toHaveLength(1);
    expect(m.sessionCount).toBe(1);
  });

  it("the reaper leaves a 5 s command alone, then pauses and reaps the idle session", async () => {
    const events: SessionEvent[] = [];
    const m = manager({ idle: { pauseAfterMs: 300, stopAfterMs: 2500, maxPaused: 10 }, onEvent: (e) => events.push(e) });
    const s = await m.getOrCreate("busy");
    m.startCleanupLoop(100);
    const result = await s.execute("sleep 5; echo done");
    const finishedAt = Date.now();
    expect(result.output).toBe("done\n");
    expect(result.exitCode).toBe(0);
    expect(events.filter((e) => e.sessionId === "busy" && e.at < finishedAt && (e.type === "paused" || e.type === "reaped"))).toEqual([]);
    // Then, idle: paused first, reaped later.
    for (let i = 0; i < 100 && !events.some((e) => e.type === "reaped"); i++) await sleep(100);
    const paused = events.find((e) => e.type === "paused");
    const reaped = events.find((e) => e.type === "reaped");
    expect(paused).toBeDefined();
    expect(reaped).toBeDefined();
    expect(paused!.at).toBeLessThan(reaped!.at);
    expect(await containersOf("busy")).toEqual([]);
    m.stopCleanupLoop();
    expect((await s.execute("echo awake")).output).toBe("awake\n");
    expect(events.some((e) => e.type === "woke")).toBe(true);
  });

  it("a paused session's next command works and a process started before the pause is alive", async () => {
    const m = manager({ idle: { pauseAfterMs: 1, stopAfterMs: 3_600_000, maxPaused: 10 } });
    const s = await m.getOrCreate("sleeper");
    await s.execute("sleep 1000 > /dev/null 2>&1 & echo $! > /tmp/pid");
    await sleep(20);
    await m.cleanupIdle();
    expect(s.state).toBe("paused");
    expect((await docker.getContainer(s.containerId!).inspect()).State.Paused).toBe(true);
    const result = await s.execute('kill -0 "$(cat /tmp/pid)" && echo alive');
    expect(result.output).toBe("alive\n");
    expect(s.state).toBe("running");
  });

  it("caps paused sessions by reaping the longest idle", async () => {
    const m = manager({ idle: { pauseAfterMs: 1, stopAfterMs: 3_600_000, maxPaused: 1 } });
    const a = await m.getOrCreate("cap-a");
    await sleep(50);
    const b = await m.getOrCreate("cap-b");
    await sleep(20);
    await m.cleanupIdle();
    expect([a.state, b.state]).toEqual(["stopped", "paused"]);
  });

  it("a second manager adopts the first one's containers and removes orphans", async () => {
    const first = manager();
    const s = await first.getOrCreate("adoptee");
    await s.execute("echo kept > note.txt; sleep 1000 > /dev/null 2>&1 & echo $! > /tmp/pid");
    expect(await first.shutdown({ keepContainers: true })).toBe(1);
    // An orphan in this scope: created, never started.
    const orphan = await docker.createContainer({
      Image: TEST_IMAGE,
      name: `tidepool-session-ghost-${label}`,
      Cmd: ["sleep", "infinity"],
      Labels: { ...testLabels(label), [LABELS.managed]: "true", [LABELS.manager]: label, [LABELS.session]: `ghost-${label}` },
    });

    const events: SessionEvent[] = [];
    const second = manager({ onEvent: (e) => events.push(e) });
    expect(await second.recover()).toEqual({ adopted: 1, removed: 1 });
    expect(events.map((e) => `${e.type}:${e.sessionId}`).sort()).toEqual(["adopted:adoptee", `orphan-removed:ghost-${label}`]);
    await expect(docker.getContainer(orphan.id).inspect()).rejects.toMatchObject({ statusCode: 404 });
    const adopted = await second.getOrCreate("adoptee");
    expect(adopted.containerId).toBe(s.containerId);
    expect((await adopted.execute('cat note.txt; kill -0 "$(cat /tmp/pid)" && echo alive')).output).toBe("kept\nalive\n");
    expect(await containersOf("adoptee")).toHaveLength(1);
  });

  it("`docker rm -f` of a session's container: the next call recreates it, files intact", async () => {
    const m = manager();
    const s = await m.getOrCreate("fragile");
    await s.write("data.csv", "a,b\n1,2\n");
    const before = s.containerId!;
    await removeContainer(docker, before);
    const again = await m.getOrCreate("fragile");
    const result = await again.execute("cat data.csv");
    expect(result.output).toBe("a,b\n1,2\n");
    expect(again.containerId).not.toBe(before);
    expect(await containersOf("fragile")).toHaveLength(1);
  });

  it("getIfLive answers with the live sandbox, another manager's included, and never brings back one a release takes away", async () => {
    const first = manager();
    expect(await first.getIfLive("watched")).toBeNull();
    expect(await containersOf("watched")).toEqual([]);
    const sandbox = await first.getOrCreate("watched");
    expect(await first.getIfLive("watched")).toBe(sandbox);

    // Asked all through a release, as a page's poll races the user's Stop: none of the answers starts it again.
    let released = false;
    const release = first.release("watched").finally(() => (released = true));
    const answers: (string | null)[] = [];
    while (!released) answers.push((await first.getIfLive("watched"))?.containerId ?? null);
    await release;
    expect(answers.every((id) => id === null || id === sandbox.containerId)).toBe(true);
    expect(await first.getIfLive("watched")).toBeNull();
    expect(await containersOf("watched")).toEqual([]);
    expect(first.has("watched")).toBe(false);

    // Another process's live container is taken over as it is, paused state and all.
    const kept = await first.getOrCreate("watched");
    await first.shutdown({ keepContainers: true });
    await docker.getContainer(kept.containerId!).pause();
    const second = manager();
    const adopted = await second.getIfLive("watched");
    expect(adopted?.containerId).toBe(kept.containerId);
    expect(adopted?.state).toBe("paused");
    expect(await containersOf("watched")).toHaveLength(1);
  });

  it("refuses more sessions than the cap with a typed error", async () => {
    const m = manager({ maxSessions: 2 });
    await m.getOrCreate("q1");
    await m.getOrCreate("q2");
    await expect(m.getOrCreate("q3")).rejects.toThrow(QuotaExceededError);
    await m.release("q1");
    await expect(m.getOrCreate("q3")).resolves.toBeDefined();
  });

  it("validates session ids before touching the host or Docker", async () => {
    const m = manager();
    for (const bad of ["../x", "a/b", "", "-lead", "x".repeat(65), "a b"]) {
      await expect(m.getOrCreate(bad)).rejects.toThrow(InvalidSessionIdError);
    }
    expect(await fs.readdir(root)).not.toContain("..");
  });
});
