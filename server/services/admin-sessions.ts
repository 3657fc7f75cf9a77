import { db } from "../db";
import { docker } from "../docker";
import { listActivity } from "./activity";
import { containerUsage, type ContainerUsage } from "./container-stats";
import { sandboxPlatform } from "./sandbox-manager";
import { listSandboxSessions } from "./sandboxes";

// The admin's live view of sandboxes: every active session with its user,
// runtime, state and, for running containers, CPU and memory now.

export type SessionView = Awaited<ReturnType<typeof listSandboxSessions>>[number] & { usage: ContainerUsage | null };

export async function listSessionsWithUsage(): Promise<SessionView[]> {
  const sessions = await listSandboxSessions();
  const containers = new Map(sandboxPlatform().manager.list().map((session) => [session.sessionId, session]));
  // Only running containers: a paused one has no CPU to report and asleep ones have no container.
  const ids = sessions.flatMap((session) => {
    const live = containers.get(session.user.id);
    return session.state === "running" && live?.containerId ? [live.containerId] : [];
  });
  const usage = await containerUsage(docker, ids);
  return sessions.map((session) => {
    const id = containers.get(session.user.id)?.containerId;
    return { ...session, usage: (id && usage.get(id)) || null };
  });
}

/** What happened to a user's sandbox (and by whom), newest first. */
export async function sessionActivity(userId: string, take = 100) {
  const events = await listActivity({ subjectId: userId }, take);
  const actorIds = [...new Set(events.flatMap((event) => (event.actorId ? [event.actorId] : [])))];
  const actors = await db.user.findMany({ where: { id: { in: actorIds } }, select: { id: true, email: true } });
  const emails = new Map(actors.map((actor) => [actor.id, actor.email]));
  return events.map((event) => ({ ...event, actorEmail: event.actorId ? (emails.get(event.actorId) ?? null) : null }));
}
