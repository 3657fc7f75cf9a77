import { type ImageBuilder, resolveRuntime, type RuntimeConfig } from "../sandbox/runtime";
import { SessionManager } from "../sandbox/session-manager";
import { docker } from "../docker";
import { env } from "../env";
import { recordActivity } from "./activity";
import { createImageBuilder } from "./image-builder";
import { PrismaSessionStore } from "./sandbox-session-store";

// The platform's one SessionManager per process: each user's session id is
// their user id, their workspace {WORKSPACE_ROOT}/{userId}/workspace.

type Platform = { manager: SessionManager<RuntimeConfig>; images: ImageBuilder };

/** The platform's container limits (env), before a runtime's and a user's overrides. */
export function platformLimits(): NonNullable<RuntimeConfig["limits"]> {
  return { memoryMb: env.SANDBOX_MEMORY_MB, cpus: env.SANDBOX_CPUS, pids: env.SANDBOX_PIDS };
}

/**
 * A runtime config carrying the limits its sandbox gets: platform < runtime < user.
 * (The engine lets a manager's `limits` override a runtime's, so the platform
 * puts every layer into the runtime config and gives the manager none.)
 */
export function withLimits(config: RuntimeConfig, user: RuntimeConfig["limits"] = {}): RuntimeConfig {
  const defined = (limits: RuntimeConfig["limits"]) => Object.fromEntries(Object.entries(limits ?? {}).filter(([, value]) => value != null));
  return { ...config, limits: { ...platformLimits(), ...defined(config.limits), ...defined(user) } };
}

const globalForSandboxes = globalThis as unknown as { tidepoolSandboxes?: Platform };

function createPlatform(): Platform {
  const images = createImageBuilder(docker, env);
  const manager = new SessionManager<RuntimeConfig>({
    docker,
    workspaceRoot: env.WORKSPACE_ROOT,
    defaultRuntime: env.DEFAULT_RUNTIME,
    // Names (the env default, a re-adopted container's label) resolve to built-ins with the platform's limits.
    resolveRuntime: (nameOrConfig) => (typeof nameOrConfig === "string" ? withLimits(resolveRuntime(nameOrConfig)) : nameOrConfig),
    imageBuilder: images,
    maxSessions: env.MAX_SESSIONS,
    idle: { pauseAfterMs: env.IDLE_PAUSE_MS, stopAfterMs: env.IDLE_STOP_MS },
    scope: env.SANDBOX_SCOPE,
    store: new PrismaSessionStore(),
    // The store is persistent: a labelled container it has no row for is an orphan.
    adoptUnknown: false,
    defaultTimeoutMs: env.COMMAND_TIMEOUT_MS,
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
