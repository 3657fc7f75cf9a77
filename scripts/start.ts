// `npm start`: provision what is missing, migrate, build, serve. Idempotent:
// a second start skips every step whose inputs did not change.
import { spawn } from "node:child_process";
import path from "node:path";
import { prepareLocalEnv } from "./lib/local-config";
import { log, timed } from "./lib/log";
import { buildIfChanged } from "./lib/next-build";
import { generateClientIfChanged, migrateDeploy } from "./lib/prisma";
import { waitForHttp } from "./lib/wait-for-http";
import { ensureSandboxImages } from "./provision/sandbox-images";
import { ensureDockerEngine } from "./provision/docker-engine";

async function main() {
  const started = Date.now();
  prepareLocalEnv();
  const { env } = await import("../server/env");
  const { createDockerClient } = await import("../server/sandbox/docker-client");
  const docker = createDockerClient({ host: env.DOCKER_HOST, socketPath: env.DOCKER_SOCKET });

  await timed("Docker engine", () => ensureDockerEngine(docker, { logDir: path.join(env.DATA_DIR, "logs"), remote: !!env.DOCKER_HOST }));
  await ensureSandboxImages(docker, env);
  await timed("Database", async () => {
    await generateClientIfChanged();
    await migrateDeploy();
  });
  await buildIfChanged(process.env);

  const url = `http://${env.HOST}:${env.PORT}`;
  log.step(`Starting the server on ${url}…`);
  const server = spawn(path.join("node_modules", ".bin", "next"), ["start", "-H", env.HOST, "-p", String(env.PORT)], {
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => server.kill(signal));
  server.on("exit", (code) => process.exit(code ?? 0));
  await waitForHttp(`${url}/api/health`, 60_000);
  log.ok(`Tidepool is running at ${url} (ready in ${((Date.now() - started) / 1000).toFixed(1)} s). Press Ctrl+C to stop.`);
}

main().catch((error: unknown) => {
  log.fail(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
