import { randomUUID } from "node:crypto";
import os from "node:os";
import type { TurnStatus } from "@prisma/client";
import { isUniqueViolation } from "../db-errors";
import { db } from "../db";
import { env } from "../env";
import { DomainError } from "./errors";

// The Turn rows: which turn runs for which chat, on which app process, and how
// it ended. Times that processes compare (heartbeats) are the database's clock.

/**
 * This process as a turn runner: host:port stays the same across a restart,
 * boot does not (on globalThis: Next's bundles each evaluate this module).
 */
const globalForRunner = globalThis as unknown as { tidepoolTurnRunner?: { host: string; boot: string } };
export const RUNNER = (globalForRunner.tidepoolTurnRunner ??= {
  host: `${os.hostname()}:${env.PORT}`,
  boot: randomUUID(),
});

/** How often a runner renews its turns' heartbeats (and hears of a Stop sent to another process). */
export const HEARTBEAT_MS = 2_000;
/** A running turn whose heartbeat is older than this lost its runner. */
export const STALE_AFTER_MS = 15_000;

const NOW = "(now() AT TIME ZONE 'UTC')";

export type TurnState = "running" | "done" | "stopped" | "interrupted" | "failed";
const STATE: Record<TurnStatus, TurnState> = {
  RUNNING: "running",
  DONE: "done",
  STOPPED: "stopped",
  INTERRUPTED: "interrupted",
  FAILED: "failed",
};
export const turnState = (status: TurnStatus): TurnState => STATE[status];

/** Records a running turn; one per user at a time, across every process. */
export async function claimTurn(input: { userId: string; chatId: string; replyId: string }): Promise<{ id: string }> {
  try {
    return await db.turn.create({
      data: { ...input, runnerHost: RUNNER.host, runnerBoot: RUNNER.boot },
      select: { id: true },
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    throw new DomainError(
      "conflict",
      "The agent is still answering your previous message. Wait for it, or press Stop.",
      { cause: error },
    );
  }
}

export async function endTurn(turnId: string, status: Exclude<TurnStatus, "RUNNING">): Promise<void> {
  await db.$executeRawUnsafe(
    `UPDATE "Turn" SET "status" = $2::"TurnStatus", "endedAt" = ${NOW} WHERE "id" = $1 AND "status" = 'RUNNING'`,
    turnId,
    status,
  );
}

/** Renews this process's running turns; returns the ids of those someone asked to stop. */
export async function renewTurns(turnIds: string[]): Promise<string[]> {
  if (turnIds.length === 0) return [];
  const rows = await db.$queryRawUnsafe<{ id: string; stopRequested: boolean }[]>(
    `UPDATE "Turn" SET "heartbeatAt" = ${NOW} WHERE "id" = ANY($1::text[]) AND "status" = 'RUNNING' RETURNING "id", "stopRequested"`,
    turnIds,
  );
  return rows.filter((row) => row.stopRequested).map((row) => row.id);
}

/** Asks the chat's running turn to stop (its runner hears it on its next heartbeat); null if none runs. */
export async function requestStop(userId: string, chatId: string): Promise<{ id: string } | null> {
  const rows = await db.$queryRawUnsafe<{ id: string }[]>(
    `UPDATE "Turn" SET "stopRequested" = true WHERE "chatId" = $1 AND "userId" = $2 AND "status" = 'RUNNING' RETURNING "id"`,
    chatId,
    userId,
  );
  return rows[0] ?? null;
}

/** The chat's latest turn (running or how it ended), or null before its first. */
export async function latestTurn(
  userId: string,
  chatId: string,
): Promise<{ id: string; replyId: string; state: TurnState } | null> {
  const turn = await db.turn.findFirst({
    where: { chatId, userId },
    orderBy: { startedAt: "desc" },
    select: { id: true, replyId: true, status: true },
  });
  return turn ? { id: turn.id, replyId: turn.replyId, state: turnState(turn.status) } : null;
}

/** The user's chats with a turn running now. */
export async function runningChatIds(userId: string): Promise<string[]> {
  const rows = await db.turn.findMany({ where: { userId, status: "RUNNING" }, select: { chatId: true } });
  return rows.map((row) => row.chatId);
}
