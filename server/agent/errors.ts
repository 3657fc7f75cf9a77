// Typed errors of the agent layer, with messages that say what to do next.

import { CodedError } from "../sandbox/coded-error";

/** Every code an agent error can carry (mapped to responses in server/api/errors.ts). */
export const AGENT_ERROR_CODES = ["model_not_configured", "invalid_max_steps"] as const;

export type AgentErrorCode = (typeof AGENT_ERROR_CODES)[number];

export class AgentError extends CodedError<AgentErrorCode> {
  static override readonly brand: string = "AgentError";
}

/** No usable model provider configuration (missing provider, model, key or URL). */
export class ModelNotConfiguredError extends AgentError {
  constructor(message: string) {
    super("model_not_configured", message);
  }
}
