import { TRPCError } from "@trpc/server";
import { createCaller } from "~/server/api/root";
import { createContextInner } from "~/server/api/trpc";
import { signUp } from "~/server/services/users";

/** A tRPC caller as a signed-in user (or anonymous with null), exactly as the route handler builds it. */
export function callerFor(userId: string | null) {
  return createCaller(createContextInner({ userId }));
}

let counter = 0;

/** Signs up a fresh user and returns it with its caller. */
export async function newUser(prefix = "user") {
  counter += 1;
  const email = `${prefix}-${counter}-${Date.now()}@example.test`;
  const user = await signUp({ email, password: "correct horse battery" });
  return { ...user, password: "correct horse battery", caller: callerFor(user.id) };
}

/** The tRPC error code a call fails with, or "OK" when it succeeds. */
export async function trpcCodeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TRPCError) return error.code;
    throw error;
  }
  return "OK";
}
