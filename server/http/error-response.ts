import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { toTRPCError } from "../api/errors";

/** Route handlers answer errors exactly as tRPC procedures do: same codes, same user-facing messages. */
export function errorResponse(error: unknown): Response {
  const converted = toTRPCError(error);
  return Response.json({ error: { code: converted.code, message: converted.message } }, { status: getHTTPStatusCodeFromError(converted) });
}
