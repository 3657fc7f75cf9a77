import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/server/db";
import { docker } from "~/server/docker";
import { env } from "~/server/env";
import { ensureBaseImage } from "~/server/sandbox/base-image";
import { LABELS } from "~/server/sandbox/labels";
import { refreshRuntimeStatuses, type BuildUpdate } from "~/server/services/runtime-builds";
import { seedRuntimes } from "~/server/services/runtimes";
import { sandboxPlatform } from "~/server/services/sandbox-manager";
import { dumpLogs } from "./helpers/docker-cleanup-sandbox";
import { newUser, trpcCodeOf } from "./helpers/callers";
import { resetDatabase } from "./helpers/database";

// Runtimes end to end on real Docker and Postgres: an admin builds a jq
// runtime through the streamed build, a user switches to it (sandbox
// restarted, files kept), a runtime in use cannot be deleted, per-user limits
// reach the container, and the sessions table reports CPU and memory.
// Test runtimes carry a per-run suffix; their images are removed afterwards.

const suffix = randomBytes(3).toString("hex");
const JQ = `test-jq-${suffix}`;
const READY_IMAGE = `test-ready-${suffix}`;
const builtTags: string[] = [];

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

async function containerOf(userId: string) {
  const [info] = await docker.listContainers({ filters: { label: [`${LABELS.session}=${userId}`, `${LABELS.manager}=${env.SANDBOX_SCOPE}`] } });
  return info ? docker.getContainer(info.Id).inspect() : null;
}

async function run(caller: Awaited<ReturnType<typeof newUser>>["caller"], command: string): Promise<{ output: string; exitCode: number | null }> {
  const events = await collect(await caller.sandbox.execute({ command }));
  const output = events.flatMap((event) => (event.type === "output" ? [event.text] : [])).join("");
  const exit = events.at(-1);
  return { output, exitCode: exit?.type === "exit" ? exit.result.exitCode : null };
}

