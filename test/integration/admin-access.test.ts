import { TRPCError } from "@trpc/server";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRouter } from "~/server/api/root";
import { createContextInner } from "~/server/api/trpc";
import { db } from "~/server/db";
import { env } from "~/server/env";
import { BUILTIN_RUNTIME_NAMES } from "~/server/sandbox/runtime";
import { getModelConfig } from "~/server/services/model-settings";
import { runtimeConfigForUser, seedRuntimes } from "~/server/services/runtimes";
import { sandboxPlatform } from "~/server/services/sandbox-manager";
import { callerFor, newUser } from "./helpers/callers";
import { resetDatabase } from "./helpers/database";

// The admin API's guard rails, through tRPC callers on real Postgres: who may
// call it, how runtime forms are refused, settings that never leak the key.
// Nothing here builds an image or starts a sandbox.

type Caller = ReturnType<typeof callerFor>;

async function failure(promise: Promise<unknown>): Promise<TRPCError | "OK"> {
  try {
    const result = await promise;
    if (result && typeof result === "object" && Symbol.asyncIterator in result) {
      for await (const _ of result as AsyncIterable<unknown>) break;
    }
  } catch (error) {
    if (error instanceof TRPCError) return error;
    throw error;
  }
  return "OK";
}

const codeOf = async (promise: Promise<unknown>) => {
  const result = await failure(promise);
  return result === "OK" ? "OK" : result.code;
};

/** Calls a procedure by its dotted path, the way a client would. */
function callByPath(caller: Caller, path: string, input: unknown): Promise<unknown> {
  const fn = path.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller) as (input: unknown) => unknown;
  return Promise.resolve().then(() => fn(input));
}

/** Plausible, valid inputs, so a refusal cannot come from input validation instead of the role check. */
function sampleInput(path: string, ids: { user: string }): unknown {
  const samples: Record<string, unknown> = {
    "admin.stopSandbox": { userId: ids.user },
    "admin.runtimes.get": { name: "python-minimal" },
    "admin.runtimes.create": { config: { name: "sneaky", packages: ["jq"] } },
    "admin.runtimes.update": { name: "python-minimal", config: { name: "python-minimal" } },
    "admin.runtimes.duplicate": { name: "python-minimal", newName: "sneaky-copy" },
    "admin.runtimes.delete": { name: "python-minimal" },
    "admin.runtimes.setDefault": { name: "python-minimal" },
    "admin.runtimes.setEnabled": { name: "python-minimal", enabled: false },
    "admin.runtimes.build": { name: "python-minimal" },
    "admin.runtimes.verify": { name: "python-minimal" },
    "admin.sessions.stop": { userId: ids.user },
    "admin.sessions.restart": { userId: ids.user },
    "admin.sessions.activity": { userId: ids.user },
    "admin.users.setRole": { userId: ids.user, role: "ADMIN" },
    "admin.users.setLimits": { userId: ids.user, memoryMb: 128, cpus: 0.5 },
    "admin.settings.updateModel": { provider: "openai", model: "x", apiKey: "sk-sneaky" },
    "admin.settings.updateFileLimits": { downloadMaxMb: 1 },
  };
  return samples[path];
}

