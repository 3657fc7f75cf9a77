import type Docker from "dockerode";
import { removeContainer } from "./container-lifecycle";
import type { SandboxLimits } from "./container-spec";
import { createDockerClient } from "./docker-client";
import { DockerSandbox, type SandboxLifecycleEvent } from "./docker-sandbox";
import { QuotaExceededError, SessionManagerClosedError } from "./errors";
import { DEFAULT_IDLE_POLICY, type IdlePolicy, planIdleActions } from "./idle-policy";
import { isValidId, validateId } from "./ids";
import { LABELS } from "./labels";
import type { ImageBuilderLike, RuntimeResolver, SandboxRuntime } from "./runtime-contract";
import { InMemorySessionStore, type SessionRecord, type SessionStatus, type SessionStore } from "./session-store";
import { ensureWorkspace, workspacePath } from "./workspace";

// One sandbox per session: created on demand (exactly one per id however many
// callers race), paused then stopped when idle, woken transparently, re-adopted
// after a restart. Files live in {workspaceRoot}/{sessionId}/workspace.

export type SessionEventType = "created" | "adopted" | "woke" | "resumed" | "paused" | "reaped" | "released" | "orphan-removed";

export type SessionEvent = {
  type: SessionEventType;
  sessionId: string;
  at: number;
  durationMs?: number;
  /** For orphan-removed: why the container could not be accounted for. */
  reason?: string;
};

export type SessionManagerOptions<R extends SandboxRuntime = SandboxRuntime> = {
  docker?: Docker;
  /** Where workspaces live on the host. Without it, files last as long as the container. */
  workspaceRoot?: string;
  /** Runtime for sessions created without one (a name resolves through resolveRuntime, default the built-ins). Either this or `image`. */
  defaultRuntime?: string | R;
  /** An image to run when no runtime is given. */
  image?: string;
  resolveRuntime?: RuntimeResolver<R>;
  imageBuilder?: ImageBuilderLike<R>;
  limits?: SandboxLimits;
  /** Live sessions (running or paused) at most. Default 100. */
  maxSessions?: number;
  /** Idle tiers. Defaults: pause after 5 min, stop after 60 min, at most 50 paused. */
  idle?: Partial<IdlePolicy>;
  /**
   * This manager's scope: it adopts and removes only containers labelled with it,
   * so managers with different scopes (or tests) never touch each other's.
   */
  scope?: string;
  /** Container name prefix; names are `${namePrefix}${sessionId}`. Default "tidepool-session-". */
  namePrefix?: string;
  labels?: Record<string, string>;
  store?: SessionStore;
  /**
   * After a restart, adopt running containers the store has no record of. True
   * suits the in-memory store (it starts empty); a persistent store can say
   * false so that unknown containers count as orphans and are removed.
   */
  adoptUnknown?: boolean;
  onEvent?: (event: SessionEvent) => void;
  /** Default timeout for execute() in the sandboxes. */
  defaultTimeoutMs?: number;
};

export type SessionInfo = {
  sessionId: string;
  state: DockerSandbox["state"];
  containerId: string | null;
  lastActiveAt: number;
  activeOperations: number;
};

export class SessionManager<R extends SandboxRuntime = SandboxRuntime> {
  private readonly docker: Docker;
  private readonly options: SessionManagerOptions<R>;
  private readonly store: SessionStore;
  private readonly policy: IdlePolicy;
  private readonly scope: string;
  private readonly namePrefix: string;
  private readonly sessions = new Map<string, DockerSandbox<R>>();
  private readonly pending = new Map<string, Promise<DockerSandbox<R>>>();
  private readonly reaping = new Set<string>();
  private creating = 0;
  private recovered: Promise<{ adopted: number; removed: number }> | null = null;
  private loop: NodeJS.Timeout | null = null;
  private loopRunning = false;
  private closed = false;

  constructor(options: SessionManagerOptions<R> = {}) {
    this.options = options;
    this.docker = options.docker ?? createDockerClient();
    this.store = options.store ?? new InMemorySessionStore();
    this.policy = { ...DEFAULT_IDLE_POLICY, ...(options.idle ?? {}) };
    this.scope = options.scope ?? "default";
    this.namePrefix = options.namePrefix ?? "tidepool-session-";
  }

