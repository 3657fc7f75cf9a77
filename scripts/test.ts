// `npm test`: provision what the suite needs (Docker engine, base image,
// Chromium, the embedded Postgres for vitest), then typecheck, lint, vitest
// (unit + integration on real Docker and Postgres) and Playwright (real
// Chromium, against the app started exactly as `npm start` starts it, in the
// default configuration), and end with one line `N passed, N failed`. Exits
// non-zero on any failure.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type Docker from "dockerode";
import { canInstallSystemPackages, ensureAptPackages } from "./lib/apt";
import { EmbeddedPostgres } from "./lib/embedded-postgres";
import { log, timed } from "./lib/log";
import { freePort } from "./lib/free-port";
import { buildIfChanged } from "./lib/next-build";
import { generateClientIfChanged, migrateDeploy } from "./lib/prisma";
import { run } from "./lib/run";
import { dropDatabase, recreateDatabase } from "./lib/test-databases";
import { ensureChromium } from "./provision/chromium";
import { ensureDockerEngine } from "./provision/docker-engine";
import { ensureSandboxImages } from "./provision/sandbox-images";
import { unmountWorkspaceDisks } from "../server/sandbox/workspace-disk";

type Tally = { name: string; passed: number; failed: number; skipped: number };

const root = process.cwd();
const bin = (name: string) => path.join(root, "node_modules", ".bin", name);

async function dockerAnswers(docker: Docker): Promise<boolean> {
  return docker.ping().then(
    () => true,
    () => false,
  );
}

/** One apt-get run for everything missing, rather than one per tool. */
async function installSystemPackages(docker: Docker): Promise<void> {
  if (!canInstallSystemPackages()) return;
  const wanted = ["chromium", "docker-compose", "debootstrap"];
  if (!process.env.DOCKER_HOST && !(await dockerAnswers(docker))) wanted.push("docker.io");
  await ensureAptPackages(wanted);
}

async function provision() {
  // Open to other users: the embedded Postgres runs as its own system user when we are root.
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "tidepool-test-"));
  fs.chmodSync(scratch, 0o755);
  const userEnv = { ...process.env };
  const common = {
    NODE_ENV: "test",
    AUTH_SECRET: randomBytes(32).toString("hex"),
    PRISMA_SCHEMA_URL: "postgresql://driver-adapter@localhost/unused",
    NEXT_TELEMETRY_DISABLED: "1",
    // The runtime the e2e tests (and the agent's) need; built once, cached after.
    DEFAULT_RUNTIME: process.env.DEFAULT_RUNTIME ?? "python-datascience",
  };
  Object.assign(process.env, common, { DATA_DIR: path.join(scratch, "data") });

  const { env } = await import("../server/env");
  const { createDockerClient } = await import("../server/sandbox/docker-client");
  const docker = createDockerClient({ host: env.DOCKER_HOST, socketPath: env.DOCKER_SOCKET });

  await installSystemPackages(docker);
  await timed("Docker engine", () => ensureDockerEngine(docker, { logDir: path.join(os.tmpdir(), "tidepool-logs"), remote: !!env.DOCKER_HOST }));
  await ensureSandboxImages(docker, env);

  // The same embedded Postgres as `npm start`'s, in the scratch folder (or TEST_DATABASE_URL's server).
  const embedded = process.env.TEST_DATABASE_URL ? null : new EmbeddedPostgres(path.join(scratch, "test-db"));
  const serverUrl = embedded ? (await timed("Postgres (embedded)", () => embedded.start())).replace(/\/[^/]*$/, "") : process.env.TEST_DATABASE_URL!.replace(/\/[^/]*$/, "");
  const chromium = await timed("Chromium", ensureChromium);
  const testDb = await timed("Test database", async () => {
    await generateClientIfChanged();
    // A per-run name: two test runs on one server never share a database.
    const url = await recreateDatabase(serverUrl, `tidepool_test_${process.pid}`);
    await migrateDeploy({ ...process.env, DATABASE_URL: url });
    return url;
  });

  const testEnv = {
    ...process.env,
    DATABASE_URL: testDb,
    WORKSPACE_ROOT: path.join(scratch, "workspaces"),
    SANDBOX_SCOPE: `test-${process.pid}`,
    // Quotas preallocate their disk: the many users of the integration tests get small ones.
    WORKSPACE_QUOTA_MB: "128",
  };
  // The default configuration, as `npm start` runs it: no DATABASE_URL (the embedded database), a generated secret.
  const e2eEnv = {
    ...userEnv,
    DATA_DIR: path.join(scratch, "e2e-data"),
    CHROMIUM_PATH: chromium,
    PORT: String(await freePort()),
    NEXT_TELEMETRY_DISABLED: "1",
    // Its own build folder, so `npm start` never swaps the app under the tests (runs take turns: see withE2eLock).
    NEXT_DIST_DIR: ".next-test",
    SANDBOX_SCOPE: `e2e-${process.pid}`,
  };
  return { testEnv, e2eEnv, scratch, docker, serverUrl, embedded };
}

