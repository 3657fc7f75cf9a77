import { randomUUID } from "node:crypto";
import type { TryLockResult } from "../sandbox/session-store";
import { db } from "../db";
import { DomainError } from "./errors";

// Locks shared by every app process that hold no database connection while
// their work runs (a sandbox start may build an image for minutes): a Lease
// row per name with a holder and an expiry on the database's clock, renewed
// while the work runs and deleted when it ends. A holder that crashed stops
// renewing, and its lease expires.

export type Lease = {
  readonly key: string;
  /** Ends the lease (idempotent). */
  release(): Promise<void>;
};

export type LeaseOptions = {
  /** How long the lease outlives a holder that stopped renewing it (it renews every third of this). */
  ttlMs: number;
  /** How long to wait for another holder; 0 tries once. */
  waitMs?: number;
};

const NOW = "(now() AT TIME ZONE 'UTC')";

async function take(key: string, holder: string, ttlMs: number): Promise<boolean> {
  const taken = await db.$executeRawUnsafe(
    `INSERT INTO "Lease" ("key", "holder", "expiresAt") VALUES ($1, $2, ${NOW} + $3::int * interval '1 millisecond')
     ON CONFLICT ("key") DO UPDATE SET "holder" = EXCLUDED."holder", "expiresAt" = EXCLUDED."expiresAt"
     WHERE "Lease"."expiresAt" < ${NOW}`,
    key,
    holder,
    ttlMs,
  );
  return taken === 1;
}

async function renew(key: string, holder: string, ttlMs: number): Promise<boolean> {
  const renewed = await db.$executeRawUnsafe(
    `UPDATE "Lease" SET "expiresAt" = ${NOW} + $3::int * interval '1 millisecond' WHERE "key" = $1 AND "holder" = $2`,
    key,
    holder,
    ttlMs,
  );
  return renewed === 1;
}

/** Takes the lease, waiting up to `waitMs` for its holder; null if it stays taken. */
export async function acquireLease(key: string, options: LeaseOptions): Promise<Lease | null> {
  const holder = randomUUID();
  const deadline = Date.now() + (options.waitMs ?? 0);
  for (let delay = 25; !(await take(key, holder, options.ttlMs)); delay = Math.min(delay * 1.5, 500)) {
    if (Date.now() + delay > deadline) return null;
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
  let released = false;
  const renewal = setInterval(() => {
    renew(key, holder, options.ttlMs)
      .then((held) => {
        if (!held && !released) console.warn(`lease ${key} was lost (its holder stalled past ${options.ttlMs} ms)`);
      })
      .catch(() => {}); // The database is away: the next renewal tries again; the lease expires if it stays away.
  }, options.ttlMs / 3);
  renewal.unref();
  return {
    key,
    async release() {
      if (released) return;
      released = true;
      clearInterval(renewal);
      await db.$executeRawUnsafe(`DELETE FROM "Lease" WHERE "key" = $1 AND "holder" = $2`, key, holder).catch(() => {
        // Unreachable database: the lease expires by itself.
      });
    },
  };
}

/** Runs `fn` holding the lease, or throws a "busy" error with `busyMessage` if it stays taken past waitMs. */
export async function withLease<T>(key: string, options: LeaseOptions & { busyMessage: string }, fn: () => Promise<T>): Promise<T> {
  const lease = await acquireLease(key, options);
  if (!lease) throw new DomainError("busy", options.busyMessage);
  try {
    return await fn();
  } finally {
    await lease.release();
  }
}

/** Runs `fn` only if the lease is free right now. */
export async function tryWithLease<T>(key: string, ttlMs: number, fn: () => Promise<T>): Promise<TryLockResult<T>> {
  const lease = await acquireLease(key, { ttlMs });
  if (!lease) return { ran: false };
  try {
    return { ran: true, value: await fn() };
  } finally {
    await lease.release();
  }
}

/** Someone holds this lease now. */
export async function isLeaseHeld(key: string): Promise<boolean> {
  const rows = await db.$queryRawUnsafe<unknown[]>(`SELECT 1 FROM "Lease" WHERE "key" = $1 AND "expiresAt" >= ${NOW}`, key);
  return rows.length > 0;
}
