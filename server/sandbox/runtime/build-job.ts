import type { BuildEvent, BuildEventListener } from "./events";

// One build that any number of callers can follow. A caller that joins late
// first gets what it missed (steps and the recent log), so a build page opened
// mid-build shows the whole picture. The build is cancelled only when every
// caller has given up on it.

const HISTORY_LIMIT = 1000;

export class BuildJob {
  readonly startedAt = new Date();
  private readonly history: BuildEvent[] = [];
  private readonly listeners = new Set<BuildEventListener>();
  private readonly controller = new AbortController();
  private readonly done: Promise<void>;
  /** Settles (never rejects) when the build is over, whatever the outcome. */
  readonly finished: Promise<void>;
  private followers = 0;
  private settled = false;

  constructor(
    readonly tag: string,
    readonly runtime: string,
    run: (emit: BuildEventListener, signal: AbortSignal) => Promise<void>,
  ) {
    this.done = run((event) => this.emit(event), this.controller.signal).finally(() => {
      this.settled = true;
    });
    // Followers observe the outcome; this also keeps an unfollowed failure from being "unhandled".
    this.finished = this.done.then(
      () => {},
      () => {},
    );
  }

  /** Resolves when the build succeeds; rejects with its error, or with `signal.reason` when this caller gives up. */
  follow(onEvent: BuildEventListener | undefined, signal: AbortSignal | undefined): Promise<void> {
    signal?.throwIfAborted();
    const listener: BuildEventListener = onEvent ?? (() => {});
    for (const event of this.history) safely(listener, event);
    this.listeners.add(listener);
    this.followers += 1;
    return new Promise<void>((resolve, reject) => {
      let left = false;
      const leave = () => {
        if (left) return;
        left = true;
        this.listeners.delete(listener);
        this.followers -= 1;
        signal?.removeEventListener("abort", onAbort);
      };
      const onAbort = () => {
        leave();
        const reason = abortReason(signal);
        if (this.followers === 0 && !this.settled) this.controller.abort(reason);
        reject(reason);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.done.then(
        () => {
          leave();
          resolve();
        },
        (error: unknown) => {
          leave();
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
  }

  private emit(event: BuildEvent): void {
    this.history.push(event);
    if (this.history.length > HISTORY_LIMIT) {
      const oldestLog = this.history.findIndex((item) => item.type === "log");
      this.history.splice(oldestLog === -1 ? 0 : oldestLog, 1);
    }
    for (const listener of this.listeners) safely(listener, event);
  }
}

export function abortReason(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  return reason instanceof Error ? reason : new DOMException("The operation was aborted", "AbortError");
}

function safely(listener: BuildEventListener, event: BuildEvent): void {
  try {
    listener(event);
  } catch {
    // A broken listener (e.g. a closed UI stream) must not break the build for others.
  }
}
