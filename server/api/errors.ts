import { TRPCError } from "@trpc/server";
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server/rpc";
import { ZodError } from "zod";
import { AgentError, type AgentErrorCode } from "../agent/errors";
import { SandboxError, type SandboxErrorCode } from "../sandbox/errors";
import { DomainError, type DomainErrorCode, fromDatabaseFailure } from "../services/errors";

// The one place where engine, agent and service errors become tRPC errors.
// Their messages are written for users; anything unexpected is logged and
// replaced by a generic message so Docker or SQL details never reach the browser.

export type ErrorCode = DomainErrorCode | SandboxErrorCode | AgentErrorCode;

/** A tRPC code, or a tRPC code and the message users see instead of the error's own (which is logged). */
type Mapping = TRPC_ERROR_CODE_KEY | { code: TRPC_ERROR_CODE_KEY; message: string };

const GENERIC_MESSAGE = "Something went wrong on our side. Try again; if it keeps happening, ask an admin to check the server log.";

export const ERROR_MAPPINGS = {
  // services
  email_taken: "CONFLICT",
  invalid_credentials: "UNAUTHORIZED",
  rate_limited: "TOO_MANY_REQUESTS",
  not_found: "NOT_FOUND",
  conflict: "CONFLICT",
  invalid_input: "BAD_REQUEST",
  quota_exceeded: "TOO_MANY_REQUESTS",
  model_not_configured: "PRECONDITION_FAILED",
  busy: "SERVICE_UNAVAILABLE",
  too_large: "PAYLOAD_TOO_LARGE",
  database_unavailable: "SERVICE_UNAVAILABLE",
  // agent
  invalid_max_steps: "BAD_REQUEST",
  // engine
  path_outside_workspace: "BAD_REQUEST",
  invalid_path: "BAD_REQUEST",
  file_not_found: "NOT_FOUND",
  job_not_found: "NOT_FOUND",
  jobs_unavailable: "PRECONDITION_FAILED",
  path_exists: "CONFLICT",
  wrong_file_type: "BAD_REQUEST",
  permission_denied: "FORBIDDEN",
  not_a_text_file: "UNPROCESSABLE_CONTENT",
  file_too_large: "PAYLOAD_TOO_LARGE",
  edit_not_found: "BAD_REQUEST",
  edit_not_unique: "BAD_REQUEST",
  invalid_pattern: "BAD_REQUEST",
  unsafe_archive: "BAD_REQUEST",
  // Insufficient storage is not a tRPC code; "payload too large" is what a client can act on (make room, send less).
  workspace_full: "PAYLOAD_TOO_LARGE",
  upload_incomplete: "BAD_REQUEST",
  // An admin must act (free disk space or lower quotas); the message says so, with sizes only.
  host_disk_full: "SERVICE_UNAVAILABLE",
  sandbox_timeout: "TIMEOUT",
  sandbox_not_running: "PRECONDITION_FAILED",
  kernel_start_failed: "PRECONDITION_FAILED",
  invalid_session_id: "BAD_REQUEST",
  runtime_invalid: "BAD_REQUEST",
  runtime_not_found: "NOT_FOUND",
  runtime_build_failed: "INTERNAL_SERVER_ERROR",
  session_manager_closed: { code: "SERVICE_UNAVAILABLE", message: "The server is restarting. Try again in a few seconds." },
  // Their messages carry Docker or host details: logged, not shown.
  sandbox_infrastructure: {
    code: "INTERNAL_SERVER_ERROR",
    message: "The sandbox could not do this right now. Try again; if it keeps happening, ask an admin to check the server log.",
  },
  workspace_error: {
    code: "INTERNAL_SERVER_ERROR",
    message: "Your workspace could not be prepared. Try again; if it keeps happening, ask an admin to check the server log.",
  },
  invalid_sandbox_options: { code: "INTERNAL_SERVER_ERROR", message: GENERIC_MESSAGE },
} as const satisfies Record<ErrorCode, Mapping>;

export function toTRPCError(error: unknown): TRPCError {
  const raw = error instanceof TRPCError && error.cause ? error.cause : error;
  const coded = raw instanceof DomainError || raw instanceof SandboxError || raw instanceof AgentError;
  const database = coded ? null : fromDatabaseFailure(raw);
  if (database) console.warn(`database ${database.code}:`, raw instanceof Error ? raw.message : raw);
  const cause = database ?? raw;
  if (cause instanceof DomainError || cause instanceof SandboxError || cause instanceof AgentError) {
    const mapping: Mapping | undefined = (ERROR_MAPPINGS as Record<string, Mapping>)[cause.code];
    if (typeof mapping === "string") return new TRPCError({ code: mapping, message: cause.message, cause });
    if (mapping) {
      console.error(`${cause.code} in a tRPC procedure`, cause);
      return new TRPCError({ code: mapping.code, message: mapping.message, cause });
    }
  }
  if (cause instanceof ZodError) {
    return new TRPCError({ code: "BAD_REQUEST", message: cause.issues.map((issue) => issue.message).join("; "), cause });
  }
  if (error instanceof TRPCError && error.code !== "INTERNAL_SERVER_ERROR") return error;
  console.error("unexpected error in a tRPC procedure", cause);
  return new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: GENERIC_MESSAGE, cause });
}
