import { CodedError } from "./coded-error";

// Typed engine errors. Each carries a stable `code` so the platform can map it
// to a response in one place, and a message that tells the user what to do next.

/**
 * Every code an engine error can carry (kernel and runtime errors included).
 * The platform's map to responses is checked against this list, so a new
 * code is a compile error there rather than a silent 500.
 */
export const SANDBOX_ERROR_CODES = [
  "sandbox_not_running",
  "sandbox_infrastructure",
  "path_outside_workspace",
  "invalid_path",
  "file_not_found",
  "job_not_found",
  "jobs_unavailable",
  "path_exists",
  "wrong_file_type",
  "permission_denied",
  "not_a_text_file",
  "file_too_large",
  "edit_not_found",
  "edit_not_unique",
  "sandbox_timeout",
  "unsafe_archive",
  "invalid_sandbox_options",
  "invalid_session_id",
  "quota_exceeded",
  "workspace_error",
  "workspace_full",
  "host_disk_full",
  "upload_incomplete",
  "session_manager_closed",
  "invalid_pattern",
  "kernel_start_failed",
  "runtime_invalid",
  "runtime_not_found",
  "runtime_build_failed",
] as const;

export type SandboxErrorCode = (typeof SANDBOX_ERROR_CODES)[number];

export class SandboxError extends CodedError<SandboxErrorCode> {
  static override readonly brand: string = "SandboxError";
}

/** The container could not be started or is gone and could not be brought back. */
export class SandboxNotRunningError extends SandboxError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("sandbox_not_running", message, options);
  }
}

/** Docker refused or failed an operation the engine needed (not the user's code). */
export class SandboxInfrastructureError extends SandboxError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("sandbox_infrastructure", message, options);
  }
}

/** A path that leaves the work dir (absolute elsewhere or `..` escaping it). */
export class PathOutsideWorkspaceError extends SandboxError {
  constructor(
    readonly path: string,
    readonly workDir: string,
    /** Why, when it is not plain from the path (e.g. where a symlink leads). */
    detail?: string,
  ) {
    super(
      "path_outside_workspace",
      `Path ${JSON.stringify(path)} is outside the workspace ${workDir}${detail ? ` (${detail})` : ""}. Use a path under ${workDir}.`,
    );
  }
}

/** A path with NUL, control characters, or otherwise unusable. */
export class InvalidPathError extends SandboxError {
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super("invalid_path", `Path ${JSON.stringify(path)} is not allowed: ${reason}.`);
  }
}

export class FileNotFoundError extends SandboxError {
  constructor(readonly path: string) {
    super("file_not_found", `No such file: ${path}`);
  }
}

/** A move or rename whose target is already there (nothing is overwritten). */
export class PathExistsError extends SandboxError {
  constructor(readonly path: string) {
    super("path_exists", `${path} already exists; choose another name or delete it first.`);
  }
}

/** A background job id the sandbox's supervisor does not know (never started, or forgotten). */
export class JobNotFoundError extends SandboxError {
  constructor(
    readonly id: string,
    message = `No background job ${id} in this sandbox.`,
  ) {
    super("job_not_found", message);
  }
}

export const JOBS_ENDED = "The sandbox stopped, and its background jobs ended with it. Files in /workspace are intact.";

/** Background jobs need the sandbox supervisor; this sandbox runs without one (docker exec fallback). */
export class JobsUnavailableError extends SandboxError {
  constructor() {
    super(
      "jobs_unavailable",
      "Background jobs are not available in this sandbox: it runs without the sandbox supervisor. Restart the sandbox; if that does not help, ask an admin (the server may have the supervisor turned off).",
    );
  }
}

/** The path exists but is not what the operation needs (a directory where a file was expected, or the reverse). */
export class WrongFileTypeError extends SandboxError {
  constructor(
    readonly path: string,
    readonly expected: "file" | "directory",
  ) {
    super("wrong_file_type", `${path} is not a ${expected}.`);
  }
}

