import { type ImageBuilder, resolveRuntime, type RuntimeConfig } from "../sandbox/runtime";
import { SessionManager } from "../sandbox/session-manager";
import { docker } from "../docker";
import { env } from "../env";
import { recordActivity } from "./activity";
import { diskQuotaBytesForUser } from "./disk-quotas";
import { createImageBuilder } from "./image-builder";
import { runtimeConfigForUser } from "./runtimes";
import { withLimits } from "./sandbox-limits";
import { PrismaSessionStore } from "./sandbox-session-store";

// The platform's one SessionManager per process (on globalThis: Next's bundles
// share it): each user's session id is their user id, their workspace
// {WORKSPACE_ROOT}/{userId}/workspace. The Postgres store makes several
// processes agree on every session.

type Platform = { manager: SessionManager<RuntimeConfig>; images: ImageBuilder };

const globalForSandboxes = globalThis as unknown as { tidepoolSandboxes?: Platform };

function createPlatform(): Platform {
  const images = createImageBuilder(docker, env);
  const manager = new SessionManager<RuntimeConfig>({
    docker,
    workspaceRoot: env.WORKSPACE_ROOT,
    diskQuota: { bytesFor: diskQuotaBytesForUser, hostReserveBytes: env.WORKSPACE_DISK_RESERVE_MB * 1024 * 1024 },
    defaultRuntime: env.DEFAULT_RUNTIME,
    // Names (the env default, a re-adopted container's label) resolve to built-ins with the platform's limits.
    resolveRuntime: (nameOrConfig) => (typeof nameOrConfig === "string" ? withLimits(resolveRuntime(nameOrConfig)) : nameOrConfig),
    // A session (re-)created without an explicit runtime gets the user's current choice with their limits.
    runtimeFor: runtimeConfigForUser,
    imageBuilder: images,
    maxSessions: env.MAX_SESSIONS,
    idle: { pauseAfterMs: env.IDLE_PAUSE_MS, stopAfterMs: env.IDLE_STOP_MS },
    scope: env.SANDBOX_SCOPE,
    store: new PrismaSessionStore(),
    // The store is persistent: a labelled container it has no row for is an orphan.
    adoptUnknown: false,
    defaultTimeoutMs: env.COMMAND_TIMEOUT_MS,
    supervisor: env.SANDBOX_SUPERVISOR_DIR === "off" ? false : env.SANDBOX_SUPERVISOR_DIR ? { cacheDir: env.SANDBOX_SUPERVISOR_DIR } : undefined,
    onEvent: (event) => {
      if (event.type === "orphan-removed") console.warn(`removed orphan sandbox container (${event.reason})`);
      void recordActivity({
        subjectId: event.sessionId || null,
        action: `sandbox.${event.type}`,
        outcome: "ok",
        detail: { durationMs: event.durationMs ?? null, reason: event.reason ?? null },
      });
    },
  });
  return { manager, images };
}

export function sandboxPlatform(): Platform {
  globalForSandboxes.tidepoolSandboxes ??= createPlatform();
  return globalForSandboxes.tidepoolSandboxes;
}
