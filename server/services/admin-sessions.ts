import { db } from "../db";
import { docker } from "../docker";
import { listActivity } from "./activity";
import { containerUsage, type ContainerUsage } from "./container-stats";
import { listSandboxSessions } from "./sandboxes";

// The admin's live view of sandboxes: every active session with its user,
// runtime, state and, for running containers, CPU and memory now.

export type SessionView = Omit<Awaited<ReturnType<typeof listSandboxSessions>>[number], "containerId"> & { usage: ContainerUsage | null };

export async function listSessionsWithUsage(): Promise<SessionView[]> {
  const sessions = await listSandboxSessions();
  // Only running containers: a paused one has no CPU to report and asleep ones have no container.
  const ids = sessions.flatMap((session) => (session.state === "running" && session.containerId ? [session.containerId] : []));
  const usage = await containerUsage(docker, ids);
  return sessions.map(({ containerId, ...session }) => ({ ...session, usage: (containerId && usage.get(containerId)) || null }));
}

/** What happened to a user's sandbox (and by whom), newest first. */
export async function sessionActivity(userId: string, take = 100) {
  const events = await listActivity({ subjectId: userId }, take);
  const actorIds = [...new Set(events.flatMap((event) => (event.actorId ? [event.actorId] : [])))];
  const actors = await db.user.findMany({ where: { id: { in: actorIds } }, select: { id: true, email: true } });
  const emails = new Map(actors.map((actor) => [actor.id, actor.email]));
  return events.map((event) => ({ ...event, actorEmail: event.actorId ? (emails.get(event.actorId) ?? null) : null }));
}