  /** Live sessions (running or paused). */
  get sessionCount(): number {
    let count = 0;
    for (const sandbox of this.sessions.values()) if (isLive(sandbox)) count++;
    return count;
  }

  /** The session has a live sandbox (running or paused). */
  has(sessionId: string): boolean {
    const sandbox = this.sessions.get(sessionId);
    return sandbox !== undefined && isLive(sandbox);
  }

  list(): SessionInfo[] {
    return [...this.sessions.entries()].map(([sessionId, s]) => ({
      sessionId,
      state: s.state,
      containerId: s.containerId,
      lastActiveAt: s.lastActiveAt,
      activeOperations: s.activeOperations,
    }));
  }

  /** Host folder of a session's workspace (null without a workspace root). */
  workspacePath(sessionId: string): string | null {
    return this.options.workspaceRoot ? workspacePath(this.options.workspaceRoot, sessionId) : null;
  }

  /**
   * The session's sandbox, started: the live one, a reaped one woken, or a new
   * one. Concurrent calls for one id share one creation.
   */
  async getOrCreate(sessionId: string, runtime?: string | R): Promise<DockerSandbox<R>> {
    validateId(sessionId);
    if (this.closed) throw new SessionManagerClosedError();
    if (!this.recovered) await this.recover();
    else await this.recovered;
    const existing = this.sessions.get(sessionId);
    if (existing && isLive(existing)) return existing;
    let pending = this.pending.get(sessionId);
    if (!pending) {
      this.creating++;
      pending = this.withLock(sessionId, () => this.createOrWake(sessionId, runtime)).finally(() => {
        this.creating--;
        this.pending.delete(sessionId);
      });
      this.pending.set(sessionId, pending);
    }
    return pending;
  }

  /** Stops the session's container and forgets it (files stay). True if there was one. */
  async release(sessionId: string): Promise<boolean> {
    if (!isValidId(sessionId)) return false;
    await this.pending.get(sessionId)?.catch(() => {});
    const sandbox = this.sessions.get(sessionId);
    if (!sandbox) return false;
    this.sessions.delete(sessionId);
    const started = performance.now();
    const wasLive = isLive(sandbox);
    await sandbox.stop();
    await this.store.delete(sessionId);
    this.emit({ type: "released", sessionId, durationMs: Math.round(performance.now() - started) });
    return wasLive;
  }

  /**
   * Applies the idle tiers and returns how many sessions were stopped. With
   * `maxIdleMs` (the seeds' cleanup_idle), sessions idle that long are stopped.
   */
  async cleanupIdle(maxIdleMs?: number): Promise<number> {
    if (!this.recovered) await this.recover();
    const policy: IdlePolicy = maxIdleMs === undefined ? this.policy : { ...this.policy, stopAfterMs: maxIdleMs };
    const candidates = [...this.sessions.entries()].map(([id, s]) => ({
      id,
      state: s.state,
      lastActiveAt: s.lastActiveAt,
      busy: s.activeOperations > 0,
    }));
    const plan = planIdleActions(candidates, Date.now(), policy);
    let stopped = 0;
    await Promise.all([
      ...plan.pause.map(async (id) => {
        const sandbox = this.sessions.get(id);
        // Re-checked inside the sandbox's lock: a command that started since the plan wins.
        if (sandbox && (await sandbox.pauseIfIdle(policy.pauseAfterMs))) {
          await this.record(id, sandbox, "paused");
          this.emit({ type: "paused", sessionId: id });
        }
      }),
      ...plan.stop.map(async (id) => {
        const sandbox = this.sessions.get(id);
        if (!sandbox) return;
        const idleFor = sandbox.state === "paused" ? 0 : Math.min(policy.stopAfterMs, policy.pauseAfterMs || policy.stopAfterMs);
        this.reaping.add(id);
        try {
          if (await sandbox.stopIfIdle(idleFor)) {
            stopped++;
            await this.record(id, sandbox, "stopped");
            this.emit({ type: "reaped", sessionId: id });
          }
        } finally {
          this.reaping.delete(id);
        }
      }),
    ]);
    return stopped;
  }

