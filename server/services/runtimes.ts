import type { Prisma, RuntimeStatus } from "@prisma/client";
import { db } from "../db";
import { env } from "../env";
import {
  BUILTIN_RUNTIME_NAMES,
  BUILTIN_RUNTIMES,
  isBuiltinRuntimeName,
  parseRuntimeConfig,
  resolveRuntime,
  type RuntimeConfig,
} from "../sandbox/runtime";
import { recordActivity } from "./activity";
import { DomainError } from "./errors";
import { withLimits } from "./sandbox-limits";

// Runtime definitions in Postgres: the engine's built-ins (seeded, marked
// builtin, not editable) and admin-defined ones. Every write validates the
// config with the engine's schema (RuntimeValidationError names the field).

export const runtimeRowSelect = {
  id: true,
  name: true,
  config: true,
  builtin: true,
  enabled: true,
  isDefault: true,
  status: true,
  imageTag: true,
  imageSizeBytes: true,
  lastBuiltAt: true,
  buildError: true,
  updatedAt: true,
} satisfies Prisma.RuntimeSelect;

export type RuntimeRow = Prisma.RuntimeGetPayload<{ select: typeof runtimeRowSelect }>;

/** Sessions whose container runs (or is about to): an asleep session restarts with whatever runtime is current. */
const LIVE_SESSION = { stoppedAt: null, status: { in: ["STARTING", "RUNNING", "PAUSED"] } } satisfies Prisma.SandboxSessionWhereInput;

/** The row's config, validated; a built-in always resolves to the engine's current definition. */
export function configOf(row: Pick<RuntimeRow, "name" | "builtin" | "config">): RuntimeConfig {
  if (row.builtin && isBuiltinRuntimeName(row.name)) return BUILTIN_RUNTIMES[row.name];
  return parseRuntimeConfig(row.config);
}

function notFound(name: string): DomainError {
  return new DomainError("not_found", `There is no runtime named "${name}".`);
}

export async function findRuntime(name: string): Promise<RuntimeRow> {
  const row = await db.runtime.findUnique({ where: { name }, select: runtimeRowSelect });
  if (!row) throw notFound(name);
  return row;
}

/**
 * Puts the built-ins into the Runtime table (idempotent; their configs follow
 * the engine's) and marks env.DEFAULT_RUNTIME as the default when none is.
 */
export async function seedRuntimes(): Promise<void> {
  for (const name of BUILTIN_RUNTIME_NAMES) {
    const config = BUILTIN_RUNTIMES[name] as unknown as Prisma.InputJsonValue;
    await db.runtime.upsert({
      where: { name },
      create: { name, config, builtin: true },
      update: { config, builtin: true },
    });
  }
  await db.$transaction(async (tx) => {
    if (await tx.runtime.count({ where: { isDefault: true } })) return;
    await tx.runtime.updateMany({ where: { name: env.DEFAULT_RUNTIME }, data: { isDefault: true, enabled: true } });
  });
}

/** Counts of live sessions and of users who chose it, per runtime name. */
export async function runtimeUsage(): Promise<Map<string, { sessions: number; users: number }>> {
  const [sessions, users] = await Promise.all([
    db.sandboxSession.groupBy({ by: ["runtime"], where: LIVE_SESSION, _count: { _all: true } }),
    db.user.groupBy({ by: ["runtimeName"], where: { runtimeName: { not: null } }, _count: { _all: true } }),
  ]);
  const usage = new Map<string, { sessions: number; users: number }>();
  const entry = (name: string) => usage.get(name) ?? usage.set(name, { sessions: 0, users: 0 }).get(name)!;
  for (const row of sessions) entry(row.runtime).sessions = row._count._all;
  for (const row of users) if (row.runtimeName) entry(row.runtimeName).users = row._count._all;
  return usage;
}

function asJson(config: RuntimeConfig): Prisma.InputJsonValue {
  return JSON.parse(JSON.stringify(config)) as Prisma.InputJsonValue;
}

