// `npm start`: provision what is missing, start the database, migrate, build,
// serve. Idempotent: a second start skips every step whose inputs did not
// change. On Ctrl+C (SIGINT) or SIGTERM the web server stops first, then the
// embedded database, so every write the app made is committed or rolled back.
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { type AppDatabase, clearLeftoverLeases, openAppDatabase } from "./lib/app-database";
import { prepareLocalEnv } from "./lib/local-config";
import { log, timed } from "./lib/log";
import { buildIfChanged } from "./lib/next-build";
import { generateClientIfChanged, migrateDeploy } from "./lib/prisma";
import { waitForHttp } from "./lib/wait-for-http";
import { ensureDockerEngine } from "./provision/docker-engine";
import { ensureSandboxImages } from "./provision/sandbox-images";

const SERVER_STOP_TIMEOUT_MS = 30_000;

let database: AppDatabase | null = null;
let server: ChildProcess | null = null;
let stopping: Promise<never> | null = null;

/** Stops the web server (bounded), then the database, then exits. Safe to call more than once. */
function shutdown(code: number, signal: NodeJS.Signals = "SIGTERM"): Promise<never> {
  stopping ??= (async () => {
    const running = server;
    if (running && running.exitCode === null && running.signalCode === null) {
      const exited = new Promise((resolve) => running.once("exit", resolve));
      running.kill(signal);
      const timer = setTimeout(() => running.kill("SIGKILL"), SERVER_STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    }
    await database?.close().catch((error: unknown) => log.fail(`Stopping the database: ${String(error)}`));
    process.exit(code);
  })();
  return stopping;
}

async function main() {
  const started = Date.now();
  prepareLocalEnv();
  const { env } = await import("../server/env");
  const { createDockerClient } = await import("../server/sandbox/docker-client");
  const docker = createDockerClient({ host: env.DOCKER_HOST, socketPath: env.DOCKER_SOCKET });

  database = await timed(env.DATABASE_URL ? "Database" : "Database (embedded Postgres)", () =>
    openAppDatabase(env, {
      onLost: (reason) => {
        log.fail(`Stopping: ${reason}.`);
        void shutdown(1);
      },
    }),
  );
  process.env.DATABASE_URL = database.url;
  if (database.embeddedDir) process.env.EMBEDDED_DATABASE_DIR = database.embeddedDir;

  await timed("Docker engine", () => ensureDockerEngine(docker, { logDir: path.join(env.DATA_DIR, "logs"), remote: !!env.DOCKER_HOST }));
  await ensureSandboxImages(docker, env);
  await timed("Database schema", async () => {
    await generateClientIfChanged();
    await migrateDeploy();
    if (database?.embeddedDir) await clearLeftoverLeases(database.url);
  });
  await buildIfChanged(process.env);

  const url = `http://${env.HOST}:${env.PORT}`;
  log.step(`Starting the server on ${url}…`);
  server = spawn(path.join("node_modules", ".bin", "next"), ["start", "-H", env.HOST, "-p", String(env.PORT)], {
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", SUPERVISOR_PID: String(process.pid) },
  });
  server.on("exit", (code, signal) => {
    if (stopping) return;
    log.fail(`The web server stopped (${code ?? signal}).`);
    void shutdown(code || 1);
  });
  await waitForHttp(`${url}/api/health`, 60_000);
  log.ok(`Tidepool is running at ${url} (ready in ${((Date.now() - started) / 1000).toFixed(1)} s). Press Ctrl+C to stop.`);
  if (database.embeddedDir) log.detail(`Database: embedded Postgres in ${database.embeddedDir} (its URL is in ${path.join(env.DATA_DIR, "database-url")} while it runs)`);
}

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => void shutdown(0, signal === "SIGHUP" ? "SIGTERM" : signal));

main().catch((error: unknown) => {
  log.fail(error instanceof Error ? error.message : String(error));
  void shutdown(1);
});
