import type { Prisma } from "@prisma/client";
import { z } from "zod";
import { DUMMY_HASH, hashPassword, verifyPassword } from "./passwords";
import { db } from "../db";
import { isUniqueViolation } from "../db-errors";
import { env } from "../env";
import { recordActivity } from "./activity";
import { DomainError, RateLimitedError } from "./errors";

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email("Enter a valid email address."));
export const passwordSchema = z
  .string()
  .min(8, "Use at least 8 characters.")
  .max(200, "Use at most 200 characters.");
export const signUpSchema = z.object({
  email: emailSchema,
  password: passwordSchema,
  name: z.string().trim().max(100).optional(),
});

const profileSelect = { id: true, email: true, name: true, role: true, createdAt: true } satisfies Prisma.UserSelect;
export type Profile = Prisma.UserGetPayload<{ select: typeof profileSelect }>;

/** Creates an account. The first account, or the one named by ADMIN_EMAIL, is an admin. */
export async function signUp(input: z.input<typeof signUpSchema>): Promise<Profile> {
  const { email, password, name } = signUpSchema.parse(input);
  const passwordHash = await hashPassword(password);
  try {
    const user = await db.$transaction(async (tx) => {
      const isFirst = (await tx.user.count()) === 0;
      const role = isFirst || email === env.ADMIN_EMAIL?.toLowerCase() ? "ADMIN" : "USER";
      return tx.user.create({ data: { email, name: name || null, passwordHash, role }, select: profileSelect });
    });
    await recordActivity({ actorId: user.id, subjectId: user.id, action: "auth.sign_up", outcome: "ok" });
    return user;
  } catch (error) {
    if (isUniqueViolation(error)) throw new DomainError("email_taken", "An account with this email already exists. Sign in instead.");
    throw error;
  }
}

const SIGN_IN_WINDOW_MS = 15 * 60_000;
const SIGN_IN_MAX_FAILURES = 10;

/**
 * Checks a password sign-in. Failed attempts are counted per email in the
 * activity log (shared by every app process), and too many lock the email for
 * the rest of the window.
 */
export async function verifyCredentials(rawEmail: string, password: string): Promise<Profile> {
  const email = emailSchema.safeParse(rawEmail);
  if (!email.success) throw new DomainError("invalid_credentials", "Wrong email or password.");
  const since = new Date(Date.now() - SIGN_IN_WINDOW_MS);
  const failures = await db.activityEvent.findMany({
    where: { action: "auth.sign_in", outcome: "denied", createdAt: { gte: since }, detail: { path: ["email"], equals: email.data } },
    select: { createdAt: true },
    orderBy: { createdAt: "asc" },
  });
  if (failures.length >= SIGN_IN_MAX_FAILURES) {
    const oldest = failures[0]!.createdAt.getTime();
    throw new RateLimitedError(oldest + SIGN_IN_WINDOW_MS - Date.now());
  }
  const user = await db.user.findUnique({ where: { email: email.data }, select: { ...profileSelect, passwordHash: true } });
  const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
  if (!user || !user.passwordHash || !ok) {
    await recordActivity({ subjectId: user?.id, action: "auth.sign_in", outcome: "denied", detail: { email: email.data } });
    throw new DomainError("invalid_credentials", "Wrong email or password.");
  }
  await recordActivity({ actorId: user.id, subjectId: user.id, action: "auth.sign_in", outcome: "ok" });
  const { passwordHash: _hash, ...profile } = user;
  return profile;
}

export function getProfile(userId: string): Promise<Profile | null> {
  return db.user.findUnique({ where: { id: userId }, select: profileSelect });
}

/** OAuth accounts are created by next-auth's adapter; give them the same admin rule as sign-up. */
export async function promoteIfFirstOrNamedAdmin(userId: string): Promise<void> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { email: true } });
  if (!user) return;
  const isOnly = (await db.user.count()) === 1;
  if (isOnly || user.email === env.ADMIN_EMAIL?.toLowerCase()) await db.user.update({ where: { id: userId }, data: { role: "ADMIN" } });
}
