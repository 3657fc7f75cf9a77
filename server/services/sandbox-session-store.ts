import type { Prisma, SandboxStatus } from "@prisma/client";
import type { SessionRecord, SessionStatus, SessionStore } from "../sandbox/session-store";
import { databaseKind, db } from "../db";

// The SessionManager's memory, in Postgres: one SandboxSession row per user
// session lifetime (the session id is the user id). A reaped sandbox keeps its
// row, asleep (STOPPED, stoppedAt null); a release closes it (stoppedAt set).

const TO_DB: Record<Exclude<SessionStatus, "released">, SandboxStatus> = {
  running: "RUNNING",
  paused: "PAUSED",
  stopped: "STOPPED",
};

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
    status: row.status === "PAUSED" ? "paused" : row.status === "RUNNING" ? "running" : "stopped",
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
    const { count } = await db.sandboxSession.updateMany({ where: active(record.sessionId), data });
    if (count === 0) await db.sandboxSession.create({ data: { ...data, userId: record.sessionId, startedAt: new Date(record.createdAt) } });
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

  /**
   * A Postgres advisory lock per session, held by a transaction around `fn`,
   * so two app processes never create two containers for one user. The
   * embedded database serves one process and its single connection must stay
   * free for `fn`'s own queries, so there the in-process guard is enough.
   */
  lock<T>(sessionId: string, fn: () => Promise<T>): Promise<T> {
    if (databaseKind !== "postgres") return fn();
    return db.$transaction(
      async (tx) => {
        await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtext(${`tidepool-session:${sessionId}`}))::text`;
        return fn();
      },
      // Creating a session may include building its runtime image.
      { maxWait: 60_000, timeout: 15 * 60_000 },
    );
  }
}
