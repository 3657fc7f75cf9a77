import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { PrismaPGlite } from "pglite-prisma-adapter";

// One driver-adapter factory for the Prisma CLI (migrations) and the client:
// a Postgres server when DATABASE_URL is set, else embedded PGlite on disk.

export type DatabaseTarget = { databaseUrl?: string; dataDir: string };

export function pgliteDir(dataDir: string): string {
  return path.join(dataDir, "pglite");
}

export function createAdapterFactory(target: DatabaseTarget): SqlMigrationAwareDriverAdapterFactory {
  if (target.databaseUrl) return new PostgresAdapterFactory(poolConfig(target.databaseUrl));
  const dir = pgliteDir(target.dataDir);
  fs.mkdirSync(dir, { recursive: true });
  return new PrismaPGlite(new PGlite(dir));
}

/**
 * adapter-pg drops its shadow database while its own pool still holds a
 * connection, so `migrate dev` fails with "being accessed by other users".
 * Close the shadow pool first, then drop the database.
 */
class PostgresAdapterFactory extends PrismaPg {
  constructor(private readonly pool: pg.PoolConfig) {
    super(pool);
  }

  override async connectToShadowDb() {
    const database = `prisma_shadow_${crypto.randomUUID().replaceAll("-", "")}`;
    await withClient(this.pool, (client) => client.query(`CREATE DATABASE "${database}"`));
    const adapter = await new PrismaPg({ ...this.pool, database }).connect();
    const dispose = adapter.dispose.bind(adapter);
    adapter.dispose = async () => {
      await dispose();
      await withClient(this.pool, (client) => client.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`));
    };
    return adapter;
  }
}

async function withClient<T>(config: pg.PoolConfig, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client(config);
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

/**
 * Separate fields rather than a connectionString: the adapter derives the
 * shadow database by overriding `database`, which a connectionString would win over.
 */
function poolConfig(databaseUrl: string): pg.PoolConfig {
  const url = new URL(databaseUrl);
  const sslmode = url.searchParams.get("sslmode");
  return {
    host: decodeURIComponent(url.hostname),
    port: url.port ? Number(url.port) : 5432,
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database: decodeURIComponent(url.pathname.slice(1)) || "postgres",
    ssl: sslmode && sslmode !== "disable" ? { rejectUnauthorized: sslmode === "verify-full" } : undefined,
    Client: NameAsTextClient,
    // Idle connections must not keep a finished CLI process (migrate deploy) alive.
    allowExitOnIdle: true,
  };
}

const TEXT_OID = 25;
const NAME_OID = 19;
const CHAR_OID = 18;

type FieldResult = { fields?: { dataTypeID: number }[] };

/**
 * adapter-pg cannot decode `name` and `"char"` columns, which the schema
 * engine's introspection queries return (prisma/orm#27403). Their text form
 * is plain text, so relabel them before the adapter sees the result.
 */
class NameAsTextClient extends pg.Client {
  // pg's overloads are too many to restate; the wrapper only touches results.
  override query(...args: unknown[]): never {
    const last = args.at(-1);
    if (typeof last === "function") {
      const callback = last as (error: Error | null, result: FieldResult) => void;
      const wrapped = (error: Error | null, result: FieldResult) => callback(error, relabel(result));
      return (super.query as (...a: unknown[]) => never)(...args.slice(0, -1), wrapped);
    }
    const result = (super.query as (...a: unknown[]) => unknown)(...args);
    if (result instanceof Promise) return result.then(relabel) as never;
    return result as never;
  }
}

function relabel<T extends FieldResult | FieldResult[]>(result: T): T {
  const parts: FieldResult[] = Array.isArray(result) ? result : [result];
  for (const part of parts) {
    for (const field of part?.fields ?? []) {
      if (field.dataTypeID === NAME_OID || field.dataTypeID === CHAR_OID) field.dataTypeID = TEXT_OID;
    }
  }
  return result;
}
