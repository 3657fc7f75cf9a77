// Where the session manager keeps what it must remember about sessions. The
// default lives in memory (one process). The platform plugs in a
// Postgres-backed store so several app processes share one view: who has a
// container, when a session was last active anywhere, and locks that hold no
// database connection while Docker works.

export type SessionStatus = "starting" | "running" | "paused" | "stopped" | "failed" | "released";

export type SessionRecord = {
  sessionId: string;
  containerName: string;
  containerId: string | null;
  /** Runtime name, when the session was made from a runtime. */
  runtime: string | null;
  image: string | null;
  status: SessionStatus;
  /** Host folder mounted as the workspace (null without a workspace root). */
  workspacePath: string | null;
  createdAt: number;
  /** Last activity any process recorded (lifecycle changes, and operations every few seconds while they run). */
  updatedAt: number;
};

/** The outcome of `tryLock`: whether `fn` ran (the lock was free), and its value. */
export type TryLockResult<T> = { ran: true; value: T } | { ran: false };

export interface SessionStore {
  get(sessionId: string): Promise<SessionRecord | undefined>;
  put(record: SessionRecord): Promise<void>;
  delete(sessionId: string): Promise<void>;
  list(): Promise<SessionRecord[]>;
  /**
   * Records activity at `at` on these live sessions, so other processes see
   * them busy, and returns their records as stored (a record whose status is
   * not running was changed elsewhere, e.g. paused by another process's reaper).
   */
  touch(sessionIds: string[], at: number): Promise<SessionRecord[]>;
  /**
   * Moves a live session to `status` only if no activity was recorded since
   * `idleSince`: the reaper's check-and-set, so an operation that began
   * anywhere in the meantime wins. True if it moved.
   */
  claimIdle(sessionId: string, status: "paused" | "stopped", idleSince: number): Promise<boolean>;
  /**
   * Runs `fn` holding this session's lock across processes, waiting (bounded)
   * while another holds it. Optional: without it, the manager's in-process
   * de-duplication is the only guard.
   */
  lock?<T>(sessionId: string, fn: () => Promise<T>): Promise<T>;
  /** Runs `fn` holding the named lock only if it is free now ("session:<id>" is a session's lock, "reaper" the idle reaper's). */
  tryLock?<T>(name: string, fn: () => Promise<T>): Promise<TryLockResult<T>>;
}

export class InMemorySessionStore implements SessionStore {
  private readonly records = new Map<string, SessionRecord>();
  /** Locks held now, by name; each resolves when it is let go. */
  private readonly held = new Map<string, Promise<void>>();

  async get(sessionId: string): Promise<SessionRecord | undefined> {
    const record = this.records.get(sessionId);
    return record ? { ...record } : undefined;
  }

  async put(record: SessionRecord): Promise<void> {
    this.records.set(record.sessionId, { ...record });
  }

  async delete(sessionId: string): Promise<void> {
    this.records.delete(sessionId);
  }

  async list(): Promise<SessionRecord[]> {
    return [...this.records.values()].map((r) => ({ ...r }));
  }

  async touch(sessionIds: string[], at: number): Promise<SessionRecord[]> {
    return sessionIds.flatMap((id) => {
      const record = this.records.get(id);
      if (!record) return [];
      record.updatedAt = Math.max(record.updatedAt, at);
      return [{ ...record }];
    });
  }

  async claimIdle(sessionId: string, status: "paused" | "stopped", idleSince: number): Promise<boolean> {
    const record = this.records.get(sessionId);
    if (!record || record.updatedAt >= idleSince || !isLiveStatus(record.status)) return false;
    record.status = status;
    return true;
  }

  // The same lock names as a shared store's, so one process's creates, releases and reaps of a session take turns.
  lock<T>(sessionId: string, fn: () => Promise<T>): Promise<T> {
    return this.holding(`session:${sessionId}`, fn);
  }

  async tryLock<T>(name: string, fn: () => Promise<T>): Promise<TryLockResult<T>> {
    if (this.held.has(name)) return { ran: false };
    return { ran: true, value: await this.holding(name, fn) };
  }

  private async holding<T>(name: string, fn: () => Promise<T>): Promise<T> {
    while (this.held.has(name)) await this.held.get(name);
    let letGo = () => {};
    this.held.set(name, new Promise((resolve) => (letGo = resolve)));
    try {
      return await fn();
    } finally {
      this.held.delete(name);
      letGo();
    }
  }
}

export function isLiveStatus(status: SessionStatus): status is "running" | "paused" {
  return status === "running" || status === "paused";
}
