import type { Prisma, SandboxStatus } from "@prisma/client";
import type { SessionRecord, SessionStatus, SessionStore, TryLockResult } from "../sandbox/session-store";
import { db } from "../db";
import { isUniqueViolation } from "../db-errors";
import { tryWithLease, withLease } from "./leases";

// The SessionManager's memory, in Postgres, shared by every app process: one
// SandboxSession row per user session lifetime (the session id is the user
// id), its lastActiveAt kept fresh by whichever process serves the user. A
// reaped sandbox keeps its row, asleep (STOPPED, stoppedAt null); a release
// closes it (stoppedAt set). Locks are leases: no connection is held while
// Docker creates a container or builds an image.

const TO_DB: Record<Exclude<SessionStatus, "released">, SandboxStatus> = {
  starting: "STARTING",
  running: "RUNNING",
  paused: "PAUSED",
  stopped: "STOPPED",
  failed: "FAILED",
};

const FROM_DB: Record<SandboxStatus, SessionStatus> = {
  STARTING: "starting",
  RUNNING: "running",
  PAUSED: "paused",
  STOPPED: "stopped",
  FAILED: "failed",
};

/** A session's start waits this long for another process's (which may be building the image). */
const SESSION_LOCK_WAIT_MS = 10 * 60_000;
const LEASE_TTL_MS = 30_000;

const rowSelect = {
  id: true,
  userId: true,
  containerId: true,
  containerName: true,
  image: true,
  workspacePath: true,
  runtime: true,
  status: true,
  startedAt: true,
  lastActiveAt: true,
} satisfies Prisma.SandboxSessionSelect;

type Row = Prisma.SandboxSessionGetPayload<{ select: typeof rowSelect }>;

function toRecord(row: Row): SessionRecord {
  return {
    sessionId: row.userId,
    containerName: row.containerName ?? "",
    containerId: row.containerId,
    runtime: row.runtime || null,
    image: row.image,
    status: FROM_DB[row.status],
    workspacePath: row.workspacePath,
    createdAt: row.startedAt.getTime(),
    updatedAt: row.lastActiveAt.getTime(),
  };
}

const active = (userId: string) => ({ userId, stoppedAt: null });

export class PrismaSessionStore implements SessionStore {
  async get(sessionId: string): Promise<SessionRecord | undefined> {
    const row = await db.sandboxSession.findFirst({ where: active(sessionId), select: rowSelect });
    return row ? toRecord(row) : undefined;
  }

  async put(record: SessionRecord): Promise<void> {
    if (record.status === "released") return this.delete(record.sessionId);
    const data = {
      containerId: record.containerId,
      containerName: record.containerName,
      image: record.image,
      workspacePath: record.workspacePath,
      runtime: record.runtime ?? "",
      status: TO_DB[record.status],
      lastActiveAt: new Date(record.updatedAt),
    };
    for (let attempt = 0; ; attempt++) {
      const { count } = await db.sandboxSession.updateMany({ where: active(record.sessionId), data });
      if (count > 0) return;
      try {
        await db.sandboxSession.create({ data: { ...data, userId: record.sessionId, startedAt: new Date(record.createdAt) } });
        return;
      } catch (error) {
        // Another process created the active row first (one per user): update that one instead.
        if (!isUniqueViolation(error) || attempt > 0) throw error;
      }
    }
  }

  async delete(sessionId: string): Promise<void> {
    await db.sandboxSession.updateMany({
      where: active(sessionId),
      data: { status: "STOPPED", stoppedAt: new Date(), stopReason: "released" },
    });
  }

  async list(): Promise<SessionRecord[]> {
    const rows = await db.sandboxSession.findMany({ where: { stoppedAt: null }, select: rowSelect });
    return rows.map(toRecord);
  }

  async touch(sessionIds: string[], at: number): Promise<SessionRecord[]> {
    if (sessionIds.length === 0) return [];
    const when = new Date(at);
    // The write first, then the read: a reaper's claim either precedes the write (and shows in the read) or fails on it.
    await db.sandboxSession.updateMany({ where: { userId: { in: sessionIds }, stoppedAt: null, lastActiveAt: { lt: when } }, data: { lastActiveAt: when } });
    const rows = await db.sandboxSession.findMany({ where: { userId: { in: sessionIds }, stoppedAt: null }, select: rowSelect });
    return rows.map(toRecord);
  }

  async claimIdle(sessionId: string, status: "paused" | "stopped", idleSince: number): Promise<boolean> {
    const { count } = await db.sandboxSession.updateMany({
      where: { ...active(sessionId), status: { in: ["RUNNING", "PAUSED"] }, lastActiveAt: { lt: new Date(idleSince) } },
      data: { status: TO_DB[status] },
    });
    return count === 1;
  }

  lock<T>(sessionId: string, fn: () => Promise<T>): Promise<T> {
    return withLease(
      `session:${sessionId}`,
      { ttlMs: LEASE_TTL_MS, waitMs: SESSION_LOCK_WAIT_MS, busyMessage: "Your sandbox is still being started by another request. Try again in a minute." },
      fn,
    );
  }

  tryLock<T>(name: string, fn: () => Promise<T>): Promise<TryLockResult<T>> {
    return tryWithLease(name, LEASE_TTL_MS, fn);
  }
}
