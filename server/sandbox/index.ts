// The sandbox engine's public API. Knows nothing of Next, tRPC, Prisma or auth:
// everything arrives as options.
export { DockerSandbox } from "./docker-sandbox";
export type { DockerSandboxOptions, ExecuteOptions, ExecuteResult, SandboxLifecycleEvent, SandboxState } from "./docker-sandbox";
export type { OutputChunk } from "./exec";
export { DEFAULT_MAX_OUTPUT_BYTES, DEFAULT_TIMEOUT_MS } from "./exec";
export type { SpawnedProcess, ProcessSignal } from "./spawn";
export type { RunProgramOptions, RunProgramResult } from "./run-program";
export type { JobInfo, JobOutput } from "./jobs";
export type { JobActivity } from "./job-activity";
export type { ExitCause } from "./exit-cause";
export type { ReadOptions, ReadBytesOptions, TextFile } from "./files/read";
export type { WriteResult, EditOptions, EditResult } from "./files/write";
export type { FileInfo, FileType, Listing, GlobOptions, GrepOptions, GrepMatch, GrepResult } from "./files/search";
export { InvalidPatternError } from "./files/search";
export type { PathStat } from "./files/stat";
export { PdfTooComplexError } from "./pdf-text";
export type { Download, UploadArchiveOptions } from "./files/transfer";
export { DEFAULT_LIMITS, SANDBOX_UID, SANDBOX_GID, SANDBOX_USER } from "./container-spec";
export type { SandboxLimits, VolumeMount, VolumesOption } from "./container-spec";
export type { SandboxRuntime, ImageBuilderLike, RuntimeResolver, ImageBuildResult } from "./runtime-contract";
export { SessionManager } from "./session-manager";
export type { SessionManagerOptions, SessionEvent, SessionEventType, SessionInfo } from "./session-manager";
export { InMemorySessionStore } from "./session-store";
export type { SessionStore, SessionRecord, SessionStatus } from "./session-store";
export { DEFAULT_IDLE_POLICY, planIdleActions } from "./idle-policy";
export type { IdlePolicy } from "./idle-policy";
export { ensureWorkspace, workspacePath } from "./workspace";
export { resolveSandboxPath } from "./paths";
export { isValidId, validateId } from "./ids";
export { decodeText } from "./text-decoding";
export { checkTarEntry, repackTar } from "./tar-checks";
export { createDockerClient } from "./docker-client";
export { LABELS } from "./labels";
export * from "./errors";

// The persistent Python kernel (run_python).
export * from "./kernel";

// Runtimes: configs, built-ins, image builds, prompt text.
export * from "./runtime";
