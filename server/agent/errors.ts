// Typed errors of the agent layer, with messages that say what to do next.

import { CodedError } from "../sandbox/coded-error";

export class AgentError extends CodedError {}

/** No usable model provider configuration (missing provider, model, key or URL). */
export class ModelNotConfiguredError extends AgentError {
  constructor(message: string) {
    super("model_not_configured", message);
  }
}
