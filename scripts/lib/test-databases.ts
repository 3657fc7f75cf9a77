import pg from "pg";

// Per-run databases on the test suite's Postgres server (the embedded one, or
// TEST_DATABASE_URL's), so two runs on one machine never share one.

async function onServer(serverUrl: string, sql: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: `${serverUrl}/postgres` });
  await client.connect();
  try {
    for (const statement of sql) await client.query(statement);
  } finally {
    await client.end();
  }
}

/** Drops and recreates a database so every test run starts from empty. */
export async function recreateDatabase(serverUrl: string, database: string): Promise<string> {
  await onServer(serverUrl, [`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`, `CREATE DATABASE "${database}"`]);
  return `${serverUrl}/${database}`;
}

export async function dropDatabase(serverUrl: string, database: string): Promise<void> {
  await onServer(serverUrl, [`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`]);
}