/** A check that is not a test runner (typecheck, lint) counts as one test. */
async function check(name: string, command: string, args: string[], env: NodeJS.ProcessEnv): Promise<Tally> {
  try {
    await timed(name, () => run(command, args, { env }));
    return { name, passed: 1, failed: 0, skipped: 0 };
  } catch (error) {
    log.fail(`${name} failed:\n${error instanceof Error ? error.message : String(error)}`);
    return { name, passed: 0, failed: 1, skipped: 0 };
  }
}

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as T;
  } catch {
    return undefined;
  }
}

/** `npm test -- <filters>` narrows vitest to matching files (Playwright always runs). */
const vitestFilters = process.argv.slice(2);

async function vitest(env: NodeJS.ProcessEnv): Promise<Tally> {
  const report = path.join(os.tmpdir(), `tidepool-vitest-${process.pid}.json`);
  log.step("Unit and integration tests (vitest, real Docker and Postgres)…");
  await run(bin("vitest"), ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`, ...vitestFilters], { env, echo: true }).catch(() => {});
  const result = readJson<{ numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number; success: boolean }>(report);
  if (!result) return { name: "vitest", passed: 0, failed: 1, skipped: 0 };
  // A file that fails to load has no failed test but does fail the run.
  const failed = result.numFailedTests || (result.success ? 0 : 1);
  return { name: "vitest", passed: result.numPassedTests, failed, skipped: result.numPendingTests + result.numTodoTests };
}

/** Concurrent test runs on one machine share .next-test: one builds and browses at a time. */
async function withE2eLock<T>(work: () => Promise<T>): Promise<T> {
  const lock = path.join(root, ".next-test.lock");
  for (let waited = 0; ; waited++) {
    try {
      fs.mkdirSync(lock);
      fs.writeFileSync(path.join(lock, "pid"), String(process.pid));
      break;
    } catch {
      const holder = Number(fs.readFileSync(path.join(lock, "pid"), "utf8") || 0);
      if (!holder || !isAlive(holder)) fs.rmSync(lock, { recursive: true, force: true });
      else if (waited % 30 === 0) log.detail(`waiting for the e2e run of process ${holder}…`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
  try {
    return await work();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function playwright(env: NodeJS.ProcessEnv): Promise<Tally> {
  const report = path.join(os.tmpdir(), `tidepool-playwright-${process.pid}.json`);
  // The build reads the configuration; the secret the app runs with is generated by `npm start` itself.
  await buildIfChanged({ ...env, AUTH_SECRET: "build-time-placeholder-not-used-at-run-time" });
  log.step("End-to-end tests (Playwright, Chromium)…");
  await run(bin("playwright"), ["test"], { env: { ...env, PLAYWRIGHT_JSON_OUTPUT_NAME: report }, echo: true }).catch(() => {});
  const result = readJson<{ stats: { expected: number; unexpected: number; flaky: number; skipped: number }; errors?: unknown[] }>(report);
  if (!result) return { name: "playwright", passed: 0, failed: 1, skipped: 0 };
  const errors = result.errors?.length ?? 0;
  return {
    name: "playwright",
    passed: result.stats.expected + result.stats.flaky,
    failed: result.stats.unexpected + (errors && !result.stats.unexpected ? 1 : 0),
    skipped: result.stats.skipped,
  };
}

/** The sandboxes the platform made during the run (the app keeps containers across restarts by design). */
async function removeScopedContainers(docker: Docker, scopes: string[]): Promise<void> {
  const { LABELS } = await import("../server/sandbox/labels");
  const { removeContainer } = await import("../server/sandbox/container-lifecycle");
  for (const scope of scopes) {
    const containers = await docker.listContainers({ all: true, filters: { label: [`${LABELS.manager}=${scope}`] } });
    await Promise.all(containers.map((container) => removeContainer(docker, container.Id).catch(() => {})));
  }
}

async function main() {
  const started = Date.now();
  const { testEnv, e2eEnv, scratch, docker, serverUrl, embedded } = await provision();
  let tallies: Tally[];
  try {
    tallies = [
      await check("Typecheck", bin("tsc"), ["--noEmit", "-p", "."], testEnv),
      await check("Lint", bin("eslint"), ["--max-warnings=0", "."], testEnv),
      await vitest(testEnv),
      await withE2eLock(() => playwright(e2eEnv)),
    ];
  } finally {
    await removeScopedContainers(docker, [testEnv.SANDBOX_SCOPE, e2eEnv.SANDBOX_SCOPE]);
    if (embedded) await embedded.stop();
    else await dropDatabase(serverUrl, `tidepool_test_${process.pid}`).catch(() => {});
    // Workspace disks are mounted in there: unmount before deleting.
    await unmountWorkspaceDisks(scratch);
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  console.log("");
  for (const tally of tallies) log.detail(`${tally.name}: ${tally.passed} passed, ${tally.failed} failed${tally.skipped ? `, ${tally.skipped} skipped` : ""}`);
  log.detail(`total time ${((Date.now() - started) / 1000).toFixed(0)} s`);
  const passed = tallies.reduce((sum, tally) => sum + tally.passed, 0);
  const failed = tallies.reduce((sum, tally) => sum + tally.failed, 0);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}

main().catch((error: unknown) => {
  log.fail(error instanceof Error ? (error.stack ?? error.message) : String(error));
  console.log("0 passed, 1 failed");
  process.exit(1);
});
