import type { SandboxLimits } from "./container-spec";

// What the sandbox needs from a runtime (server/sandbox/runtime): a structural
// subset of RuntimeConfig, so the engine works with the runtime module's real
// types and with plain objects in tests.

export type SandboxRuntime = {
  name: string;
  description?: string;
  /** A ready image; otherwise the image builder makes one from baseImage + packages. */
  image?: string | null;
  baseImage?: string | null;
  envVars?: Record<string, string>;
  workDir?: string;
  /** Network access for the sandbox; off unless the runtime allows it. */
  network?: boolean;
  limits?: Pick<SandboxLimits, "memoryMb" | "cpus" | "pids">;
};

export type ImageBuildResult = { tag: string; cached: boolean; durationMs: number };

/** The runtime module's ImageBuilder, as far as the sandbox is concerned. */
export type ImageBuilderLike<R extends SandboxRuntime = SandboxRuntime> = {
  ensureImage(config: R, options?: { onEvent?: (event: unknown) => void }): Promise<ImageBuildResult>;
};

/** Turns a built-in runtime name (or a config) into a config; the runtime module's resolveRuntime. */
export type RuntimeResolver<R extends SandboxRuntime = SandboxRuntime> = (nameOrConfig: string | R) => R;
