import { SandboxError } from "../errors";

/** A runtime config failed validation; `fieldErrors` is keyed by field path ("packages.0", "envVars.A=B"). */
export class RuntimeValidationError extends SandboxError {
  static override readonly brand: string = "RuntimeValidationError";

  constructor(readonly fieldErrors: Record<string, string[]>) {
    const summary = Object.entries(fieldErrors)
      .map(([field, messages]) => `${field || "config"}: ${messages.join("; ")}`)
      .join("\n");
    super("runtime_invalid", `Invalid runtime configuration:\n${summary}`);
  }
}

export class RuntimeNotFoundError extends SandboxError {
  constructor(
    readonly runtimeName: string,
    readonly knownNames: readonly string[],
  ) {
    super("runtime_not_found", `Unknown runtime "${runtimeName}". Known runtimes: ${knownNames.join(", ")}.`);
  }
}

/** Where a build stopped: Dockerfile step n of m (the smoke check counts as the last step). */
export type BuildStep = { index: number; total: number; title: string };

export class RuntimeBuildError extends SandboxError {
  constructor(
    message: string,
    readonly step: BuildStep | undefined,
    readonly logTail: string[],
    options?: { cause?: unknown },
  ) {
    super("runtime_build_failed", message, options);
  }
}
