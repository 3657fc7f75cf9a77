import { db } from "~/server/db";

/** Empties the platform's tables, so each test file starts from a known state. */
export async function resetDatabase(): Promise<void> {
  await db.$executeRawUnsafe(
    'TRUNCATE "ActivityEvent", "SandboxSession", "Session", "Account", "VerificationToken", "User", "Setting", "Runtime" CASCADE',
  );
}