describe("admin API access and validation", () => {
  let admin: Awaited<ReturnType<typeof newUser>>;
  let alice: Awaited<ReturnType<typeof newUser>>;

  beforeAll(async () => {
    await resetDatabase();
    admin = await newUser("admin"); // the first account is the admin
    alice = await newUser("alice");
    await seedRuntimes();
  });

  afterAll(async () => {
    await db.runtime.deleteMany({});
    await sandboxPlatform().manager.shutdown();
    await db.$disconnect();
  });

  it("seeds the built-ins once, marked built-in, with the env default as the default", async () => {
    await seedRuntimes();
    const rows = await db.runtime.findMany({ select: { name: true, builtin: true, isDefault: true, enabled: true } });
    expect(rows.map((row) => row.name).sort()).toEqual([...BUILTIN_RUNTIME_NAMES].sort());
    expect(rows.every((row) => row.builtin && row.enabled)).toBe(true);
    expect(rows.filter((row) => row.isDefault).map((row) => row.name)).toEqual([env.DEFAULT_RUNTIME]);
  });

  it("answers FORBIDDEN to a normal user on every admin procedure, and changes nothing", async () => {
    const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>).filter(([path]) =>
      path.startsWith("admin."),
    );
    // Enumerated from the router, so a procedure added later is covered without editing this list.
    expect(procedures.length).toBeGreaterThanOrEqual(20);
    const before = { runtimes: await db.runtime.count(), settings: await db.setting.count(), role: alice.role };
    const results: Record<string, string> = {};
    for (const [path] of procedures) {
      results[path] = await codeOf(callByPath(alice.caller, path, sampleInput(path, { user: admin.id }) ?? {}));
    }
    expect(results).toEqual(Object.fromEntries(procedures.map(([path]) => [path, "FORBIDDEN"])));
    expect(await db.runtime.count()).toBe(before.runtimes);
    expect(await db.setting.count()).toBe(before.settings);
    expect((await db.user.findUniqueOrThrow({ where: { id: alice.id }, select: { role: true } })).role).toBe("USER");
    expect((await db.user.findUniqueOrThrow({ where: { id: admin.id }, select: { role: true } })).role).toBe("ADMIN");
    // Anonymous callers are not even signed in.
    expect(await codeOf(callerFor(null).admin.runtimes.list())).toBe("UNAUTHORIZED");
  });

  it("refuses an invalid runtime form with the field named (numpy;id)", async () => {
    const error = await failure(admin.caller.admin.runtimes.create({ config: { name: "bad-pip", packageManager: "pip", packages: ["numpy", "numpy;id"] } }));
    expect(error).toBeInstanceOf(TRPCError);
    const trpcError = error as TRPCError;
    expect(trpcError.code).toBe("BAD_REQUEST");
    const fieldErrors = (trpcError.cause as unknown as { fieldErrors?: Record<string, string[]> }).fieldErrors;
    expect(Object.keys(fieldErrors ?? {})).toEqual(["packages.1"]);
    expect(fieldErrors?.["packages.1"]?.[0]).toContain("numpy;id");
    expect(await db.runtime.count({ where: { name: "bad-pip" } })).toBe(0);

    // More than one bad field: each is named.
    const many = (await failure(
      admin.caller.admin.runtimes.create({ config: { name: "Bad Name", envVars: { "1X": "a" }, setupCommands: ["echo\nrm -rf /"] } }),
    )) as TRPCError;
    expect(Object.keys((many.cause as unknown as { fieldErrors: Record<string, string[]> }).fieldErrors).sort()).toEqual(["envVars.1X", "name", "setupCommands.0"]);
  });

  it("sends the field errors to the browser in error.data.fieldErrors", async () => {
    const response = await fetchRequestHandler({
      endpoint: "/api/trpc",
      req: new Request("http://localhost/api/trpc/admin.runtimes.create", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ config: { name: "bad-apt", packages: ["jq", "-oAPT::Update=x"] } }),
      }),
      router: appRouter,
      createContext: () => createContextInner({ userId: admin.id }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { data: { code: string; fieldErrors: Record<string, string[]>; stack?: string } } };
    expect(body.error.data.code).toBe("BAD_REQUEST");
    expect(Object.keys(body.error.data.fieldErrors)).toEqual(["packages.1"]);
    expect(body.error.data.stack).toBeUndefined();
  });

  it("creates, edits, duplicates and deletes a runtime, logging each action", async () => {
    const created = await admin.caller.admin.runtimes.create({ config: { name: "tools", description: "jq", packages: ["jq"] } });
    expect(created).toMatchObject({ name: "tools", builtin: false, enabled: true, status: "NOT_BUILT" });
    expect(await codeOf(admin.caller.admin.runtimes.create({ config: { name: "tools" } }))).toBe("CONFLICT");
    expect(await codeOf(admin.caller.admin.runtimes.create({ config: { name: "python-minimal" } }))).toBe("CONFLICT");

    await admin.caller.admin.runtimes.update({ name: "tools", config: { name: "tools", description: "jq and curl", packages: ["jq", "curl"] } });
    const listed = (await admin.caller.admin.runtimes.list()).find((runtime) => runtime.name === "tools");
    expect(listed).toMatchObject({ description: "jq and curl", packages: ["jq", "curl"], status: "NOT_BUILT", sessions: 0 });
    // Renaming through edit and editing a built-in are refused.
    expect(await codeOf(admin.caller.admin.runtimes.update({ name: "tools", config: { name: "tools2" } }))).toBe("BAD_REQUEST");
    expect(await codeOf(admin.caller.admin.runtimes.update({ name: "python-minimal", config: { name: "python-minimal" } }))).toBe("CONFLICT");

    const copy = await admin.caller.admin.runtimes.duplicate({ name: "python-minimal", newName: "python-minimal-copy" });
    expect(copy).toMatchObject({ name: "python-minimal-copy", builtin: false, enabled: false });
    expect(await codeOf(admin.caller.admin.runtimes.delete({ name: "python-minimal" }))).toBe("CONFLICT");
    await admin.caller.admin.runtimes.delete({ name: "python-minimal-copy" });
    await admin.caller.admin.runtimes.delete({ name: "tools" });
    expect(await db.runtime.count({ where: { name: { in: ["tools", "python-minimal-copy"] } } })).toBe(0);

    const actions = await db.activityEvent.findMany({ where: { actorId: admin.id, action: { startsWith: "admin.runtime." } }, select: { action: true, outcome: true } });
    expect(actions.map((event) => `${event.action}:${event.outcome}`)).toEqual(
      expect.arrayContaining([
        "admin.runtime.create:ok",
        "admin.runtime.update:ok",
        "admin.runtime.duplicate:ok",
        "admin.runtime.delete:denied",
        "admin.runtime.delete:ok",
      ]),
    );
  });

  it("chooses the default runtime; a default cannot be disabled or deleted, a disabled one cannot be default", async () => {
    await admin.caller.admin.runtimes.create({ config: { name: "alt-default", packages: ["jq"] } });
    expect((await runtimeConfigForUser(alice.id)).name).toBe(env.DEFAULT_RUNTIME);
    await admin.caller.admin.runtimes.setDefault({ name: "alt-default" });
    expect((await db.runtime.findMany({ where: { isDefault: true }, select: { name: true } })).map((row) => row.name)).toEqual(["alt-default"]);
    expect((await runtimeConfigForUser(alice.id)).name).toBe("alt-default");
    expect((await alice.caller.runtimes.available()).current).toBe("alt-default");
    expect(await codeOf(admin.caller.admin.runtimes.setEnabled({ name: "alt-default", enabled: false }))).toBe("CONFLICT");
    expect(await codeOf(admin.caller.admin.runtimes.delete({ name: "alt-default" }))).toBe("CONFLICT");

    // A user's own choice wins over the default; a disabled choice falls back to the default.
    await alice.caller.runtimes.choose({ name: "python-minimal" });
    expect((await runtimeConfigForUser(alice.id)).name).toBe("python-minimal");
    await admin.caller.admin.runtimes.setEnabled({ name: "python-minimal", enabled: false });
    expect((await runtimeConfigForUser(alice.id)).name).toBe("alt-default");
    expect((await alice.caller.runtimes.available()).runtimes.map((runtime) => runtime.name)).not.toContain("python-minimal");
    expect(await codeOf(alice.caller.runtimes.choose({ name: "python-minimal" }))).toBe("NOT_FOUND");
    expect(await codeOf(admin.caller.admin.runtimes.setDefault({ name: "python-minimal" }))).toBe("CONFLICT");

    await admin.caller.admin.runtimes.setEnabled({ name: "python-minimal", enabled: true });
    await admin.caller.admin.runtimes.setDefault({ name: env.DEFAULT_RUNTIME });
    await alice.caller.runtimes.choose({ name: null });
    await admin.caller.admin.runtimes.delete({ name: "alt-default" });
    expect((await runtimeConfigForUser(alice.id)).name).toBe(env.DEFAULT_RUNTIME);
  });

  it("changes a user's role (never the admin's own), effective at once", async () => {
    expect(await codeOf(alice.caller.admin.runtimes.list())).toBe("FORBIDDEN");
    await admin.caller.admin.users.setRole({ userId: alice.id, role: "ADMIN" });
    expect(await codeOf(alice.caller.admin.runtimes.list())).toBe("OK");
    await admin.caller.admin.users.setRole({ userId: alice.id, role: "USER" });
    expect(await codeOf(alice.caller.admin.runtimes.list())).toBe("FORBIDDEN");
    expect(await codeOf(admin.caller.admin.users.setRole({ userId: admin.id, role: "USER" }))).toBe("CONFLICT");
    const users = await admin.caller.admin.users.list();
    expect(users.find((user) => user.id === alice.id)).toMatchObject({ role: "USER", memoryLimitMb: null, cpuLimit: null });
    expect(JSON.stringify(users)).not.toContain("passwordHash");
    const logged = await db.activityEvent.findMany({ where: { actorId: admin.id, action: "admin.user.set_role" }, select: { outcome: true, subjectId: true } });
    expect(logged.map((event) => event.outcome).sort()).toEqual(["denied", "ok", "ok"]);
  });

  it("validates per-user limits like a runtime's", async () => {
    expect(await codeOf(admin.caller.admin.users.setLimits({ userId: alice.id, memoryMb: 10, cpus: null }))).toBe("BAD_REQUEST");
    expect(await codeOf(admin.caller.admin.users.setLimits({ userId: alice.id, memoryMb: null, cpus: 0 }))).toBe("BAD_REQUEST");
    await admin.caller.admin.users.setLimits({ userId: alice.id, memoryMb: 768, cpus: 0.5 });
    expect((await runtimeConfigForUser(alice.id)).limits).toMatchObject({ memoryMb: 768, cpus: 0.5, pids: env.SANDBOX_PIDS });
    await admin.caller.admin.users.setLimits({ userId: alice.id, memoryMb: null, cpus: null });
    expect((await runtimeConfigForUser(alice.id)).limits).toMatchObject({ memoryMb: env.SANDBOX_MEMORY_MB, cpus: env.SANDBOX_CPUS });
  });

  it("stores the model key encrypted and never returns it", async () => {
    const secret = "sk-test-very-secret-key-9876";
    const saved = await admin.caller.admin.settings.updateModel({ provider: "openai-compatible", model: "llama3.1", baseUrl: "http://127.0.0.1:11434/v1", apiKey: secret });
    expect(saved).toMatchObject({ provider: "openai-compatible", model: "llama3.1", hasKey: true, keyLast4: "9876" });
    expect(JSON.stringify(saved)).not.toContain(secret.slice(0, -4));
    expect(JSON.stringify(await admin.caller.admin.settings.model())).not.toContain(secret.slice(0, -4));
    const row = await db.setting.findUniqueOrThrow({ where: { key: "model" } });
    expect(JSON.stringify(row.value)).not.toContain(secret.slice(0, -4));
    const logged = await db.activityEvent.findMany({ where: { action: "admin.settings.model" }, select: { detail: true } });
    expect(JSON.stringify(logged)).not.toContain(secret.slice(0, -4));

    // The server side gets it back.
    expect(await getModelConfig()).toEqual({ provider: "openai-compatible", model: "llama3.1", baseUrl: "http://127.0.0.1:11434/v1", apiKey: secret, imageInput: "auto" });
    // Omitted: kept. null: removed.
    await admin.caller.admin.settings.updateModel({ provider: "openai-compatible", model: "qwen", baseUrl: "http://127.0.0.1:11434/v1" });
    expect((await getModelConfig())?.apiKey).toBe(secret);
    await admin.caller.admin.settings.updateModel({ provider: "openai-compatible", model: "qwen", baseUrl: "http://127.0.0.1:11434/v1", apiKey: null });
    expect((await getModelConfig())?.apiKey).toBeUndefined();
    expect(await codeOf(admin.caller.admin.settings.updateModel({ provider: "openai", model: "x", baseUrl: "file:///etc/passwd" }))).toBe("BAD_REQUEST");
  });
});
