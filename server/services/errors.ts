import { CodedError } from "../sandbox/coded-error";

// Domain errors of the platform's services. Like the engine's SandboxError,
// each has a stable code; server/api/errors.ts maps both to tRPC codes in one place.
export class DomainError extends CodedError<DomainErrorCode> {
  /** Messages per form field (e.g. { name: ["is taken"] }), sent to the browser with the error. */
  readonly fieldErrors: Record<string, string[]> | undefined;

  constructor(code: DomainErrorCode, message: string, options?: { cause?: unknown; fieldErrors?: Record<string, string[]> }) {
    super(code, message, options);
    this.fieldErrors = options?.fieldErrors;
  }
}

export type DomainErrorCode = "email_taken" | "invalid_credentials" | "rate_limited" | "not_found" | "conflict" | "invalid_input" | "quota_exceeded" | "model_not_configured";

export class RateLimitedError extends DomainError {
  constructor(readonly retryAfterMs: number) {
    super("rate_limited", `Too many attempts. Try again in ${Math.max(1, Math.ceil(retryAfterMs / 60_000))} minute(s).`);
  }
}
