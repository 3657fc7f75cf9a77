import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/server/db";
import { docker } from "~/server/docker";
import { env } from "~/server/env";
import { LABELS } from "~/server/sandbox/labels";
import { SessionManager } from "~/server/sandbox/session-manager";
import { sandboxPlatform } from "~/server/services/sandbox-manager";
import { PrismaSessionStore } from "~/server/services/sandbox-session-store";
import { callerFor, newUser, trpcCodeOf } from "./helpers/callers";
import { resetDatabase } from "./helpers/database";

// The platform's sandbox API through tRPC callers, on real Postgres and Docker.

async function containersOf(userId: string, scope = env.SANDBOX_SCOPE) {
  return docker.listContainers({ all: true, filters: { label: [`${LABELS.session}=${userId}`, `${LABELS.manager}=${scope}`] } });
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

describe("platform sandboxes", () => {
  let alice: Awaited<ReturnType<typeof newUser>>;
  let bob: Awaited<ReturnType<typeof newUser>>;

  beforeAll(async () => {
    await resetDatabase();
    await newUser("admin"); // the first account is the admin; alice and bob are plain users
    alice = await newUser("alice");
    bob = await newUser("bob");
  });

  afterAll(async () => {
    await sandboxPlatform().manager.shutdown();
    await db.$disconnect();
  });

  it("answers UNAUTHORIZED to anonymous callers and creates no container", async () => {
    const anonymous = callerFor(null);
    const before = await docker.listContainers({ all: true, filters: { label: [`${LABELS.manager}=${env.SANDBOX_SCOPE}`] } });
    expect(await trpcCodeOf(anonymous.sandbox.status())).toBe("UNAUTHORIZED");
    expect(await trpcCodeOf(anonymous.files.list({}))).toBe("UNAUTHORIZED");
    expect(await trpcCodeOf(anonymous.files.write({ path: "x.txt", content: "x" }))).toBe("UNAUTHORIZED");
    expect(await trpcCodeOf(anonymous.sandbox.stop())).toBe("UNAUTHORIZED");
    expect(await trpcCodeOf(anonymous.sandbox.execute({ command: "id" }).then(collect))).toBe("UNAUTHORIZED");
    const after = await docker.listContainers({ all: true, filters: { label: [`${LABELS.manager}=${env.SANDBOX_SCOPE}`] } });
    expect(after.length).toBe(before.length);
  });

  it("runs a user's command in their own sandbox, as uid 1000, streaming output", async () => {
    const events = await collect(await alice.caller.sandbox.execute({ command: "echo hello; id -u; pwd" }));
    const output = events.flatMap((event) => (event.type === "output" ? [event.text] : [])).join("");
    expect(output).toBe("hello\n1000\n/workspace\n");
    const exit = events.at(-1);
    expect(exit?.type === "exit" && exit.result.exitCode).toBe(0);
    expect(await alice.caller.sandbox.status()).toMatchObject({ state: "running", runtime: env.DEFAULT_RUNTIME });
    expect(await containersOf(alice.id)).toHaveLength(1);
  });

  it("keeps every file operation inside the caller's workspace", async () => {
    await alice.caller.files.write({ path: "secret.txt", content: "alice's secret" });
    await alice.caller.files.mkdir({ path: "reports/2026" });
    expect((await alice.caller.files.list({})).entries.map((entry) => entry.name)).toEqual(["reports", "secret.txt"]);

    // Bob's /workspace is his own: the same path names nothing of Alice's.
    expect(await trpcCodeOf(bob.caller.files.read({ path: "/workspace/secret.txt" }))).toBe("NOT_FOUND");
    expect((await bob.caller.files.list({})).entries).toEqual([]);
    expect((await bob.caller.files.glob({ pattern: "**/*.txt" })).entries).toEqual([]);
    expect((await bob.caller.files.grep({ pattern: "secret" })).matches).toEqual([]);
    // Escapes are refused before anything runs.
    expect(await trpcCodeOf(bob.caller.files.read({ path: `../../${alice.id}/workspace/secret.txt` }))).toBe("BAD_REQUEST");
    expect(await trpcCodeOf(bob.caller.files.read({ path: "/etc/passwd" }))).toBe("BAD_REQUEST");
    expect(await trpcCodeOf(bob.caller.files.write({ path: "a\u0000b", content: "x" }))).toBe("BAD_REQUEST");

    await expect(alice.caller.files.read({ path: "secret.txt" })).resolves.toContain("alice's secret");
  });

  it("moves, previews, edits and deletes files", async () => {
    await alice.caller.files.write({ path: "data/people.csv", content: 'name,city\n"Lovelace, Ada",London\nTuring,Wilmslow\n' });
    const preview = await alice.caller.files.preview({ path: "data/people.csv" });
    expect(preview).toMatchObject({ kind: "table", table: { columns: ["name", "city"], rows: [["Lovelace, Ada", "London"], ["Turing", "Wilmslow"]] } });
    await alice.caller.files.move({ from: "data/people.csv", to: "data/renamed.csv" });
    expect(await trpcCodeOf(alice.caller.files.move({ from: "data/renamed.csv", to: "secret.txt" }))).toBe("CONFLICT");
    await alice.caller.files.edit({ path: "data/renamed.csv", oldString: "Wilmslow", newString: "Manchester" });
    await expect(alice.caller.files.read({ path: "data/renamed.csv" })).resolves.toContain("Manchester");
    await alice.caller.files.delete({ path: "data" });
    expect(await trpcCodeOf(alice.caller.files.read({ path: "data/renamed.csv" }))).toBe("NOT_FOUND");
    expect(await trpcCodeOf(alice.caller.files.delete({ path: "/workspace" }))).toBe("BAD_REQUEST");
  });

  it("stops only the caller's sandbox, keeps files, and wakes on next use", async () => {
    await bob.caller.files.write({ path: "bob.txt", content: "bob" });
    expect(await bob.caller.sandbox.stop()).toBe(true);
    expect(await containersOf(bob.id)).toHaveLength(0);
    expect(await containersOf(alice.id)).toHaveLength(1);
    expect((await bob.caller.sandbox.status()).state).toBe("none");
    await expect(bob.caller.files.read({ path: "bob.txt" })).resolves.toContain("bob");
    expect((await bob.caller.sandbox.status()).state).toBe("running");
  });

  it("refuses admin procedures to a normal user", async () => {
    expect(await trpcCodeOf(alice.caller.admin.sandboxes())).toBe("FORBIDDEN");
    expect(await trpcCodeOf(alice.caller.admin.stopSandbox({ userId: bob.id }))).toBe("FORBIDDEN");
    expect(await containersOf(bob.id)).toHaveLength(1);
  });

  it("makes one container when two app processes race getOrCreate for one user", async () => {
    const carol = await newUser("carol");
    const scope = `${env.SANDBOX_SCOPE}-race`;
    const options = {
      docker,
      workspaceRoot: env.WORKSPACE_ROOT,
      defaultRuntime: env.DEFAULT_RUNTIME,
      scope,
      store: new PrismaSessionStore(),
      adoptUnknown: false,
      imageBuilder: sandboxPlatform().images,
    };
    const first = new SessionManager(options);
    const second = new SessionManager(options);
    try {
      const [a, b] = await Promise.all([first.getOrCreate(carol.id), second.getOrCreate(carol.id)]);
      expect(await containersOf(carol.id, scope)).toHaveLength(1);
      expect(a.containerId).toBe(b.containerId);
      expect((await b.execute("echo ok")).output).toBe("ok\n");
      expect(await db.sandboxSession.count({ where: { userId: carol.id, stoppedAt: null } })).toBe(1);
    } finally {
      await first.shutdown();
      await second.shutdown();
    }
  });
});