function nameTaken(name: string): DomainError {
  return new DomainError("conflict", `A runtime named "${name}" already exists. Choose another name.`, {
    fieldErrors: { name: [`"${name}" is taken`] },
  });
}

/** Creates a runtime from form input; throws RuntimeValidationError (per field) or a conflict on the name. */
export async function createRuntime(actorId: string, input: unknown): Promise<RuntimeRow> {
  const config = parseRuntimeConfig(input);
  if (isBuiltinRuntimeName(config.name) || (await db.runtime.count({ where: { name: config.name } }))) throw nameTaken(config.name);
  const row = await db.runtime.create({ data: { name: config.name, config: asJson(config) }, select: runtimeRowSelect });
  await recordActivity({ actorId, subjectId: row.id, action: "admin.runtime.create", outcome: "ok", detail: { name: row.name } });
  return row;
}

/** Replaces a runtime's config (the name stays). Running sandboxes keep the old one until they restart. */
export async function updateRuntime(actorId: string, name: string, input: unknown): Promise<RuntimeRow> {
  const existing = await findRuntime(name);
  if (existing.builtin) throw new DomainError("conflict", `"${name}" is built in and cannot be edited. Duplicate it and edit the copy.`);
  const config = parseRuntimeConfig(input);
  if (config.name !== name) {
    throw new DomainError("invalid_input", "A runtime cannot be renamed. Duplicate it under the new name instead.", {
      fieldErrors: { name: ["cannot be changed; duplicate the runtime instead"] },
    });
  }
  const row = await db.runtime.update({
    where: { id: existing.id },
    // A changed config builds to another tag: until then it is not built (listing re-checks the engine).
    data: { config: asJson(config), ...(existing.status === "BUILDING" ? {} : { status: "NOT_BUILT" satisfies RuntimeStatus }) },
    select: runtimeRowSelect,
  });
  await recordActivity({ actorId, subjectId: row.id, action: "admin.runtime.update", outcome: "ok", detail: { name } });
  return row;
}

/** A copy of a runtime (built-in or not) under a new name, editable, not built yet. */
export async function duplicateRuntime(actorId: string, name: string, newName: string): Promise<RuntimeRow> {
  const source = await findRuntime(name);
  const config = parseRuntimeConfig({ ...configOf(source), name: newName });
  if (isBuiltinRuntimeName(newName) || (await db.runtime.count({ where: { name: newName } }))) throw nameTaken(newName);
  const row = await db.runtime.create({ data: { name: newName, config: asJson(config), enabled: false }, select: runtimeRowSelect });
  await recordActivity({ actorId, subjectId: row.id, action: "admin.runtime.duplicate", outcome: "ok", detail: { from: name, name: newName } });
  return row;
}

/** Deletes a runtime nobody's sandbox is running; users who had chosen it fall back to the default. */
export async function deleteRuntime(actorId: string, name: string): Promise<void> {
  const row = await findRuntime(name);
  const refuse = async (message: string) => {
    await recordActivity({ actorId, subjectId: row.id, action: "admin.runtime.delete", outcome: "denied", detail: { name, reason: message } });
    return new DomainError("conflict", message);
  };
  if (row.builtin) throw await refuse(`"${name}" is built in and cannot be deleted. Disable it instead.`);
  if (row.isDefault) throw await refuse(`"${name}" is the default runtime. Choose another default first.`);
  await db.$transaction(async (tx) => {
    const inUse = await tx.sandboxSession.count({ where: { ...LIVE_SESSION, runtime: name } });
    if (inUse) {
      throw await refuse(`"${name}" is in use by ${inUse} running sandbox${inUse === 1 ? "" : "es"}. Stop ${inUse === 1 ? "it" : "them"} first.`);
    }
    await tx.user.updateMany({ where: { runtimeName: name }, data: { runtimeName: null } });
    await tx.runtime.delete({ where: { id: row.id } });
  });
  await recordActivity({ actorId, subjectId: row.id, action: "admin.runtime.delete", outcome: "ok", detail: { name } });
}

