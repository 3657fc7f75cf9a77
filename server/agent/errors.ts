// Typed errors of the agent layer, with messages that say what to do next.

import { brandError, isBrandedInstance } from "../sandbox/error-brand";

export class AgentError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
    brandError(this, new.target);
  }

  static [Symbol.hasInstance](value: unknown): boolean {
    return isBrandedInstance(this, value);
  }
}

/** No usable model provider configuration (missing provider, model, key or URL). */
export class ModelNotConfiguredError extends AgentError {
  constructor(message: string) {
    super("model_not_configured", message);
  }
}
