import { PrismaClient } from "@prisma/client";
import { createAppAdapter } from "./db-adapter";
import { env } from "./env";

// One client (and so one pool) per process in every environment: Next bundles
// instrumentation, route handlers and pages separately and each bundle
// evaluates this module, so the client lives on globalThis, which they share.
const globalForPrisma = globalThis as unknown as { tidepoolPrisma?: PrismaClient };

const ACQUIRE_TIMEOUT_MS = 5_000;

export const db: PrismaClient = (globalForPrisma.tidepoolPrisma ??= new PrismaClient({
  adapter: createAppAdapter(env.DATABASE_URL, {
    max: env.DATABASE_POOL_SIZE,
    acquireTimeoutMs: ACQUIRE_TIMEOUT_MS,
    statementTimeoutMs: 30_000,
    lockTimeoutMs: 10_000,
    idleInTransactionTimeoutMs: 60_000,
  }),
  // A transaction waits for a connection as long as a single query does, and is short (none spans Docker work).
  transactionOptions: { maxWait: ACQUIRE_TIMEOUT_MS, timeout: 10_000 },
}));