export class PermissionDeniedError extends SandboxError {
  constructor(
    readonly path: string,
    detail?: string,
  ) {
    super("permission_denied", `Permission denied: ${path}${detail ? ` (${detail})` : ""}`);
  }
}

/** Binary content where text was expected. */
export class NotATextFileError extends SandboxError {
  constructor(readonly path: string) {
    super("not_a_text_file", `${path} is a binary file, not text. Use readBytes or download it instead.`);
  }
}

export class FileTooLargeError extends SandboxError {
  constructor(
    readonly path: string,
    readonly maxBytes: number,
  ) {
    super("file_too_large", `${path} is larger than ${maxBytes} bytes. Read it in parts with a command, or download it.`);
  }
}

/** edit(): the old string does not occur in the file. */
export class EditNotFoundError extends SandboxError {
  constructor(readonly path: string) {
    super("edit_not_found", `String not found in file ${path}.`);
  }
}

/** edit(): the old string occurs more than once and replaceAll was not set. */
export class EditNotUniqueError extends SandboxError {
  constructor(
    readonly path: string,
    readonly occurrences: number,
  ) {
    super(
      "edit_not_unique",
      `String found ${occurrences} times in ${path}. Use replaceAll: true to replace all, or provide more context.`,
    );
  }
}

/** An engine-side operation (not a user command) ran past its time limit. */
export class SandboxTimeoutError extends SandboxError {
  constructor(
    readonly operation: string,
    readonly timeoutMs: number,
  ) {
    super("sandbox_timeout", `${operation} did not finish within ${timeoutMs} ms.`);
  }
}

/** A tar archive with an entry the engine refuses (absolute path, `..`, link, device…). */
export class UnsafeArchiveError extends SandboxError {
  constructor(
    readonly entry: string,
    reason: string,
  ) {
    super("unsafe_archive", `Archive entry ${JSON.stringify(entry)} refused: ${reason}.`);
  }
}

export class InvalidSandboxOptionsError extends SandboxError {
  constructor(message: string) {
    super("invalid_sandbox_options", message);
  }
}

export class InvalidSessionIdError extends SandboxError {
  constructor(readonly sessionId: string) {
    super(
      "invalid_session_id",
      `Session id ${JSON.stringify(sessionId)} is invalid: use 1–64 letters, digits, '_' or '-', starting with a letter or digit.`,
    );
  }
}

/** A quota (sessions, paused sessions…) is full. */
export class QuotaExceededError extends SandboxError {
  constructor(
    readonly quota: string,
    readonly limit: number,
    message: string,
  ) {
    super("quota_exceeded", message);
  }
}

/** The workspace folder on the host could not be prepared. */
export class WorkspaceError extends SandboxError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("workspace_error", message, options);
  }
}

/** The workspace's filesystem (or the user's disk quota) is full: a write failed with ENOSPC or EDQUOT. */
export class WorkspaceFullError extends SandboxError {
  constructor(
    readonly path: string,
    options?: { cause?: unknown },
  ) {
    super("workspace_full", "Your workspace is full: delete files to make room, or ask an admin for a larger disk quota.", options);
  }
}

/** The data being uploaded stopped before its end (the client went away, the stream failed); nothing was changed. */
export class UploadIncompleteError extends SandboxError {
  constructor(options?: { cause?: unknown }) {
    super("upload_incomplete", "The upload ended before it was complete, so nothing was changed. Send it again.", options);
  }
}

/** The manager was shut down; it creates nothing more. */
export class SessionManagerClosedError extends SandboxError {
  constructor() {
    super("session_manager_closed", "The session manager has been shut down.");
  }
}

/** The host's disk cannot hold a workspace disk of the quota asked for (its reserve for the database stays free). */
export class HostDiskFullError extends SandboxError {
  constructor(message: string) {
    super("host_disk_full", message);
  }
}
