// Typed engine errors. Each carries a stable `code` so the platform can map it
// to a response in one place, and a message that tells the user what to do next.
export class SandboxError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}
