import type { RuntimeStatus } from "@prisma/client";
import { db } from "../db";
import { docker } from "../docker";
import type { BuildEvent, RuntimeConfig } from "../sandbox/runtime";
import { recordActivity } from "./activity";
import { configOf, findRuntime, runtimeRowSelect, runtimeUsage, type RuntimeRow } from "./runtimes";
import { sandboxPlatform } from "./sandbox-manager";

// Runtime images for the admin: builds followed to the end by the server
// (a closed page does not stop them) with their status, tag, size and log tail
// written to the Runtime row; the page streams the same build's events.

const LOG_LINES_KEPT = 300;
const LOG_FLUSH_MS = 3_000;
/** A BUILDING row older than this with no build in this process was interrupted (the builder's timeout is 20 min). */
const STALE_BUILD_MS = 25 * 60_000;

export type RuntimeView = {
  id: string;
  name: string;
  description: string;
  builtin: boolean;
  enabled: boolean;
  isDefault: boolean;
  status: RuntimeStatus;
  imageTag: string | null;
  imageSizeBytes: number | null;
  lastBuiltAt: Date | null;
  buildError: string | null;
  packageManager: RuntimeConfig["packageManager"];
  packages: string[];
  /** The stored config, as the edit form shows it (null when the engine no longer accepts it). */
  config: RuntimeConfig | null;
  sessions: number;
  users: number;
};

/** Builds this process follows, by runtime name; each settles after the row is updated. */
const tracked = new Map<string, Promise<void>>();

async function imageInfo(tag: string): Promise<{ size: number; created: Date } | null> {
  try {
    const info = await docker.getImage(tag).inspect();
    return { size: info.Size, created: new Date(info.Created) };
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return null;
    throw error;
  }
}

/**
 * Brings a row's status in line with the engine: an image with the config's
 * tag present means ready (built here, by provisioning or by a first sandbox
 * start); a ready row whose image is gone or whose config changed is not built.
 */
async function reconcile(row: RuntimeRow): Promise<RuntimeRow> {
  if (tracked.has(row.name)) return row;
  const { images } = sandboxPlatform();
  if (row.status === "BUILDING") {
    const building = images.inProgress().some((build) => build.runtime === row.name);
    if (building || Date.now() - row.updatedAt.getTime() < STALE_BUILD_MS) return row;
    return db.runtime.update({
      where: { id: row.id },
      data: { status: "FAILED", buildError: "The build was interrupted (the server stopped). Build again." },
      select: runtimeRowSelect,
    });
  }
  let config: RuntimeConfig;
  try {
    config = configOf(row);
  } catch {
    return row;
  }
  const tag = await images.imageTag(config);
  const info = config.image ? { size: (await imageInfo(tag))?.size ?? 0, created: null } : await imageInfo(tag);
  if (info && (row.status !== "READY" || row.imageTag !== tag)) {
    return db.runtime.update({
      where: { id: row.id },
      data: { status: "READY", imageTag: tag, imageSizeBytes: info.size, lastBuiltAt: row.lastBuiltAt ?? info.created ?? new Date(), buildError: null },
      select: runtimeRowSelect,
    });
  }
  if (!info && row.status === "READY") {
    return db.runtime.update({ where: { id: row.id }, data: { status: "NOT_BUILT" }, select: runtimeRowSelect });
  }
  return row;
}

function toView(row: RuntimeRow, usage: { sessions: number; users: number } | undefined): RuntimeView {
  let config: RuntimeConfig | null = null;
  try {
    config = configOf(row);
  } catch {
    // Shown with its error; the admin can fix or delete it.
  }
  return {
    id: row.id,
    name: row.name,
    description: config?.description ?? "",
    builtin: row.builtin,
    enabled: row.enabled,
    isDefault: row.isDefault,
    status: row.status,
    imageTag: row.imageTag,
    imageSizeBytes: row.imageSizeBytes === null ? null : Number(row.imageSizeBytes),
    lastBuiltAt: row.lastBuiltAt,
    buildError: config ? row.buildError : "The stored configuration is no longer valid. Edit or delete this runtime.",
    packageManager: config?.packageManager ?? "apt",
    packages: config ? (config.displayPackages ?? config.packages) : [],
    config,
    sessions: usage?.sessions ?? 0,
    users: usage?.users ?? 0,
  };
}

/** Re-checks every runtime's image on the engine (at server start), so users see which are ready before an admin looks. */
export async function refreshRuntimeStatuses(): Promise<void> {
  const rows = await db.runtime.findMany({ select: runtimeRowSelect });
  await Promise.all(rows.map((row) => reconcile(row).catch(() => row)));
}

/** Every runtime with its build status, image size, last build, and who uses it. */
export async function listRuntimes(): Promise<RuntimeView[]> {
  const rows = await db.runtime.findMany({ orderBy: [{ builtin: "desc" }, { name: "asc" }], select: runtimeRowSelect });
  const [reconciled, usage] = await Promise.all([Promise.all(rows.map((row) => reconcile(row).catch(() => row))), runtimeUsage()]);
  return reconciled.map((row) => toView(row, usage.get(row.name)));
}

