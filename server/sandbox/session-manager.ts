import fs from "node:fs/promises";
import type Docker from "dockerode";
import { containerLabels, removeContainer } from "./container-lifecycle";
import type { SandboxLimits } from "./container-spec";
import { createDockerClient } from "./docker-client";
import { DockerSandbox, type SandboxLifecycleEvent } from "./docker-sandbox";
import { QuotaExceededError, SessionManagerClosedError } from "./errors";
import { DEFAULT_IDLE_POLICY, type IdleCandidate, type IdlePolicy, planIdleActions } from "./idle-policy";
import { isValidId, validateId } from "./ids";
import { jobActivityOf } from "./job-activity";
import { LABELS } from "./labels";
import type { ImageBuilderLike, RuntimeResolver, SandboxRuntime } from "./runtime-contract";
import { InMemorySessionStore, isLiveStatus, type SessionRecord, type SessionStatus, type SessionStore, type TryLockResult } from "./session-store";
import type { SupervisorOption } from "./supervisor/availability";
import { ensureWorkspace, workspacePath } from "./workspace";
import { type WorkspaceDiskState, type WorkspaceDiskUsage, workspaceDiskUsage } from "./workspace-disk";

// One sandbox per session: created on demand (exactly one per id however many
// callers race), paused then stopped when idle, woken transparently, re-adopted
// after a restart. Files live in {workspaceRoot}/{sessionId}/workspace.
//
// Several managers (app processes) may share one store: the store is the truth
// about each session (its container, its status, when it was last active
// anywhere), a process re-reads it before trusting its own view, operations in
// flight keep the session's activity fresh there, and one manager at a time
// reaps, claiming each idle session in the store before touching its container.

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
  /**
   * A disk quota per workspace, enforced by the kernel: each gets its own
   * preallocated filesystem (workspace-disk.ts; needs root). `bytesFor` answers
   * null for no quota (a disk made earlier is still mounted as it is). The host
   * keeps `hostReserveBytes` free (default 1 GiB).
   */
  diskQuota?: { bytesFor: (sessionId: string) => Promise<number | null>; hostReserveBytes?: number };
  /** Runtime for sessions created without one (a name resolves through resolveRuntime, default the built-ins). Either this or `image`. */
  defaultRuntime?: string | R;
  /** An image to run when no runtime is given. */
  image?: string;
  /** The runtime a session gets when it is created or re-created without one (e.g. the user's choice). Wins over defaultRuntime. */
  runtimeFor?: (sessionId: string) => Promise<string | R>;
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
  /** The in-sandbox supervisor (DockerSandboxOptions.supervisor). */
  supervisor?: SupervisorOption;
  /** Default timeout for execute() in the sandboxes. */
  defaultTimeoutMs?: number;
  /**
   * How often a session's activity is written to the store while it is used
   * (other processes' reapers read it). Default: a fifth of the pause delay, at most 10 s.
   */
  activityWriteMs?: number;
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
  private heartbeat: NodeJS.Timeout | null = null;
  /** When this process last wrote each session's activity to the store. */
  private readonly activityWritten = new Map<string, number>();
  private readonly activityWriteMs: number;
  private closed = false;

  constructor(options: SessionManagerOptions<R> = {}) {
    this.options = options;
    this.docker = options.docker ?? createDockerClient();
    this.store = options.store ?? new InMemorySessionStore();
    this.policy = { ...DEFAULT_IDLE_POLICY, ...(options.idle ?? {}) };
    this.scope = options.scope ?? "default";
    this.namePrefix = options.namePrefix ?? "tidepool-session-";
    const pauseAfter = this.policy.pauseAfterMs > 0 && Number.isFinite(this.policy.pauseAfterMs) ? this.policy.pauseAfterMs : this.policy.stopAfterMs;
    this.activityWriteMs = options.activityWriteMs ?? Math.max(50, Math.min(10_000, pauseAfter / 5));
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

  /**
   * Applies the session's current disk quota now: a larger one at once, a
   * smaller one when no container uses the workspace (else at its next start).
   */
  async applyDiskQuota(sessionId: string): Promise<WorkspaceDiskState | null> {
    validateId(sessionId);
    const workspace = this.workspacePath(sessionId);
    // A workspace not made yet gets its quota when it is.
    if (!workspace || !(await fs.stat(workspace).catch(() => null))) return null;
    return this.withLock(sessionId, async () => (await this.prepareWorkspace(sessionId))?.disk ?? null);
  }

  /** Space used on the session's workspace disk, or null when it has none (yet). */
  async diskUsage(sessionId: string): Promise<WorkspaceDiskUsage | null> {
    const workspace = this.workspacePath(sessionId);
    return workspace ? workspaceDiskUsage(workspace) : null;
  }

  /** Host folder of a session's workspace (null without a workspace root). */
  workspacePath(sessionId: string): string | null {
    return this.options.workspaceRoot ? workspacePath(this.options.workspaceRoot, sessionId) : null;
  }

  /**
   * The session's sandbox, started: the live one, a reaped one woken, or a new
   * one. Concurrent calls for one id share one creation. A live sandbox is
   * returned only while the store agrees with it (another process may have
   * released, re-created or reaped it since).
   */
  async getOrCreate(sessionId: string, runtime?: string | R): Promise<DockerSandbox<R>> {
    validateId(sessionId);
    if (this.closed) throw new SessionManagerClosedError();
    await this.recover();
    const existing = this.sessions.get(sessionId);
    if (existing && isLive(existing) && !this.pending.has(sessionId)) {
      if (await this.agreesWithStore(existing, sessionId)) return existing;
      // Changed elsewhere: forget our view; the locked path below adopts or re-creates.
      if (this.sessions.get(sessionId) === existing) this.sessions.delete(sessionId);
    }
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

  /**
   * The session's sandbox if it is live (running or paused) in this process or
   * another; null otherwise. Never creates, wakes or resumes one, so asking
   * cannot bring back a sandbox that a release or the reaper just took away.
   */
  async getIfLive(sessionId: string): Promise<DockerSandbox<R> | null> {
    if (!isValidId(sessionId) || this.closed) return null;
    await this.recover();
    await this.pending.get(sessionId)?.catch(() => {});
    const existing = this.sessions.get(sessionId);
    if (existing && isLive(existing) && (await this.agreesWithStore(existing, sessionId))) return existing;
    // Under the lock, so a release in flight has finished: what is left is live, or nothing is.
    return this.withLock(sessionId, async () => {
      const current = this.sessions.get(sessionId);
      if (current && isLive(current)) {
        if (await this.agreesWithStore(current, sessionId)) return current;
        this.sessions.delete(sessionId);
      }
      return this.adoptLiveContainer(sessionId);
    });
  }

  /** Stops the session's container and forgets it (files stay). True if there was one. */
  async release(sessionId: string): Promise<boolean> {
    if (!isValidId(sessionId)) return false;
    await this.pending.get(sessionId)?.catch(() => {});
    return this.withLock(sessionId, async () => {
      const started = performance.now();
      const sandbox = this.sessions.get(sessionId);
      this.sessions.delete(sessionId);
      let released: boolean;
      if (sandbox) {
        released = isLive(sandbox);
        await sandbox.stop();
      } else {
        // Another process's container for this session goes too: the name is the session's.
        released = await removeContainer(this.docker, this.containerName(sessionId));
      }
      await this.store.delete(sessionId);
      if (sandbox || released) this.emit({ type: "released", sessionId, durationMs: Math.round(performance.now() - started) });
      return released;
    });
  }

  /**
   * Applies the idle tiers to every session idle everywhere and returns how
   * many were stopped. With `maxIdleMs` (the seeds' cleanup_idle), sessions
   * idle that long are stopped. With a shared store, one manager reaps at a
   * time: the others return 0.
   */
  async cleanupIdle(maxIdleMs?: number): Promise<number> {
    if (!this.recovered) await this.recover();
    const policy: IdlePolicy = maxIdleMs === undefined ? this.policy : { ...this.policy, stopAfterMs: maxIdleMs };
    if (!this.store.tryLock) return this.reapIdle(policy);
    const result = await this.store.tryLock(`reaper:${this.scope}`, () => this.reapIdle(policy));
    return result.ran ? result.value : 0;
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
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
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
        // Under the session's lock, re-checked: another process may be creating it right now.
        const outcome = await this.tryLock(`session:${sessionId}`, async () => {
          if ((await this.orphanReason(info, sessionId)) === null) return false;
          await removeContainer(this.docker, info.Id).catch(() => {});
          return true;
        });
        if (outcome.ran && outcome.value) {
          removed++;
          this.emit({ type: "orphan-removed", sessionId, reason });
        }
        continue;
      }
      const sandbox = this.adopt(sessionId, info.Labels[LABELS.runtime] || undefined, {
        id: info.Id,
        image: info.Image,
        paused: info.State === "paused",
        supervised: Boolean(info.Labels[LABELS.supervisor]),
      });
      this.sessions.set(sessionId, sandbox);
      const status = info.State === "paused" ? "paused" : "running";
      // Another process may have adopted it already: only a change is written, so adopting is not activity.
      const known = await this.store.get(sessionId);
      if (known?.containerId !== info.Id || known.status !== status) await this.record(sessionId, sandbox, status);
      adopted++;
      this.emit({ type: "adopted", sessionId });
    }
    return { adopted, removed };
  }

  private async orphanReason(info: Docker.ContainerInfo, sessionId: string): Promise<string | null> {
    if (!isValidId(sessionId)) return "no valid session label";
    if (info.State !== "running" && info.State !== "paused") return `container is ${info.State}`;
    if (!info.Names.includes(`/${this.containerName(sessionId)}`)) return "unexpected container name";
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
    const existing = this.sessions.get(sessionId);
    if (existing && isLive(existing)) return existing;
    if (!runtime) {
      const adopted = await this.adoptLiveContainer(sessionId);
      if (adopted) return adopted;
    }
    await this.checkCapacity(sessionId);
    const started = performance.now();
    // A reaped session keeps its object (callers may hold it): wake it.
    let sandbox: DockerSandbox<R>;
    if (existing && !runtime) {
      sandbox = existing;
      await this.prepareWorkspace(sessionId);
    } else {
      const workspace = (await this.prepareWorkspace(sessionId))?.path ?? null;
      const chosen = runtime ?? (await this.options.runtimeFor?.(sessionId)) ?? this.options.defaultRuntime;
      sandbox = this.makeSandbox(sessionId, chosen, chosen ? undefined : this.options.image, workspace);
      this.sessions.set(sessionId, sandbox);
    }
    await this.record(sessionId, sandbox, "starting");
    try {
      await sandbox.start();
    } catch (error) {
      if (sandbox !== existing && this.sessions.get(sessionId) === sandbox) this.sessions.delete(sessionId);
      await this.record(sessionId, sandbox, "failed").catch(() => {});
      throw error;
    }
    await this.record(sessionId, sandbox, "running");
    if (sandbox !== existing) this.emit({ type: "created", sessionId, durationMs: Math.round(performance.now() - started) });
    return sandbox;
  }

  /**
   * Another process may run this session's container (it created or woke
   * it): take it over as it is rather than replace it. The runtime is the
   * one it was recorded with.
   */
  private async adoptLiveContainer(sessionId: string): Promise<DockerSandbox<R> | null> {
    const record = await this.store.get(sessionId);
    if (!record?.containerId || !isLiveStatus(record.status)) return null;
    const info = await this.docker
      .getContainer(record.containerId)
      .inspect()
      .catch(() => null);
    if (!info || !(info.State.Running || info.State.Paused) || info.Config.Labels?.[LABELS.manager] !== this.scope) return null;
    const wanted = await this.options.runtimeFor?.(sessionId);
    const runtime = wanted && (typeof wanted === "string" ? wanted : wanted.name) === record.runtime ? wanted : (record.runtime ?? undefined);
    const sandbox = this.adopt(sessionId, runtime, {
      id: info.Id,
      image: info.Config.Image,
      paused: info.State.Paused,
      supervised: Boolean(info.Config.Labels?.[LABELS.supervisor]),
    });
    this.sessions.set(sessionId, sandbox);
    return sandbox;
  }

  /** The store still records this sandbox as the session's (another process may have released, re-created or reaped it). */
  private async agreesWithStore(sandbox: DockerSandbox<R>, sessionId: string): Promise<boolean> {
    const record = await this.store.get(sessionId);
    return record?.status === sandbox.state && record.containerId === sandbox.containerId;
  }

  /** A sandbox on an existing container: its runtime if that still resolves (for env and limits on a later wake), else its image alone. */
  private adopt(sessionId: string, runtime: string | R | undefined, container: { id: string; image: string; paused: boolean; supervised: boolean }): DockerSandbox<R> {
    const workspace = this.workspacePath(sessionId);
    let sandbox: DockerSandbox<R>;
    try {
      sandbox = this.makeSandbox(sessionId, runtime, container.image, workspace);
    } catch {
      sandbox = this.makeSandbox(sessionId, undefined, container.image, workspace);
    }
    sandbox.adoptContainer(container);
    return sandbox;
  }

  /** Makes the workspace folder (and mounts its disk with the current quota) before a container uses it. */
  private async prepareWorkspace(sessionId: string) {
    const root = this.options.workspaceRoot;
    if (!root) return null;
    const quota = this.options.diskQuota;
    if (!quota) return ensureWorkspace(root, sessionId);
    const container = await this.docker
      .getContainer(this.containerName(sessionId))
      .inspect()
      .catch(() => null);
    const idle = !container || !(container.State.Running || container.State.Paused);
    return ensureWorkspace(root, sessionId, { quotaBytes: await quota.bytesFor(sessionId), hostReserveBytes: quota.hostReserveBytes ?? 1024 ** 3, idle });
  }

  /** The session cap, counted across every process sharing the store (and this one's creations in flight). */
  private async checkCapacity(sessionId: string): Promise<void> {
    const maxSessions = this.options.maxSessions ?? 100;
    const stored = (await this.store.list()).filter((r) => r.sessionId !== sessionId && (isLiveStatus(r.status) || r.status === "starting")).length;
    // `creating` counts this call too.
    const local = this.sessionCount + this.creating - 1;
    if (Math.max(stored, local) >= maxSessions) {
      throw new QuotaExceededError("sessions", maxSessions, `All ${maxSessions} sandboxes are in use. Try again in a few minutes.`);
    }
  }

  /** Plans with every session idle everywhere (the store's activity and this process's), then acts on each, claimed first. */
  private async reapIdle(policy: IdlePolicy): Promise<number> {
    const records = new Map((await this.store.list()).filter((r) => isLiveStatus(r.status)).map((r) => [r.sessionId, r]));
    const candidates: IdleCandidate[] = [];
    for (const id of new Set([...records.keys(), ...this.sessions.keys()])) {
      const record = records.get(id);
      const local = this.sessions.get(id);
      const localLive = local !== undefined && isLive(local);
      if (!record && !localLive) continue;
      candidates.push({
        id,
        state: localLive ? local.state : (record!.status as "running" | "paused"),
        lastActiveAt: Math.max(record?.updatedAt ?? 0, localLive ? local.lastActiveAt : 0),
        busy: (local?.activeOperations ?? 0) > 0,
      });
    }
    await this.addJobActivity(candidates, records, policy);
    const seen = new Map(candidates.map((c) => [c.id, c]));
    const plan = planIdleActions(candidates, Date.now(), policy);
    let stopped = 0;
    await Promise.all([
      ...plan.pause.map((id) => this.reapOne(id, "paused", seen.get(id)!, records.get(id), policy)),
      ...plan.stop.map(async (id) => {
        if (await this.reapOne(id, "stopped", seen.get(id)!, records.get(id), policy)) stopped++;
      }),
    ]);
    return stopped;
  }

  /**
   * Background jobs are activity. Each running sandbox the tiers would pause or stop is asked about its jobs: one
   * running a job is busy (and that is shared in the store, so the session reads as active everywhere); otherwise
   * its idle time counts from when its last job ended. Paused ones are not asked (their jobs are frozen).
   */
  private async addJobActivity(candidates: IdleCandidate[], records: Map<string, SessionRecord>, policy: IdlePolicy): Promise<void> {
    const now = Date.now();
    const due = planIdleActions(candidates, now, policy);
    const asked = new Set([...due.pause, ...due.stop]);
    const running: string[] = [];
    await Promise.all(
      candidates
        .filter((candidate) => asked.has(candidate.id) && candidate.state === "running")
        .map(async (candidate) => {
          const activity = await this.jobActivity(candidate.id, records.get(candidate.id));
          if (activity.running) {
            candidate.busy = true;
            running.push(candidate.id);
          } else {
            candidate.lastActiveAt = Math.max(candidate.lastActiveAt, activity.lastEndedAt);
          }
        }),
    );
    if (running.length > 0) await this.store.touch(running, now).catch(() => {});
  }

  /** This process's sandbox answers for itself; another process's container is asked directly. */
  private async jobActivity(id: string, record: SessionRecord | undefined) {
    const local = this.sessions.get(id);
    if (local && isLive(local)) return local.jobActivity();
    if (!record?.containerId) return { running: false, lastEndedAt: 0 };
    // Gone, or Docker cannot say: reaping it (below) would fail the same way.
    const labels = await containerLabels(this.docker, record.containerId).catch(() => null);
    if (labels?.[LABELS.manager] !== this.scope) return { running: false, lastEndedAt: 0 };
    return jobActivityOf(this.docker, this.docker.getContainer(record.containerId), Boolean(labels[LABELS.supervisor]));
  }

  /**
   * Pauses or stops one session, holding its lock: the store claims it first
   * (only if no activity was recorded since the plan saw it), then the
   * container follows. If the container cannot follow, the claim is undone.
   */
  private async reapOne(id: string, target: "paused" | "stopped", seen: IdleCandidate, record: SessionRecord | undefined, policy: IdlePolicy): Promise<boolean> {
    const outcome = await this.tryLock(`session:${id}`, async () => {
      if (record && !(await this.store.claimIdle(id, target, seen.lastActiveAt + 1))) return false;
      const local = this.sessions.get(id);
      let sandbox = local && isLive(local) ? local : null;
      if (!sandbox) {
        // Another process holds it: act on its container, if it is still there and this scope's.
        const labels = record?.containerId ? await containerLabels(this.docker, record.containerId) : null;
        if (!record || labels === null) {
          if (record) await this.store.put({ ...record, status: "stopped", containerId: null });
          return target === "stopped";
        }
        if (labels[LABELS.manager] !== this.scope) return this.undoClaim(record);
        sandbox = this.adopt(id, undefined, {
          id: record.containerId!,
          image: record.image ?? "",
          paused: record.status === "paused",
          supervised: Boolean(labels[LABELS.supervisor]),
        });
      }
      // A sandbox this process uses re-checks its own idleness (inside its lock: a command that started since wins).
      const idleFor = sandbox !== local ? 0 : target === "paused" ? policy.pauseAfterMs : sandbox.state === "paused" ? 0 : Math.min(policy.stopAfterMs, policy.pauseAfterMs || policy.stopAfterMs);
      this.reaping.add(id);
      try {
        const done = target === "paused" ? await sandbox.pauseIfIdle(idleFor) : await sandbox.stopIfIdle(idleFor);
        if (!done) return this.undoClaim(record);
        if (sandbox === local) await this.record(id, sandbox, target);
        else await this.store.put({ ...record!, status: target, containerId: target === "stopped" ? null : record!.containerId });
      } finally {
        this.reaping.delete(id);
      }
      this.emit({ type: target === "paused" ? "paused" : "reaped", sessionId: id });
      return true;
    });
    return outcome.ran && outcome.value;
  }

  private async undoClaim(record: SessionRecord | undefined): Promise<false> {
    if (record) await this.store.put(record);
    return false;
  }

  private containerName(sessionId: string): string {
    return `${this.namePrefix}${sessionId}`;
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
      supervisor: this.options.supervisor,
      labels: {
        ...(this.options.labels ?? {}),
        [LABELS.manager]: this.scope,
        [LABELS.workspace]: workspace ?? "",
      },
      volumes: workspace ? [{ hostPath: workspace, containerPath: "/workspace" }] : undefined,
      onLifecycle: (event) => this.onLifecycle(event),
      beforeOperation: (sandbox) => this.beforeOperation(sandbox as unknown as DockerSandbox<R>),
    });
  }

  /**
   * Before each operation: share that the session is in use (at most every
   * activityWriteMs, and on a timer while operations run). If the store says
   * another process paused or stopped it meanwhile, wait for that to finish
   * and bring the sandbox back first.
   */
  private async beforeOperation(sandbox: DockerSandbox<R>): Promise<void> {
    const id = sandbox.id;
    this.startHeartbeat();
    const now = Date.now();
    if (now - (this.activityWritten.get(id) ?? 0) < this.activityWriteMs) return;
    this.activityWritten.set(id, now);
    let record: SessionRecord | undefined;
    try {
      [record] = await this.store.touch([id], now);
    } catch {
      return; // Sharing activity is best effort: a store that is down cannot let anyone claim the session either.
    }
    if (!record || record.status === "running" || record.status === "starting") return;
    await this.withLock(id, async () => {
      await sandbox.refresh();
      await sandbox.start();
      await this.record(id, sandbox, "running");
    });
  }

  /** While any operation runs, its session's activity is written every activityWriteMs. */
  private startHeartbeat(): void {
    if (this.heartbeat || this.closed) return;
    this.heartbeat = setInterval(() => {
      const busy = [...this.sessions.entries()].filter(([, sandbox]) => sandbox.activeOperations > 0).map(([id]) => id);
      if (busy.length === 0) {
        clearInterval(this.heartbeat!);
        this.heartbeat = null;
        return;
      }
      const now = Date.now();
      for (const id of busy) this.activityWritten.set(id, now);
      this.store.touch(busy, now).catch(() => {});
    }, this.activityWriteMs);
    this.heartbeat.unref();
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

  /** Writes the session's record. Going idle (paused, stopped) keeps the last activity time: it is not activity. */
  private async record(
    sessionId: string,
    sandbox: { name: string; containerId: string | null; image: string | null; runtime: { name: string } | null },
    status: SessionStatus,
  ): Promise<SessionRecord> {
    const previous = await this.store.get(sessionId);
    const now = Date.now();
    const idle = status === "paused" || status === "stopped";
    const record: SessionRecord = {
      sessionId,
      containerName: sandbox.name,
      containerId: sandbox.containerId,
      // An adopted container whose runtime no longer resolves keeps the name it was recorded with.
      runtime: sandbox.runtime?.name ?? previous?.runtime ?? null,
      image: sandbox.image,
      status,
      workspacePath: this.workspacePath(sessionId),
      createdAt: previous?.createdAt ?? now,
      updatedAt: idle && previous ? previous.updatedAt : now,
    };
    await this.store.put(record);
    if (!idle) this.activityWritten.set(sessionId, now);
    return record;
  }

  private withLock<T>(sessionId: string, fn: () => Promise<T>): Promise<T> {
    return this.store.lock ? this.store.lock(sessionId, fn) : fn();
  }

  private async tryLock<T>(name: string, fn: () => Promise<T>): Promise<TryLockResult<T>> {
    return this.store.tryLock ? this.store.tryLock(name, fn) : { ran: true, value: await fn() };
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
