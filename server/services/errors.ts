import { databaseFailureOf } from "../db-errors";
import { CodedError } from "../sandbox/coded-error";

// Domain errors of the platform's services. Like the engine's SandboxError,
// each has a stable code; server/api/errors.ts maps both to tRPC codes in one place.
export class DomainError extends CodedError<DomainErrorCode> {
  static override readonly brand: string = "DomainError";

  /** Messages per form field (e.g. { name: ["is taken"] }), sent to the browser with the error. */
  readonly fieldErrors: Record<string, string[]> | undefined;

  constructor(code: DomainErrorCode, message: string, options?: { cause?: unknown; fieldErrors?: Record<string, string[]> }) {
    super(code, message, options);
    this.fieldErrors = options?.fieldErrors;
  }
}

/** Every code a service error can carry; server/api/errors.ts maps each one (checked at compile time). */
export const DOMAIN_ERROR_CODES = [
  "email_taken",
  "invalid_credentials",
  "rate_limited",
  "not_found",
  "conflict",
  "invalid_input",
  "quota_exceeded",
  "model_not_configured",
  "busy",
  "too_large",
  "database_unavailable",
] as const;

export type DomainErrorCode = (typeof DOMAIN_ERROR_CODES)[number];

export class RateLimitedError extends DomainError {
  constructor(readonly retryAfterMs: number) {
    super("rate_limited", `Too many attempts. Try again in ${Math.max(1, Math.ceil(retryAfterMs / 60_000))} minute(s).`);
  }
}

/**
 * A database failure as the person who met it should read it (the raw
 * Prisma or SQL text only goes to the log), or null for any other error.
 */
export function fromDatabaseFailure(error: unknown): DomainError | null {
  const failure = databaseFailureOf(error);
  if (failure === "busy") return new DomainError("busy", "The server is busy right now. Try again in a few seconds.", { cause: error });
  if (failure === "unavailable") {
    return new DomainError("database_unavailable", "The database is not reachable right now, so this could not be done. Try again in a moment; if it lasts, ask an admin to check the server.", { cause: error });
  }
  return null;
}
