import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { TRPCError } from "@trpc/server";
import type { CredentialsConfig } from "next-auth/providers/credentials";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EmbeddedPostgres } from "~/scripts/lib/embedded-postgres";
import { migrateDeploy } from "~/scripts/lib/prisma";
// Types only: the modules themselves are imported once DATABASE_URL points at this file's database.
import type * as Root from "~/server/api/root";
import type * as Db from "~/server/db";
import type * as ErrorResponse from "~/server/http/error-response";
import type * as Health from "~/server/services/health";
import type * as Users from "~/server/services/users";

// A database that goes away (stopped, crashed, or every connection in use)
// never shows raw Prisma or SQL text to a person and never hangs a request;
// when it comes back, the app works again by itself. This file runs the app's
// code on a Postgres of its own, so stopping it disturbs no other test.

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "tidepool-outage-"));
fs.chmodSync(scratch, 0o755);
const postgres = new EmbeddedPostgres(path.join(scratch, "data"));
const RAW = /prisma|ECONNREFUSED|127\.0\.0\.1|Can't reach|invalid `|timeout exceeded|SQL|postgres/i;
/** A failure must arrive well before a person would give up on the page. */
const ANSWER_WITHIN_MS = 10_000;

type App = {
  signUp: typeof Users.signUp;
  callerFor: (userId: string | null) => ReturnType<typeof Root.createCaller>;
  authorize: (email: string, password: string) => Promise<unknown>;
  errorResponse: typeof ErrorResponse.errorResponse;
  getHealth: typeof Health.getHealth;
  db: typeof Db.db;
};
let app: App;

async function timed<T>(work: () => Promise<T>): Promise<{ error: unknown; ms: number }> {
  const started = Date.now();
  try {
    await work();
    return { error: null, ms: Date.now() - started };
  } catch (error) {
    return { error, ms: Date.now() - started };
  }
}

beforeAll(async () => {
  const url = await postgres.start();
  await migrateDeploy({ ...process.env, DATABASE_URL: url });
  // The app's modules read DATABASE_URL (and the pool size) when first imported: point them here first.
  Object.assign(process.env, { DATABASE_URL: url, DATABASE_POOL_SIZE: "2" });
  const { createCaller } = await import("~/server/api/root");
  const { createContextInner } = await import("~/server/api/trpc");
  const { authOptions } = await import("~/server/auth/options");
  const credentials = authOptions.providers.find((provider) => provider.id === "credentials") as CredentialsConfig;
  // next-auth keeps the configured callback under `options`: exactly what it runs for the sign-in form.
  const { authorize } = credentials.options as { authorize: (input: Record<string, string>) => Promise<unknown> };
  app = {
    signUp: (await import("~/server/services/users")).signUp,
    callerFor: (userId) => createCaller(createContextInner({ userId })),
    authorize: (email, password) => authorize({ email, password }),
    errorResponse: (await import("~/server/http/error-response")).errorResponse,
    getHealth: (await import("~/server/services/health")).getHealth,
    db: (await import("~/server/db")).db,
  };
}, 120_000);

afterAll(async () => {
  await app?.db.$disconnect();
  await postgres.stop();
  fs.rmSync(scratch, { recursive: true, force: true });
});

describe("when the database goes away", () => {
  it("sign-in, procedures, routes and the health page say so plainly and at once; it all works again when the database returns", async () => {
    const user = await app.signUp({ email: "outage@example.test", password: "correct horse battery" });
    await postgres.stop();

    const signIn = await timed(() => app.authorize("outage@example.test", "correct horse battery"));
    expect(signIn.ms).toBeLessThan(ANSWER_WITHIN_MS);
    expect((signIn.error as Error).message).toBe("The database is not reachable right now, so this could not be done. Try again in a moment; if it lasts, ask an admin to check the server.");

    const me = await timed(() => app.callerFor(user.id).auth.me());
    expect(me.ms).toBeLessThan(ANSWER_WITHIN_MS);
    expect(me.error).toBeInstanceOf(TRPCError);
    expect((me.error as TRPCError).code).toBe("SERVICE_UNAVAILABLE");
    expect((me.error as TRPCError).message).not.toMatch(RAW);

    // A streamed procedure (the console's command) fails the same way, with the same words.
    const command = await timed(async () => {
      for await (const event of await app.callerFor(user.id).sandbox.execute({ command: "echo hi" })) void event;
    });
    expect(command.ms).toBeLessThan(ANSWER_WITHIN_MS);
    expect((command.error as TRPCError).code).toBe("SERVICE_UNAVAILABLE");
    expect((command.error as TRPCError).message).toBe((me.error as TRPCError).message);

    const response = app.errorResponse(me.error);
    expect(response.status).toBe(503);
    const body = (await response.json()) as { error: { message: string } };
    expect(body.error.message).toContain("database is not reachable");

    const health = await app.getHealth();
    expect(health.checks.database.ok).toBe(false);
    expect(health.checks.database.summary).not.toMatch(RAW);

    await postgres.start();
    // The pool reconnects by itself: no restart of the app.
    await expect(app.authorize("outage@example.test", "correct horse battery")).resolves.toMatchObject({ id: user.id });
    await expect(app.callerFor(user.id).auth.me()).resolves.toMatchObject({ email: "outage@example.test" });
    expect((await app.getHealth()).checks.database.ok).toBe(true);
  }, 60_000);

  it("with every connection held, a request fails fast as busy (not a hang), and works once they are free", async () => {
    const user = await app.signUp({ email: "busy@example.test", password: "correct horse battery" });
    // The pool has 2 connections (DATABASE_POOL_SIZE): hold both in open transactions.
    let letGo!: () => void;
    const held = new Promise<void>((resolve) => (letGo = resolve));
    const holders = [0, 1].map(() => app.db.$transaction(() => held, { maxWait: 5_000, timeout: 30_000 }));
    await new Promise((resolve) => setTimeout(resolve, 500));

    const busy = await timed(() => app.callerFor(user.id).auth.me());
    expect(busy.ms).toBeLessThan(ANSWER_WITHIN_MS);
    expect((busy.error as TRPCError).code).toBe("SERVICE_UNAVAILABLE");
    expect((busy.error as TRPCError).message).toBe("The server is busy right now. Try again in a few seconds.");

    letGo();
    await Promise.all(holders);
    await expect(app.callerFor(user.id).auth.me()).resolves.toMatchObject({ email: "busy@example.test" });
  }, 60_000);
});
