// Where the session manager keeps what it must remember about sessions. The
// default lives in memory; the platform plugs in a Postgres-backed store so
// several app processes share one view, and wraps getOrCreate in an advisory
// lock per session through `lock`.

export type SessionStatus = "running" | "paused" | "stopped" | "released";

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
  /** Last lifecycle change the manager saw (not every command: that would be a write per call). */
  updatedAt: number;
};

export interface SessionStore {
  get(sessionId: string): Promise<SessionRecord | undefined>;
  put(record: SessionRecord): Promise<void>;
  delete(sessionId: string): Promise<void>;
  list(): Promise<SessionRecord[]>;
  /**
   * Runs `fn` holding a lock for this session across processes (e.g.
   * pg_advisory_lock). Optional: without it, the manager's in-process
   * de-duplication is the only guard.
   */
  lock?<T>(sessionId: string, fn: () => Promise<T>): Promise<T>;
}

export class InMemorySessionStore implements SessionStore {
  private readonly records = new Map<string, SessionRecord>();

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
}
