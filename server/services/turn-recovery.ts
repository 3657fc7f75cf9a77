import { db } from "../db";
import { markReply } from "./chats";
import { RUNNER, STALE_AFTER_MS } from "./turns";

// Turns whose runner died (the server was killed, or crashed) stay RUNNING in
// the database with a heartbeat that stops moving. They are marked interrupted,
// and so is their reply: what was saved step by step stays, with a note that
// the turn did not finish. That also frees the user's turn slot.

const NOW = "(now() AT TIME ZONE 'UTC')";
const SWEEP_MS = 5_000;

/**
 * Settles abandoned turns: stale heartbeats, and with `afterRestart` also the
 * turns a previous run of this very server (same host and port) left behind,
 * without waiting for their heartbeat to go stale. Returns how many.
 */
export async function settleAbandonedTurns(options: { afterRestart?: boolean } = {}): Promise<number> {
  const rows = await db.$queryRawUnsafe<{ chatId: string; replyId: string }[]>(
    `UPDATE "Turn" SET "status" = 'INTERRUPTED', "endedAt" = ${NOW}
     WHERE "status" = 'RUNNING'
       AND ("heartbeatAt" < ${NOW} - $1::int * interval '1 millisecond'
            OR ($2 AND "runnerHost" = $3 AND "runnerBoot" <> $4))
     RETURNING "chatId", "replyId"`,
    STALE_AFTER_MS,
    options.afterRestart ?? false,
    RUNNER.host,
    RUNNER.boot,
  );
  for (const row of rows) await markReply(row.chatId, row.replyId, { interrupted: true });
  return rows.length;
}

/** At startup: settles what the last run left, then keeps watching for turns other processes abandon. */
export async function startTurnRecovery(): Promise<void> {
  const settled = await settleAbandonedTurns({ afterRestart: true });
  if (settled > 0) console.warn(`marked ${settled} agent turn(s) interrupted: the server stopped while they ran`);
  const timer = setInterval(() => {
    settleAbandonedTurns().catch((error: unknown) =>
      console.warn("checking for interrupted turns failed:", error instanceof Error ? error.message : error),
    );
  }, SWEEP_MS);
  timer.unref();
}