  /** Runs cleanupIdle() every `intervalMs` (default 60 s) until stopCleanupLoop(). */
  startCleanupLoop(intervalMs = 60_000): void {
    if (this.loop || this.closed) return;
    this.loop = setInterval(() => {
      if (this.loopRunning) return;
      this.loopRunning = true;
      this.cleanupIdle()
        .catch(() => {})
        .finally(() => (this.loopRunning = false));
    }, intervalMs);
    this.loop.unref();
  }

  stopCleanupLoop(): void {
    if (this.loop) clearInterval(this.loop);
    this.loop = null;
  }

  /**
   * Stops the cleanup loop and every session; returns how many were live. With
   * keepContainers, containers stay up for the next process to adopt.
   */
  async shutdown(options: { keepContainers?: boolean } = {}): Promise<number> {
    this.stopCleanupLoop();
    this.closed = true;
    await Promise.allSettled([...this.pending.values()]);
    const ids = [...this.sessions.keys()];
    const live = ids.filter((id) => isLive(this.sessions.get(id)!)).length;
    if (options.keepContainers) {
      this.sessions.clear();
      return live;
    }
    await Promise.all(ids.map((id) => this.release(id).catch(() => false)));
    return live;
  }

  /**
   * Takes over this scope's containers left by an earlier process: running or
   * paused ones with a valid session are adopted; the rest are removed (their
   * files stay). Runs once, before the first getOrCreate/cleanupIdle.
   */
  recover(): Promise<{ adopted: number; removed: number }> {
    this.recovered ??= this.doRecover();
    return this.recovered;
  }

  // ---- internals -----------------------------------------------------------

  private async doRecover(): Promise<{ adopted: number; removed: number }> {
    const containers = await this.docker.listContainers({
      all: true,
      filters: { label: [`${LABELS.managed}=true`, `${LABELS.manager}=${this.scope}`] },
    });
    let adopted = 0;
    let removed = 0;
    for (const info of containers) {
      const sessionId = info.Labels[LABELS.session] ?? "";
      const reason = await this.orphanReason(info, sessionId);
      if (reason) {
        await removeContainer(this.docker, info.Id).catch(() => {});
        removed++;
        this.emit({ type: "orphan-removed", sessionId, reason });
        continue;
      }
      // The container's own image is kept; the runtime (for env and limits on a later wake) only if it still resolves.
      const workspace = this.workspacePath(sessionId);
      let sandbox: DockerSandbox<R>;
      try {
        sandbox = this.makeSandbox(sessionId, info.Labels[LABELS.runtime] || undefined, info.Image, workspace);
      } catch {
        sandbox = this.makeSandbox(sessionId, undefined, info.Image, workspace);
      }
      sandbox.adoptContainer({ id: info.Id, image: info.Image, paused: info.State === "paused" });
      this.sessions.set(sessionId, sandbox);
      await this.record(sessionId, sandbox, info.State === "paused" ? "paused" : "running");
      adopted++;
      this.emit({ type: "adopted", sessionId });
    }
    return { adopted, removed };
  }

  private async orphanReason(info: Docker.ContainerInfo, sessionId: string): Promise<string | null> {
    if (!isValidId(sessionId)) return "no valid session label";
    if (info.State !== "running" && info.State !== "paused") return `container is ${info.State}`;
    if (!info.Names.includes(`/${this.namePrefix}${sessionId}`)) return "unexpected container name";
    if (this.sessions.has(sessionId)) return "duplicate container for the session";
    const expected = this.workspacePath(sessionId);
    if ((info.Labels[LABELS.workspace] || null) !== expected) return "workspace does not match this manager";
    const record = await this.store.get(sessionId);
    if (record?.status === "released") return "session was released";
    if (!record && this.options.adoptUnknown === false) return "session unknown to the store";
    return null;
  }

