import type { RuntimeConfig } from "../sandbox/runtime";
import { env } from "../env";

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
