import { LOCAL_BASE_IMAGE, UPSTREAM_BASE_IMAGE } from "../sandbox/base-image";
import { db } from "../db";
import { databaseFailureOf } from "../db-errors";
import { docker } from "../docker";
import { env } from "../env";

export type HealthCheck = { ok: boolean; summary: string; hint?: string };
export type Health = {
  ok: boolean;
  checkedAt: string;
  checks: { docker: HealthCheck; database: HealthCheck; baseImage: HealthCheck };
};

const CHECK_TIMEOUT_MS = 3000;

/** Never lets a hung dependency hang the health page. */
async function check(work: () => Promise<HealthCheck>, hint: string): Promise<HealthCheck> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<HealthCheck>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, summary: `no answer within ${CHECK_TIMEOUT_MS / 1000} s`, hint }), CHECK_TIMEOUT_MS);
  });
  try {
    return await Promise.race([
      work().catch((error: unknown) => ({ ok: false, summary: error instanceof Error ? error.message : String(error), hint })),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

async function checkDocker(): Promise<HealthCheck> {
  const version = await docker.version();
  return { ok: true, summary: `Docker engine ${version.Version} (API ${version.ApiVersion})` };
}

async function checkDatabase(): Promise<HealthCheck> {
  const [row] = await db.$queryRaw<{ version: string }[]>`SELECT current_setting('server_version') AS version`.catch((error: unknown) => {
    // The page is public: the raw driver text (host, port, SQL) stays in the log.
    console.warn("health: database check failed", error);
    throw new Error(databaseFailureOf(error) === "busy" ? "busy: no connection free" : "not reachable");
  });
  const version = row?.version.split(" ")[0] ?? "";
  const summary = env.EMBEDDED_DATABASE_DIR ? `Embedded Postgres ${version} in ${env.EMBEDDED_DATABASE_DIR}` : `Postgres ${version} server connected`;
  return { ok: true, summary };
}

async function checkBaseImage(): Promise<HealthCheck> {
  const candidates = env.BASE_IMAGE ? [env.BASE_IMAGE] : [LOCAL_BASE_IMAGE, UPSTREAM_BASE_IMAGE];
  for (const tag of candidates) {
    try {
      const image = await docker.getImage(tag).inspect();
      return { ok: true, summary: `${tag} present (${Math.round(image.Size / 1e6)} MB)` };
    } catch {
      // try the next candidate
    }
  }
  return { ok: false, summary: `${candidates.join(" or ")} missing`, hint: "Run `npm start` once to build the base image." };
}

export async function getHealth(): Promise<Health> {
  const [dockerCheck, database, baseImage] = await Promise.all([
    check(checkDocker, "Start the Docker engine (npm start does this on Debian as root) or fix DOCKER_HOST."),
    check(checkDatabase, env.EMBEDDED_DATABASE_DIR ? `See ${env.DATA_DIR}/logs/postgres.log; restart Tidepool.` : "Check that the Postgres server at DATABASE_URL runs and accepts connections."),
    check(checkBaseImage, "Run `npm start` once to build the base image."),
  ]);
  return {
    ok: dockerCheck.ok && database.ok && baseImage.ok,
    checkedAt: new Date().toISOString(),
    checks: { docker: dockerCheck, database, baseImage },
  };
}
