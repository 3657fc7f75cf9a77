import type { Prisma } from "@prisma/client";
import { db } from "../db";

// Things a user should hear about on their next visit, because they happened
// while the user was not looking: an admin stopped or restarted their sandbox.
// Stored per user, shown once (taking them marks them seen).

export const NOTICE_KINDS = ["sandbox_stopped_by_admin", "sandbox_restarted_by_admin"] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

const noticeSelect = { id: true, kind: true, createdAt: true } satisfies Prisma.UserNoticeSelect;
export type UserNotice = { id: string; kind: NoticeKind; createdAt: Date };

const MAX_NOTICES = 10;

export async function addNotice(userId: string, kind: NoticeKind): Promise<void> {
  await db.userNotice.create({ data: { userId, kind } });
}

/** The user's unseen notices, oldest first, marked seen as they are handed out (so each shows once). */
export async function takeNotices(userId: string): Promise<UserNotice[]> {
  return db.$transaction(async (tx) => {
    const rows = await tx.userNotice.findMany({ where: { userId, seenAt: null }, orderBy: { createdAt: "asc" }, take: MAX_NOTICES, select: noticeSelect });
    if (rows.length > 0) await tx.userNotice.updateMany({ where: { userId, id: { in: rows.map((row) => row.id) } }, data: { seenAt: new Date() } });
    return rows.flatMap((row) => (isNoticeKind(row.kind) ? [{ ...row, kind: row.kind }] : []));
  });
}

function isNoticeKind(kind: string): kind is NoticeKind {
  return (NOTICE_KINDS as readonly string[]).includes(kind);
}