export async function getRuntime(name: string): Promise<RuntimeView & { buildLog: string }> {
  const row = await reconcile(await findRuntime(name));
  const [usage, log] = await Promise.all([runtimeUsage(), db.runtime.findUnique({ where: { id: row.id }, select: { buildLog: true } })]);
  return { ...toView(row, usage.get(row.name)), buildLog: log?.buildLog ?? "" };
}

function describe(event: BuildEvent): string | null {
  switch (event.type) {
    case "start":
      return `Building ${event.tag} (${event.totalSteps} steps)`;
    case "step":
      return `Step ${event.index}/${event.total}: ${event.title}`;
    case "log":
      return event.line;
    case "done":
      return event.cached ? `Image ${event.tag} is already built.` : `Built ${event.tag} in ${Math.round(event.durationMs / 1000)} s.`;
    case "error":
      return `Build failed: ${event.message}`;
  }
}

/** Follows a build to its end (whoever watches) and records it on the row. One per runtime at a time. */
function trackBuild(row: RuntimeRow, config: RuntimeConfig, actorId: string): Promise<void> {
  const existing = tracked.get(row.name);
  if (existing) return existing;
  const lines: string[] = [];
  let dirty = false;
  const flush = async () => {
    if (!dirty) return;
    dirty = false;
    await db.runtime.update({ where: { id: row.id }, data: { buildLog: lines.join("\n") } }).catch(() => {});
  };
  const timer = setInterval(() => void flush(), LOG_FLUSH_MS);
  timer.unref();
  const started = Date.now();
  const run = (async () => {
    const building = sandboxPlatform().images.ensureImage(config, {
      onEvent: (event) => {
        const line = describe(event);
        if (line === null) return;
        lines.push(line);
        if (lines.length > LOG_LINES_KEPT) lines.splice(0, lines.length - LOG_LINES_KEPT);
        dirty = true;
      },
    });
    building.catch(() => {}); // awaited below; this keeps an early failure from counting as unhandled
    await db.runtime.update({ where: { id: row.id }, data: { status: "BUILDING", buildError: null, buildLog: "" } });
    try {
      const result = await building;
      clearInterval(timer);
      const info = await imageInfo(result.tag);
      await db.runtime.update({
        where: { id: row.id },
        data: {
          status: "READY",
          imageTag: result.tag,
          imageSizeBytes: info?.size ?? null,
          lastBuiltAt: result.cached ? (row.lastBuiltAt ?? info?.created ?? new Date()) : new Date(),
          buildLog: lines.join("\n"),
          buildError: null,
        },
      });
      await recordActivity({
        actorId,
        subjectId: row.id,
        action: "admin.runtime.build",
        outcome: "ok",
        detail: { name: row.name, tag: result.tag, cached: result.cached, durationMs: Date.now() - started },
      });
    } catch (error) {
      clearInterval(timer);
      const message = error instanceof Error ? error.message : String(error);
      await db.runtime.update({ where: { id: row.id }, data: { status: "FAILED", buildError: message, buildLog: lines.join("\n") } });
      await recordActivity({ actorId, subjectId: row.id, action: "admin.runtime.build", outcome: "error", detail: { name: row.name, error: message.slice(0, 500) } });
    }
  })().finally(() => tracked.delete(row.name));
  tracked.set(row.name, run);
  return run;
}

export type BuildUpdate = { type: "event"; event: BuildEvent } | { type: "saved"; runtime: RuntimeView };

/**
 * Starts the runtime's build (or joins the running one, replaying what was
 * missed) and streams its events; the last update is the saved row. Leaving
 * early stops the stream, not the build.
 */
export async function* buildRuntime(actorId: string, name: string, signal?: AbortSignal): AsyncGenerator<BuildUpdate> {
  const row = await findRuntime(name);
  const config = configOf(row);
  const finished = trackBuild(row, config, actorId);
  for await (const event of sandboxPlatform().images.build(config, { signal })) yield { type: "event", event };
  if (signal?.aborted) return;
  await finished;
  const [saved, usage] = await Promise.all([findRuntime(name), runtimeUsage()]);
  yield { type: "saved", runtime: toView(saved, usage.get(name)) };
}

/** Runs the runtime's smoke check again on its built image. */
export async function verifyRuntime(actorId: string, name: string): Promise<{ passed: boolean; message: string; output: string[] }> {
  const row = await findRuntime(name);
  const config = configOf(row);
  const output: string[] = [];
  if (!(await imageInfo(await sandboxPlatform().images.imageTag(config)))) {
    return { passed: false, message: `"${name}" is not built yet. Build it first.`, output };
  }
  try {
    await sandboxPlatform().images.verify(config, { onEvent: (event) => event.type === "log" && output.push(event.line) });
    await recordActivity({ actorId, subjectId: row.id, action: "admin.runtime.verify", outcome: "ok", detail: { name } });
    return { passed: true, message: config.smokeCheck ? `Smoke check passed: ${config.smokeCheck}` : "The image starts.", output: output.slice(-50) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await recordActivity({ actorId, subjectId: row.id, action: "admin.runtime.verify", outcome: "error", detail: { name, error: message.slice(0, 500) } });
    return { passed: false, message, output: output.slice(-50) };
  }
}
