import { TRPCError } from "@trpc/server";
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server/rpc";
import { ZodError } from "zod";
import { SandboxError } from "../sandbox/errors";
import { DomainError, fromDatabaseFailure } from "../services/errors";

// The one place where engine and service errors become tRPC errors. Their
// messages are written for users; anything unexpected is logged and replaced
// by a generic message so Docker or SQL details never reach the browser.
const CODES: Record<string, TRPC_ERROR_CODE_KEY> = {
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
  database_unavailable: "SERVICE_UNAVAILABLE",
  // engine
  path_outside_workspace: "BAD_REQUEST",
  invalid_path: "BAD_REQUEST",
  file_not_found: "NOT_FOUND",
  wrong_file_type: "BAD_REQUEST",
  permission_denied: "FORBIDDEN",
  not_a_text_file: "UNPROCESSABLE_CONTENT",
  file_too_large: "PAYLOAD_TOO_LARGE",
  edit_not_found: "BAD_REQUEST",
  edit_not_unique: "BAD_REQUEST",
  unsafe_archive: "BAD_REQUEST",
  sandbox_timeout: "TIMEOUT",
  sandbox_not_running: "PRECONDITION_FAILED",
  RUNTIME_INVALID: "BAD_REQUEST",
  RUNTIME_NOT_FOUND: "NOT_FOUND",
  RUNTIME_BUILD_FAILED: "INTERNAL_SERVER_ERROR",
};

export function toTRPCError(error: unknown): TRPCError {
  const raw = error instanceof TRPCError && error.cause ? error.cause : error;
  const database = raw instanceof DomainError || raw instanceof SandboxError ? null : fromDatabaseFailure(raw);
  if (database) console.warn(`database ${database.code}:`, raw instanceof Error ? raw.message : raw);
  const cause = database ?? raw;
  if (cause instanceof DomainError || cause instanceof SandboxError) {
    const code = CODES[cause.code];
    if (code) return new TRPCError({ code, message: cause.message, cause });
  }
  if (cause instanceof ZodError) {
    return new TRPCError({ code: "BAD_REQUEST", message: cause.issues.map((issue) => issue.message).join("; "), cause });
  }
  if (error instanceof TRPCError && error.code !== "INTERNAL_SERVER_ERROR") return error;
  console.error("unexpected error in a tRPC procedure", cause);
  return new TRPCError({
    code: "INTERNAL_SERVER_ERROR",
    message: "Something went wrong on our side. Try again; if it keeps happening, ask an admin to check the server log.",
    cause,
  });
}
