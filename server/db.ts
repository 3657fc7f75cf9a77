import { PrismaClient } from "@prisma/client";
import { createAdapterFactory } from "./db-adapter";
import { env } from "./env";

// One client per process (Next's dev server re-evaluates modules; keep it on globalThis).
const globalForPrisma = globalThis as unknown as { prisma?: PrismaClient };

export const db: PrismaClient =
  globalForPrisma.prisma ??
  new PrismaClient({ adapter: createAdapterFactory({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR }) });

if (env.NODE_ENV !== "production") globalForPrisma.prisma = db;

export const databaseKind = env.DATABASE_URL ? "postgres" : "embedded";
