import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/server/db";
import { docker } from "~/server/docker";
import { env } from "~/server/env";
import { LABELS } from "~/server/sandbox/labels";
import { sandboxPlatform } from "~/server/services/sandbox-manager";
import { callerFor, newUser, trpcCodeOf } from "./helpers/callers";
import { resetDatabase } from "./helpers/database";

// The jobs API through tRPC callers, on real Postgres and Docker: each user
// starts, watches, reads and stops only their own jobs, and watching never
// starts or wakes a sandbox.

async function containersOf(userId: string) {
  return docker.listContainers({
    all: true,
    filters: { label: [`${LABELS.session}=${userId}`, `${LABELS.manager}=${env.SANDBOX_SCOPE}`] },
  });
}

describe("background jobs through tRPC", () => {
  let alice: Awaited<ReturnType<typeof newUser>>;
  let bob: Awaited<ReturnType<typeof newUser>>;

  beforeAll(async () => {
    await resetDatabase();
    await newUser("admin");
    alice = await newUser("alice");
    bob = await newUser("bob");
  });

  afterAll(async () => {
    await sandboxPlatform().manager.shutdown();
    await db.$disconnect();
  });

  it("answers UNAUTHORIZED to anonymous callers", async () => {
    const anonymous = callerFor(null);
    expect(await trpcCodeOf(anonymous.jobs.list())).toBe("UNAUTHORIZED");
    expect(await trpcCodeOf(anonymous.jobs.start({ command: "true" }))).toBe("UNAUTHORIZED");
  });

  it("watching the jobs of a sandbox that is not running starts nothing", async () => {
    expect(await bob.caller.jobs.list()).toEqual({ sandbox: "asleep", jobs: [] });
    expect(await containersOf(bob.id)).toHaveLength(0);
    expect(await trpcCodeOf(bob.caller.jobs.output({ id: "p1", stream: "stdout", offset: 0 }))).toBe("NOT_FOUND");
    expect(await containersOf(bob.id)).toHaveLength(0);
  });

  it(
    "starts, lists, reads from an offset and stops a user's own job; another user sees none of it",
    { timeout: 120_000 },
    async () => {
      const job = await alice.caller.jobs.start({ command: "echo one; echo two >&2; sleep 300" });
      expect(job).toMatchObject({ running: true, command: "echo one; echo two >&2; sleep 300" });
      await expect
        .poll(async () => (await alice.caller.jobs.output({ id: job.id, stream: "stdout", offset: 0 })).text, {
          timeout: 10_000,
        })
        .toBe("one\n");
      expect(await alice.caller.jobs.output({ id: job.id, stream: "stderr", offset: 1 })).toMatchObject({
        text: "wo\n",
        offset: 1,
        next: 4,
        running: true,
      });
      const listed = await alice.caller.jobs.list();
      expect(listed.sandbox).toBe("running");
      expect(listed.jobs.map((j) => j.id)).toContain(job.id);

      // Bob's sandbox is his own: Alice's job is not in it.
      await bob.caller.sandbox.execute({ command: "true" });
      expect((await bob.caller.jobs.list()).jobs).toEqual([]);
      expect(await trpcCodeOf(bob.caller.jobs.stop({ id: job.id }))).toBe("NOT_FOUND");

      await alice.caller.jobs.stop({ id: job.id });
      await expect
        .poll(async () => (await alice.caller.jobs.list()).jobs.find((j) => j.id === job.id)?.running, {
          timeout: 10_000,
        })
        .toBe(false);
    },
  );

  it("a Stop while the page keeps polling the jobs leaves the sandbox stopped", { timeout: 120_000 }, async () => {
    const carol = await newUser("carol");
    const job = await carol.caller.jobs.start({ command: "sleep 300" });
    let stopped = false;
    const stop = carol.caller.sandbox.stop().finally(() => (stopped = true));
    // Four pages' polls, each asking again as soon as it is answered, all through the Stop.
    const answers: string[] = [];
    const poll = async () => {
      while (!stopped) {
        const [list, output] = await Promise.all([
          carol.caller.jobs.list(),
          trpcCodeOf(carol.caller.jobs.output({ id: job.id, stream: "stdout", offset: 0 })),
        ]);
        answers.push(`${list.sandbox}/${output}`);
      }
    };
    await Promise.all([stop, poll(), poll(), poll(), poll()]);
    expect(await stop).toBe(true);
    // Every answer was one a page can show: the jobs or "asleep"; an output, or "the jobs ended" (never a server error).
    expect(answers.length).toBeGreaterThan(0);
    expect(answers.filter((answer) => !/^(running|asleep)\/(OK|NOT_FOUND)$/.test(answer))).toEqual([]);
    expect(await containersOf(carol.id)).toHaveLength(0);
    expect((await carol.caller.sandbox.status()).state).toBe("none");
    expect(await carol.caller.jobs.list()).toEqual({ sandbox: "asleep", jobs: [] });
    expect(await trpcCodeOf(carol.caller.jobs.output({ id: job.id, stream: "stdout", offset: 0 }))).toBe("NOT_FOUND");
    expect(await containersOf(carol.id)).toHaveLength(0);
  });
});