/** Makes a runtime the default for users who have not chosen one. */
export async function setDefaultRuntime(actorId: string, name: string): Promise<void> {
  const row = await findRuntime(name);
  if (!row.enabled) throw new DomainError("conflict", `"${name}" is disabled. Enable it before making it the default.`);
  await db.$transaction([
    db.runtime.updateMany({ where: { isDefault: true, NOT: { id: row.id } }, data: { isDefault: false } }),
    db.runtime.update({ where: { id: row.id }, data: { isDefault: true } }),
  ]);
  await recordActivity({ actorId, subjectId: row.id, action: "admin.runtime.set_default", outcome: "ok", detail: { name } });
}

/** Offers a runtime to users or withdraws it (their sandboxes move to the default at the next start). */
export async function setRuntimeEnabled(actorId: string, name: string, enabled: boolean): Promise<void> {
  const row = await findRuntime(name);
  if (!enabled && row.isDefault) throw new DomainError("conflict", `"${name}" is the default runtime. Choose another default before disabling it.`);
  await db.runtime.update({ where: { id: row.id }, data: { enabled } });
  await recordActivity({ actorId, subjectId: row.id, action: enabled ? "admin.runtime.enable" : "admin.runtime.disable", outcome: "ok", detail: { name } });
}

/** The runtime name a user's sandbox should run: their enabled choice, else the default, else env.DEFAULT_RUNTIME. */
async function effectiveRuntimeRow(runtimeName: string | null): Promise<RuntimeRow | null> {
  const rows = await db.runtime.findMany({
    where: { enabled: true, OR: runtimeName ? [{ name: runtimeName }, { isDefault: true }] : [{ isDefault: true }] },
    select: runtimeRowSelect,
  });
  return rows.find((row) => row.name === runtimeName) ?? rows.find((row) => row.isDefault) ?? null;
}

/** The config a user's sandbox starts with, carrying their limits (platform < runtime < user). */
export async function runtimeConfigForUser(userId: string): Promise<RuntimeConfig> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { runtimeName: true, memoryLimitMb: true, cpuLimit: true } });
  const row = await effectiveRuntimeRow(user?.runtimeName ?? null);
  let config: RuntimeConfig;
  try {
    config = row ? configOf(row) : resolveRuntime(env.DEFAULT_RUNTIME);
  } catch (error) {
    // A stored config the engine no longer accepts: the platform default keeps the user working.
    console.error(`runtime "${row?.name}" has an invalid stored config; using ${env.DEFAULT_RUNTIME}`, error);
    config = resolveRuntime(env.DEFAULT_RUNTIME);
  }
  return withLimits(config, { memoryMb: user?.memoryLimitMb ?? undefined, cpus: user?.cpuLimit ?? undefined });
}

/** Runtimes users may pick, with the caller's current choice. */
export async function listAvailableRuntimes(userId: string) {
  const [user, rows] = await Promise.all([
    db.user.findUnique({ where: { id: userId }, select: { runtimeName: true } }),
    db.runtime.findMany({ where: { enabled: true }, orderBy: [{ isDefault: "desc" }, { name: "asc" }], select: runtimeRowSelect }),
  ]);
  const current = (await effectiveRuntimeRow(user?.runtimeName ?? null))?.name ?? env.DEFAULT_RUNTIME;
  const runtimes = rows.flatMap((row) => {
    try {
      const config = configOf(row);
      return [
        {
          name: row.name,
          description: config.description,
          packageManager: config.packageManager,
          packages: config.displayPackages ?? config.packages,
          isDefault: row.isDefault,
          ready: row.status === "READY",
        },
      ];
    } catch {
      return [];
    }
  });
  return { current, chosen: user?.runtimeName ?? null, runtimes };
}

/** Records a user's choice (null: follow the default). Throws unless the runtime is enabled. */
export async function setUserRuntime(userId: string, name: string | null): Promise<void> {
  if (name !== null) {
    const row = await db.runtime.findUnique({ where: { name }, select: { enabled: true } });
    if (!row?.enabled) throw new DomainError("not_found", `There is no runtime named "${name}" you can choose.`);
  }
  await db.user.update({ where: { id: userId }, data: { runtimeName: name } });
}