describe("admin runtimes on Docker", () => {
  let admin: Awaited<ReturnType<typeof newUser>>;
  let alice: Awaited<ReturnType<typeof newUser>>;

  beforeAll(async () => {
    await resetDatabase();
    admin = await newUser("admin");
    alice = await newUser("alice");
    await seedRuntimes();
  });

  afterAll(async () => {
    const container = await containerOf(alice.id).catch(() => null);
    if (container && !container.State.Running) console.error(await dumpLogs(docker, container.Id));
    await sandboxPlatform().manager.shutdown();
    for (const tag of builtTags)
      await docker
        .getImage(tag)
        .remove()
        .catch(() => {});
    await db.runtime.deleteMany({});
    await db.$disconnect();
  });

  it("finds at start which seeded runtimes are already built (the default is, by provisioning)", async () => {
    await refreshRuntimeStatuses();
    const row = await db.runtime.findUniqueOrThrow({ where: { name: env.DEFAULT_RUNTIME }, select: { status: true, imageTag: true, imageSizeBytes: true } });
    expect(row.status).toBe("READY");
    expect(row.imageTag).toMatch(new RegExp(`^tidepool/runtime:${env.DEFAULT_RUNTIME}-`));
    expect(Number(row.imageSizeBytes)).toBeGreaterThan(0);
    expect((await alice.caller.runtimes.available()).runtimes.find((runtime) => runtime.name === env.DEFAULT_RUNTIME)).toMatchObject({ ready: true, isDefault: true });
  });

  it("builds a jq runtime, streaming steps and log to READY with its tag and size", async () => {
    await admin.caller.admin.runtimes.create({
      config: { name: JQ, description: "jq for JSON", packageManager: "apt", packages: ["jq"], smokeCheck: "jq --version" },
    });
    const updates: BuildUpdate[] = await collect(await admin.caller.admin.runtimes.build({ name: JQ }));
    const events = updates.flatMap((update) => (update.type === "event" ? [update.event] : []));
    expect(events[0]?.type).toBe("start");
    const steps = events.filter((event) => event.type === "step");
    expect(steps.map((step) => step.title)).toContain("Install apt packages: jq");
    expect(steps.at(-1)?.index).toBe(steps.at(-1)?.total); // the smoke check is the last step
    expect(events.some((event) => event.type === "log" && /^jq-1\./.test(event.line))).toBe(true);
    const done = events.at(-1);
    expect(done?.type).toBe("done");

    const saved = updates.at(-1);
    expect(saved?.type).toBe("saved");
    const runtime = saved?.type === "saved" ? saved.runtime : null;
    expect(runtime).toMatchObject({ name: JQ, status: "READY" });
    expect(runtime?.imageTag).toMatch(new RegExp(`^tidepool/runtime:${JQ}-[0-9a-f]{12}$`));
    builtTags.push(runtime!.imageTag!);
    expect(runtime?.imageSizeBytes).toBeGreaterThan(10_000_000);
    expect(runtime?.lastBuiltAt).toBeInstanceOf(Date);

    const row = await admin.caller.admin.runtimes.get({ name: JQ });
    expect(row.buildLog).toContain("Step 1/");
    expect(row.buildLog).toMatch(/jq-1\./);
    // The smoke check can be run again on demand.
    expect(await admin.caller.admin.runtimes.verify({ name: JQ })).toMatchObject({ passed: true });
    const logged = await db.activityEvent.findMany({ where: { actorId: admin.id, action: "admin.runtime.build" }, select: { outcome: true } });
    expect(logged.map((event) => event.outcome)).toEqual(["ok"]);
  }, 600_000);

  it("joins a finished build as cached, and reports a failing build as FAILED with its error", async () => {
    const again = await collect(await admin.caller.admin.runtimes.build({ name: JQ }));
    expect(again.find((update) => update.type === "event" && update.event.type === "done")).toMatchObject({ event: { cached: true } });

    const broken = `test-broken-${suffix}`;
    await admin.caller.admin.runtimes.create({ config: { name: broken, packages: ["jq"], smokeCheck: "exit 3" } });
    const updates = await collect(await admin.caller.admin.runtimes.build({ name: broken }));
    expect(updates.find((update) => update.type === "event" && update.event.type === "error")).toBeTruthy();
    const saved = updates.at(-1);
    expect(saved?.type === "saved" && saved.runtime).toMatchObject({ status: "FAILED" });
    expect(saved?.type === "saved" && saved.runtime.buildError).toMatch(/smoke check/);
    await admin.caller.admin.runtimes.delete({ name: broken });
  }, 600_000);

  it("switches a user's running sandbox to the jq runtime: restarted, jq available, files kept", async () => {
    await alice.caller.files.write({ path: "notes/keep.json", content: '{"kept": true}\n' });
    expect((await alice.caller.sandbox.status()).runtime).toBe(env.DEFAULT_RUNTIME);
    const before = await containerOf(alice.id);

    const available = await alice.caller.runtimes.available();
    expect(available.runtimes.find((runtime) => runtime.name === JQ)).toMatchObject({ packages: ["jq"], ready: true });
    const status = await alice.caller.runtimes.choose({ name: JQ });
    expect(status).toMatchObject({ state: "running", runtime: JQ });
    const after = await containerOf(alice.id);
    expect(after?.Id).not.toBe(before?.Id);
    expect(after?.Config.Image).toBe(builtTags[0]);

    const jq = await run(alice.caller, "jq --version && jq -r .kept notes/keep.json");
    expect(jq.exitCode).toBe(0);
    expect(jq.output).toMatch(/^jq-1\.\d+.*\ntrue\n$/);
    expect((await alice.caller.runtimes.available()).current).toBe(JQ);
  }, 300_000);

  it("refuses to delete a runtime a running sandbox uses", async () => {
    expect(await trpcCodeOf(admin.caller.admin.runtimes.delete({ name: JQ }))).toBe("CONFLICT");
    expect(await db.runtime.count({ where: { name: JQ } })).toBe(1);
    expect((await admin.caller.admin.runtimes.list()).find((runtime) => runtime.name === JQ)).toMatchObject({ sessions: 1, users: 1 });
    // A ready-made image runtime, unused, goes.
    await admin.caller.admin.runtimes.create({ config: { name: READY_IMAGE, image: await ensureBaseImage(docker) } });
    await admin.caller.admin.runtimes.delete({ name: READY_IMAGE });
  });

  it("lists the user's session with CPU and memory now, and its activity", async () => {
    const sessions = await admin.caller.admin.sessions.list();
    const session = sessions.find((row) => row.user.id === alice.id);
    expect(session).toMatchObject({ runtime: JQ, state: "running", user: { email: alice.email } });
    expect(session?.usage?.memoryBytes).toBeGreaterThan(0);
    expect(session?.usage?.cpuPercent).toBeGreaterThanOrEqual(0);
    const activity = await admin.caller.admin.sessions.activity({ userId: alice.id });
    expect(activity.map((event) => event.action)).toEqual(expect.arrayContaining(["sandbox.choose_runtime", "sandbox.execute"]));
  });

  it("applies a per-user memory and CPU limit when the admin restarts the sandbox", async () => {
    await admin.caller.admin.users.setLimits({ userId: alice.id, memoryMb: 384, cpus: 0.5 });
    await admin.caller.admin.sessions.restart({ userId: alice.id });
    const container = await containerOf(alice.id);
    expect(container?.HostConfig.Memory).toBe(384 * 1024 * 1024);
    expect(container?.HostConfig.MemorySwap).toBe(384 * 1024 * 1024);
    expect(container?.HostConfig.NanoCpus).toBe(5e8);
    expect(container?.Config.Image).toBe(builtTags[0]); // still the jq runtime
    expect((await run(alice.caller, "cat notes/keep.json")).output).toBe('{"kept": true}\n');

    // Another user keeps the platform's limits.
    const bob = await newUser("bob");
    await run(bob.caller, "true");
    expect((await containerOf(bob.id))?.HostConfig.Memory).toBe(env.SANDBOX_MEMORY_MB * 1024 * 1024);
  }, 300_000);

  it("stops a user's sandbox from the sessions table; the runtime can then be deleted", async () => {
    expect(await admin.caller.admin.sessions.stop({ userId: alice.id })).toBe(true);
    expect(await containerOf(alice.id)).toBeNull();
    expect((await admin.caller.admin.sessions.list()).some((row) => row.user.id === alice.id)).toBe(false);
    const stops = await db.activityEvent.findMany({ where: { action: "sandbox.stop", subjectId: alice.id }, select: { actorId: true } });
    expect(stops.map((event) => event.actorId)).toContain(admin.id);

    await admin.caller.admin.runtimes.delete({ name: JQ });
    // Alice had chosen it: she is back on the default, files intact.
    expect((await alice.caller.runtimes.available()).current).toBe(env.DEFAULT_RUNTIME);
    expect((await run(alice.caller, "cat notes/keep.json")).output).toBe('{"kept": true}\n');
  }, 300_000);
});