  private async createOrWake(sessionId: string, runtime: string | R | undefined): Promise<DockerSandbox<R>> {
    if (this.closed) throw new SessionManagerClosedError();
    const maxSessions = this.options.maxSessions ?? 100;
    // `creating` counts this call too.
    if (this.sessionCount + this.creating - 1 >= maxSessions) {
      throw new QuotaExceededError("sessions", maxSessions, `All ${maxSessions} sandboxes are in use. Try again in a few minutes.`);
    }
    const existing = this.sessions.get(sessionId);
    if (existing && isLive(existing)) return existing;
    const started = performance.now();
    // A reaped session keeps its object (callers may hold it): wake it.
    if (existing && !runtime) {
      await existing.start();
      return existing;
    }
    const workspace = this.options.workspaceRoot ? await ensureWorkspace(this.options.workspaceRoot, sessionId) : null;
    const chosen = runtime ?? this.options.defaultRuntime;
    const sandbox = this.makeSandbox(sessionId, chosen, chosen ? undefined : this.options.image, workspace);
    this.sessions.set(sessionId, sandbox);
    try {
      await sandbox.start();
    } catch (error) {
      if (this.sessions.get(sessionId) === sandbox) this.sessions.delete(sessionId);
      throw error;
    }
    await this.record(sessionId, sandbox, "running");
    this.emit({ type: "created", sessionId, durationMs: Math.round(performance.now() - started) });
    return sandbox;
  }

  private makeSandbox(sessionId: string, runtime: string | R | undefined, image: string | undefined, workspace: string | null): DockerSandbox<R> {
    return new DockerSandbox<R>({
      docker: this.docker,
      id: sessionId,
      image,
      runtime,
      resolveRuntime: this.options.resolveRuntime,
      imageBuilder: this.options.imageBuilder,
      limits: this.options.limits,
      namePrefix: this.namePrefix,
      owner: sessionId,
      defaultTimeoutMs: this.options.defaultTimeoutMs,
      labels: {
        ...(this.options.labels ?? {}),
        [LABELS.manager]: this.scope,
        [LABELS.workspace]: workspace ?? "",
      },
      volumes: workspace ? [{ hostPath: workspace, containerPath: "/workspace" }] : undefined,
      onLifecycle: (event) => this.onLifecycle(event),
    });
  }

  private onLifecycle(event: SandboxLifecycleEvent): void {
    const sessionId = event.sandbox.id;
    if (event.type !== "woke" && event.type !== "resumed") return;
    // A sandbox woken through a reference the caller kept (after a reap or a release) is ours again.
    if (!this.sessions.has(sessionId) && !this.closed) this.sessions.set(sessionId, event.sandbox as unknown as DockerSandbox<R>);
    if (this.reaping.has(sessionId)) return;
    void this.record(sessionId, event.sandbox, "running").catch(() => {});
    this.emit({ type: event.type, sessionId, durationMs: event.durationMs });
  }

  private async record(
    sessionId: string,
    sandbox: { name: string; containerId: string | null; image: string | null; runtime: { name: string } | null },
    status: SessionStatus,
  ): Promise<SessionRecord> {
    const previous = await this.store.get(sessionId);
    const now = Date.now();
    const record: SessionRecord = {
      sessionId,
      containerName: sandbox.name,
      containerId: sandbox.containerId,
      runtime: sandbox.runtime?.name ?? null,
      image: sandbox.image,
      status,
      workspacePath: this.workspacePath(sessionId),
      createdAt: previous?.createdAt ?? now,
      updatedAt: now,
    };
    await this.store.put(record);
    return record;
  }

  private withLock<T>(sessionId: string, fn: () => Promise<T>): Promise<T> {
    return this.store.lock ? this.store.lock(sessionId, fn) : fn();
  }

  private emit(event: Omit<SessionEvent, "at">): void {
    try {
      this.options.onEvent?.({ ...event, at: Date.now() });
    } catch {
      // A listener's failure is not the session's.
    }
  }
}

function isLive(sandbox: { readonly state: DockerSandbox["state"] }): boolean {
  return sandbox.state === "running" || sandbox.state === "paused";
}
