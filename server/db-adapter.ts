import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";

// One driver (node-postgres through Prisma's adapter) for the Prisma CLI
// (migrations) and the app's client, on one dialect: Postgres, embedded
// (started by `npm start`) or external (DATABASE_URL).

/**
 * The app's pool, set deliberately: a few connections per process, none
 * held for long, and every wait bounded so an overloaded or vanished
 * database becomes a clear error instead of a hang.
 */
export type PoolLimits = {
  /** Connections per app process. */
  max: number;
  /** How long a query waits for a free connection before failing as "busy". */
  acquireTimeoutMs: number;
  statementTimeoutMs: number;
  lockTimeoutMs: number;
  /** A transaction left open this long is ended by the server, freeing its locks. */
  idleInTransactionTimeoutMs: number;
};

function missingDatabaseUrlError(): Error {
  return new Error("DATABASE_URL is not set. Start Tidepool with `npm start` (it runs the embedded database), or set DATABASE_URL to a Postgres server.");
}

/** The adapter for the app's PrismaClient. Without a URL it fails at the first query, not at import (`next build` imports it). */
export function createAppAdapter(databaseUrl: string | undefined, limits: PoolLimits): PrismaPg {
  if (!databaseUrl) return new UnconfiguredAdapter({});
  return new PrismaPg({
    ...connectionConfig(databaseUrl),
    application_name: "tidepool",
    max: limits.max,
    connectionTimeoutMillis: limits.acquireTimeoutMs,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
    statement_timeout: limits.statementTimeoutMs,
    lock_timeout: limits.lockTimeoutMs,
    idle_in_transaction_session_timeout: limits.idleInTransactionTimeoutMs,
    // A server that stops answering mid-query (not just refusing) still ends the wait.
    query_timeout: limits.statementTimeoutMs + 5000,
  });
}

class UnconfiguredAdapter extends PrismaPg {
  override connect(): never {
    throw missingDatabaseUrlError();
  }
}

/** The adapter for the Prisma CLI: no statement limits (a migration may take long), idle connections let the CLI exit. */
export function createMigrationAdapter(databaseUrl: string | undefined): PostgresMigrationAdapter {
  if (!databaseUrl) throw missingDatabaseUrlError();
  return new PostgresMigrationAdapter({ ...connectionConfig(databaseUrl), allowExitOnIdle: true });
}

/**
 * adapter-pg drops its shadow database while its own pool still holds a
 * connection, so `migrate dev` fails with "being accessed by other users".
 * Close the shadow pool first, then drop the database.
 */
class PostgresMigrationAdapter extends PrismaPg {
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
function connectionConfig(databaseUrl: string): pg.PoolConfig {
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
