import type { Prisma } from "@prisma/client";
import { db } from "../db";

export type ActivityInput = {
  actorId?: string | null;
  subjectId?: string | null;
  action: string;
  outcome: "ok" | "error" | "denied";
  detail?: Prisma.InputJsonValue;
};

/** Appends to the activity log. Never throws: losing a log line must not fail the action it describes. */
export async function recordActivity(event: ActivityInput): Promise<void> {
  try {
    await db.activityEvent.create({ data: { ...event, detail: event.detail ?? undefined } });
  } catch (error) {
    console.error("activity log write failed", error);
  }
}

const activitySelect = {
  id: true,
  actorId: true,
  subjectId: true,
  action: true,
  outcome: true,
  detail: true,
  createdAt: true,
} satisfies Prisma.ActivityEventSelect;

export function listActivity(filter: { subjectId?: string; actorId?: string }, take = 50) {
  return db.activityEvent.findMany({
    where: filter,
    orderBy: { createdAt: "desc" },
    take,
    select: activitySelect,
  });
}
