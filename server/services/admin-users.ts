import type { Prisma, Role } from "@prisma/client";
import { z } from "zod";
import { db } from "../db";
import { recordActivity } from "./activity";
import { defaultDiskQuotaMb, diskQuotaMbSchema, diskQuotaSupport } from "./disk-quotas";
import { DomainError } from "./errors";
import { applyDiskQuota, workspaceUsage } from "./sandboxes";

// Accounts as an admin sees them: role and per-user sandbox limits.

const userSelect = {
  id: true,
  email: true,
  name: true,
  role: true,
  createdAt: true,
  runtimeName: true,
  memoryLimitMb: true,
  cpuLimit: true,
  diskQuotaMb: true,
} satisfies Prisma.UserSelect;

export type AdminUserView = Prisma.UserGetPayload<{ select: typeof userSelect }> & {
  sandbox: "live" | "asleep" | "none";
  /** Space used on their workspace disk, once it exists. */
  disk: { usedBytes: number; totalBytes: number } | null;
};

/** Bounds match the runtime config's limits, so a user's limits always make a valid sandbox. */
export const userLimitsSchema = z.object({
  memoryMb: z.number().int("Use whole megabytes.").min(64, "At least 64 MB.").max(1_048_576, "At most 1 TB.").nullable(),
  cpus: z.number().min(0.1, "At least 0.1 CPU.").max(256, "At most 256 CPUs.").nullable(),
  diskMb: diskQuotaMbSchema.nullable().optional(),
});

export async function listUsers(): Promise<AdminUserView[]> {
  const [users, sessions] = await Promise.all([
    db.user.findMany({ orderBy: { createdAt: "asc" }, select: userSelect }),
    db.sandboxSession.findMany({ where: { stoppedAt: null }, select: { userId: true, status: true } }),
  ]);
  const state = new Map(sessions.map((session) => [session.userId, session.status === "STOPPED" ? ("asleep" as const) : ("live" as const)]));
  const disks = await Promise.all(users.map((user) => workspaceUsage(user.id).catch(() => null)));
  return users.map((user, index) => ({ ...user, sandbox: state.get(user.id) ?? "none", disk: disks[index] ?? null }));
}

/** The default disk quota, and whether this server enforces quotas at all. */
export async function diskQuotaDefaults() {
  return { defaultMb: await defaultDiskQuotaMb(), support: await diskQuotaSupport() };
}

async function findUser(userId: string) {
  const user = await db.user.findUnique({ where: { id: userId }, select: userSelect });
  if (!user) throw new DomainError("not_found", "There is no such user.");
  return user;
}

/** Changes a user's role. Admins cannot change their own role, so there is always one admin left. */
export async function setUserRole(actorId: string, userId: string, role: Role): Promise<void> {
  if (actorId === userId) {
    await recordActivity({ actorId, subjectId: userId, action: "admin.user.set_role", outcome: "denied", detail: { role } });
    throw new DomainError("conflict", "You cannot change your own role. Ask another admin.");
  }
  const user = await findUser(userId);
  await db.user.update({ where: { id: user.id }, data: { role } });
  await recordActivity({ actorId, subjectId: userId, action: "admin.user.set_role", outcome: "ok", detail: { from: user.role, to: role } });
}

/**
 * Sets (or clears with null) a user's sandbox memory and CPU, which apply when
 * the sandbox next starts, and their disk quota, applied at once where it can
 * be (`diskPending`: it waits for the sandbox's next start).
 */
export async function setUserLimits(actorId: string, userId: string, input: z.input<typeof userLimitsSchema>): Promise<{ diskPending: boolean }> {
  const limits = userLimitsSchema.parse(input);
  const user = await findUser(userId);
  const diskMb = limits.diskMb === undefined ? user.diskQuotaMb : limits.diskMb;
  await db.user.update({ where: { id: user.id }, data: { memoryLimitMb: limits.memoryMb, cpuLimit: limits.cpus, diskQuotaMb: diskMb } });
  await recordActivity({
    actorId,
    subjectId: userId,
    action: "admin.user.set_limits",
    outcome: "ok",
    detail: {
      memoryMb: limits.memoryMb,
      cpus: limits.cpus,
      diskMb,
      previous: { memoryMb: user.memoryLimitMb, cpus: user.cpuLimit, diskMb: user.diskQuotaMb },
    },
  });
  if (diskMb === user.diskQuotaMb) return { diskPending: false };
  const applied = await applyDiskQuota(userId);
  return { diskPending: applied.pending };
}
