import type { SandboxStatus as PrismaSandboxStatus } from "@prisma/client";
import type { DockerSandbox } from "../sandbox/docker-sandbox";
import type { ExecuteResult } from "../sandbox/exec";
import type { BuildEvent, RuntimeConfig } from "../sandbox/runtime";
import type { WorkspaceDiskUsage } from "../sandbox/workspace-disk";
import { db } from "../db";
import { docker } from "../docker";
import { env } from "../env";
import { AsyncQueue } from "../util/async-queue";
import { recordActivity } from "./activity";
import { addNotice } from "./user-notices";
import { isLeaseHeld } from "./leases";
import { runtimeConfigForUser, setUserRuntime } from "./runtimes";
import { sandboxPlatform } from "./sandbox-manager";

// Each user's one sandbox, by user id. Nothing here takes another user's id
// from input: callers pass the signed-in user's id.

export type SandboxState = "none" | "starting" | "running" | "paused" | "asleep";

export type SandboxStatus = {
  state: SandboxState;
  runtime: string;
  startedAt: Date | null;
  lastActiveAt: Date | null;
};

export type StartEvent =
  | { type: "build"; event: BuildEvent }
  | { type: "starting" }
  | { type: "ready"; status: SandboxStatus };

export type CommandEvent = { type: "output"; stream: "stdout" | "stderr"; text: string } | { type: "exit"; result: ExecuteResult };

const STATES: Record<PrismaSandboxStatus, SandboxState> = {
  STARTING: "starting",
  RUNNING: "running",
  PAUSED: "paused",
  STOPPED: "asleep",
  FAILED: "asleep",
};

/** The user's runtime (their enabled choice, else the default) with their limits. */
function runtimeFor(userId: string): Promise<RuntimeConfig> {
  return runtimeConfigForUser(userId);
}

/** What every app process agrees on: the session's row, written by whichever process acts on the sandbox. */
export async function getSandboxStatus(userId: string): Promise<SandboxStatus> {
  const row = await db.sandboxSession.findFirst({
    where: { userId, stoppedAt: null },
    select: { runtime: true, status: true, startedAt: true, lastActiveAt: true },
  });
  let state: SandboxState = row ? STATES[row.status] : "none";
  // A start whose process died leaves STARTING behind; its lock has expired then.
  if (state === "starting" && !(await isLeaseHeld(`session:${userId}`))) state = "asleep";
  return {
    state,
    runtime: row?.runtime || (await runtimeFor(userId)).name,
    startedAt: row?.startedAt ?? null,
    lastActiveAt: row?.lastActiveAt ?? null,
  };
}

/** The user's sandbox, started (created, resumed or woken) if needed, on their current runtime. */
export function sandboxFor(userId: string): Promise<DockerSandbox<RuntimeConfig>> {
  return sandboxPlatform().manager.getOrCreate(userId);
}

/** The user's sandbox if it is running or paused, else null: for asking about it without starting it again. */
export function liveSandboxFor(userId: string): Promise<DockerSandbox<RuntimeConfig> | null> {
  return sandboxPlatform().manager.getIfLive(userId);
}

/** Starts the sandbox, streaming the runtime image build first when it is not cached yet. */
export async function* startSandbox(userId: string, signal?: AbortSignal): AsyncGenerator<StartEvent> {
  const { images } = sandboxPlatform();
  for await (const event of images.build(await runtimeFor(userId), { signal })) {
    yield { type: "build", event };
    if (event.type === "error") return;
  }
  yield { type: "starting" };
  await sandboxFor(userId);
  await recordActivity({ actorId: userId, subjectId: userId, action: "sandbox.start", outcome: "ok" });
  yield { type: "ready", status: await getSandboxStatus(userId) };
}

/** Stops and removes the container; the workspace stays. True if one was live. */
export async function stopSandbox(userId: string, actorId = userId): Promise<boolean> {
  const stopped = await sandboxPlatform().manager.release(userId);
  await recordActivity({ actorId, subjectId: userId, action: "sandbox.stop", outcome: "ok", detail: { stopped } });
  // Someone else stopped it (an admin): the user hears so on their next visit.
  if (stopped && actorId !== userId) await addNotice(userId, "sandbox_stopped_by_admin");
  return stopped;
}

export async function restartSandbox(userId: string, actorId = userId): Promise<SandboxStatus> {
  await sandboxPlatform().manager.release(userId);
  await sandboxFor(userId);
  await recordActivity({ actorId, subjectId: userId, action: "sandbox.restart", outcome: "ok" });
  if (actorId !== userId) await addNotice(userId, "sandbox_restarted_by_admin");
  return getSandboxStatus(userId);
}

