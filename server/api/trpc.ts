import { initTRPC, TRPCError } from "@trpc/server";
import { ZodError } from "zod";
import { db } from "../db";
import { RuntimeValidationError } from "../sandbox/runtime/errors";
import { DomainError } from "../services/errors";
import { toTRPCError } from "./errors";

/** Request context: who is calling. Tests build it directly; the route handler reads the session cookie. */
export type Context = { userId: string | null };

export function createContextInner({ userId }: { userId: string | null }): Context {
  return { userId };
}

const t = initTRPC.context<Context>().create({
  errorFormatter({ shape, error }) {
    // Per-field messages for forms: zod input errors, the runtime config's ("packages.0"), a service's.
    const cause = error.cause;
    const fieldErrors: Record<string, string[] | undefined> | undefined =
      cause instanceof ZodError
        ? cause.flatten().fieldErrors
        : cause instanceof RuntimeValidationError || cause instanceof DomainError
          ? cause.fieldErrors
          : undefined;
    return { ...shape, data: { ...shape.data, stack: undefined, fieldErrors } };
  },
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

const convertErrors = t.middleware(async ({ type, next }) => {
  const result = await next();
  if (!result.ok) throw toTRPCError(result.error);
  // A subscription fails while it streams, after this middleware has returned: convert those errors too.
  if (type === "subscription" && isAsyncIterable(result.data)) return { ...result, data: convertingErrors(result.data) };
  return result;
});

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === "object" && value !== null && Symbol.asyncIterator in value;
}

async function* convertingErrors(stream: AsyncIterable<unknown>): AsyncGenerator<unknown> {
  try {
    yield* stream;
  } catch (error) {
    throw toTRPCError(error);
  }
}

export const publicProcedure = t.procedure.use(convertErrors);

/** Signed in: the user is loaded from the database on every call, so a deleted account or a role change applies at once. */
export const protectedProcedure = publicProcedure.use(async ({ ctx, next }) => {
  if (!ctx.userId) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to continue." });
  const user = await db.user.findUnique({ where: { id: ctx.userId }, select: { id: true, email: true, role: true } });
  if (!user) throw new TRPCError({ code: "UNAUTHORIZED", message: "Your account no longer exists. Sign in again." });
  return next({ ctx: { ...ctx, user } });
});

export const adminProcedure = protectedProcedure.use(({ ctx, next }) => {
  if (ctx.user.role !== "ADMIN") throw new TRPCError({ code: "FORBIDDEN", message: "Only admins can do this." });
  return next({ ctx });
});
