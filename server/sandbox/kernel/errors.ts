import { SandboxError } from "../errors";

/** The kernel could not start: no Python in this runtime, or it crashed on start. */
export class KernelStartError extends SandboxError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("kernel_start_failed", message, options);
  }
}
