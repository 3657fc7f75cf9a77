import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/server/db";
import { verifyCredentials } from "~/server/services/users";
import { callerFor, newUser, trpcCodeOf } from "./helpers/callers";
import { resetDatabase } from "./helpers/database";

describe("accounts", () => {
  beforeAll(resetDatabase);
  afterAll(() => db.$disconnect());

  it("makes the first account an admin and later ones users", async () => {
    const first = await newUser("first");
    const second = await newUser("second");
    expect(first.role).toBe("ADMIN");
    expect(second.role).toBe("USER");
    expect(first.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("stores a bcrypt hash, never the password", async () => {
    const user = await newUser();
    const row = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.passwordHash).toMatch(/^\$2[aby]\$/);
    expect(row.passwordHash).not.toContain(user.password);
  });

  it("refuses a taken email (case-insensitively) with CONFLICT", async () => {
    const user = await newUser();
    const code = await trpcCodeOf(callerFor(null).auth.signUp({ email: user.email.toUpperCase(), password: "another password" }));
    expect(code).toBe("CONFLICT");
  });

  it("refuses short passwords and malformed emails with BAD_REQUEST", async () => {
    expect(await trpcCodeOf(callerFor(null).auth.signUp({ email: "ok@example.test", password: "short" }))).toBe("BAD_REQUEST");
    expect(await trpcCodeOf(callerFor(null).auth.signUp({ email: "not-an-email", password: "long enough pass" }))).toBe("BAD_REQUEST");
  });

  it("signs in with the right password and says 'Wrong email or password' otherwise", async () => {
    const user = await newUser();
    await expect(verifyCredentials(user.email, user.password)).resolves.toMatchObject({ id: user.id });
    await expect(verifyCredentials(user.email, "wrong password")).rejects.toThrow("Wrong email or password.");
    await expect(verifyCredentials("nobody@example.test", "whatever1")).rejects.toThrow("Wrong email or password.");
  });

  it("locks an email after 10 failed sign-ins, even with the right password", async () => {
    const user = await newUser();
    for (let attempt = 0; attempt < 10; attempt++) {
      await expect(verifyCredentials(user.email, `wrong-${attempt}`)).rejects.toThrow("Wrong email or password.");
    }
    await expect(verifyCredentials(user.email, user.password)).rejects.toThrow(/Too many attempts/);
    const events = await db.activityEvent.count({ where: { subjectId: user.id, action: "auth.sign_in", outcome: "denied" } });
    expect(events).toBe(10);
  });

  it("answers UNAUTHORIZED to anonymous callers and the profile to signed-in ones", async () => {
    expect(await trpcCodeOf(callerFor(null).auth.me())).toBe("UNAUTHORIZED");
    const user = await newUser();
    await expect(user.caller.auth.me()).resolves.toMatchObject({ id: user.id, email: user.email, role: "USER" });
  });

  it("treats a deleted account's session as signed out", async () => {
    const user = await newUser();
    await db.user.delete({ where: { id: user.id } });
    expect(await trpcCodeOf(user.caller.auth.me())).toBe("UNAUTHORIZED");
  });
});