/**
 * Switches the user's runtime (null: follow the default). A live sandbox on
 * another runtime is stopped and started again on the new one when its image
 * is ready (otherwise at next use, with build progress); files stay.
 */
export async function chooseRuntime(userId: string, name: string | null): Promise<SandboxStatus> {
  await setUserRuntime(userId, name);
  const { manager, images } = sandboxPlatform();
  const before = await getSandboxStatus(userId);
  const next = await runtimeFor(userId);
  await recordActivity({ actorId: userId, subjectId: userId, action: "sandbox.choose_runtime", outcome: "ok", detail: { runtime: next.name, previous: before.runtime } });
  if (before.state === "none" || before.runtime === next.name) return getSandboxStatus(userId);
  const wasLive = before.state === "running" || before.state === "paused";
  await manager.release(userId);
  const ready = images.inProgress().every((build) => build.runtime !== next.name) && (await isImageReady(next));
  if (wasLive && ready) await sandboxFor(userId);
  return getSandboxStatus(userId);
}

async function isImageReady(config: RuntimeConfig): Promise<boolean> {
  const { images } = sandboxPlatform();
  const tag = await images.imageTag(config);
  return docker
    .getImage(tag)
    .inspect()
    .then(
      () => true,
      () => false,
    );
}

/** Runs a shell command in the user's sandbox, streaming its output as it comes. */
export async function* runCommand(
  userId: string,
  command: string,
  options: { timeoutMs?: number; signal?: AbortSignal } = {},
): AsyncGenerator<CommandEvent> {
  const sandbox = await sandboxFor(userId);
  const queue = new AsyncQueue<CommandEvent>();
  const finished = sandbox
    .execute(command, {
      timeoutMs: Math.min(options.timeoutMs ?? env.COMMAND_TIMEOUT_MS, env.COMMAND_TIMEOUT_MS),
      signal: options.signal,
      onOutput: (chunk) => queue.push({ type: "output", stream: chunk.stream, text: chunk.text }),
    })
    .then(
      (result) => {
        queue.push({ type: "exit", result });
        queue.close();
        return result;
      },
      (error: unknown) => {
        queue.close(error);
        return null;
      },
    );
  yield* queue;
  const result = await finished;
  await recordActivity({
    actorId: userId,
    subjectId: userId,
    action: "sandbox.execute",
    outcome: result && result.exitCode === 0 ? "ok" : "error",
    detail: { command: command.slice(0, 200), exitCode: result?.exitCode ?? null, timedOut: result?.timedOut ?? false },
  });
}

/** Starts the user's sandbox in the background (at sign-in), so the workspace opens warm. */
export function prewarmSandbox(userId: string): void {
  sandboxFor(userId).catch((error: unknown) => console.warn("sandbox prewarm failed", error));
}

/** Every user's current sandbox session, for the admin's table (busy: an operation runs in this process). */
export async function listSandboxSessions() {
  const live = new Map(sandboxPlatform().manager.list().map((session) => [session.sessionId, session]));
  const rows = await db.sandboxSession.findMany({
    where: { stoppedAt: null },
    orderBy: { lastActiveAt: "desc" },
    select: {
      id: true,
      runtime: true,
      status: true,
      containerId: true,
      startedAt: true,
      lastActiveAt: true,
      user: { select: { id: true, email: true, name: true } },
    },
  });
  return rows.map((row) => {
    const session = live.get(row.user.id);
    return {
      ...row,
      state: row.status === "FAILED" ? ("failed" as const) : (STATES[row.status] as Exclude<SandboxState, "none">),
      lastActiveAt: session && session.lastActiveAt > row.lastActiveAt.getTime() ? new Date(session.lastActiveAt) : row.lastActiveAt,
      busy: (session?.activeOperations ?? 0) > 0,
    };
  });
}

/** Space used on the user's workspace disk (null before it exists, or where quotas are not enforced). */
export function workspaceUsage(userId: string): Promise<WorkspaceDiskUsage | null> {
  return sandboxPlatform().manager.diskUsage(userId);
}

/** Applies a changed disk quota now if possible; `pending` when it waits for the sandbox's next start. */
export async function applyDiskQuota(userId: string): Promise<{ pending: boolean }> {
  const state = await sandboxPlatform().manager.applyDiskQuota(userId);
  return { pending: state?.pendingQuotaBytes != null };
}
