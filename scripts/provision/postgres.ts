import { canInstallSystemPackages, ensureAptPackages } from "../lib/apt";
import { log } from "../lib/log";
import { run, succeeds } from "../lib/run";

const ROLE = "tidepool";
const PASSWORD = "tidepool";

/** Runs SQL as the cluster's superuser over the local socket. */
function psql(sql: string, database = "postgres"): Promise<string> {
  return run("su", ["postgres", "-c", `psql -v ON_ERROR_STOP=1 -qtA -d ${database} -c "${sql.replaceAll('"', '\\"')}"`]);
}

/**
 * A local Postgres for the test suite: installed from Debian's apt, the
 * cluster started (no systemd here), a `tidepool` role able to create
 * databases. Returns a connection URL without a database name.
 */
export async function ensureLocalPostgres(): Promise<string> {
  if (!canInstallSystemPackages()) {
    throw new Error("Tests need Postgres: set TEST_DATABASE_URL to a server where the user may create databases.");
  }
  await ensureAptPackages(["postgresql"]);
  if (!(await succeeds("pg_isready", ["-q", "-h", "127.0.0.1"]))) {
    const clusters = await run("pg_lsclusters", ["--no-header"]);
    const [version, name] = clusters.trim().split("\n")[0]?.split(/\s+/) ?? [];
    if (!version || !name) throw new Error("No Postgres cluster found (pg_lsclusters printed nothing).");
    log.step(`Starting Postgres cluster ${version}/${name}…`);
    await run("pg_ctlcluster", [version, name, "start"]);
    for (let i = 0; i < 60 && !(await succeeds("pg_isready", ["-q", "-h", "127.0.0.1"])); i++) {
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  const exists = await psql(`SELECT 1 FROM pg_roles WHERE rolname = '${ROLE}'`);
  if (exists.trim() !== "1") await psql(`CREATE ROLE ${ROLE} LOGIN CREATEDB PASSWORD '${PASSWORD}'`);
  return `postgresql://${ROLE}:${PASSWORD}@127.0.0.1:5432`;
}

async function onServer(serverUrl: string, sql: string[]): Promise<void> {
  const { default: pg } = await import("pg");
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
