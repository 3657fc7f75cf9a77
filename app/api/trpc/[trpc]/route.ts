import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { MAX_BATCH_SIZE } from "~/server/api/limits";
import { appRouter } from "~/server/api/root";
import { createContextInner } from "~/server/api/trpc";
import { getSessionUserId } from "~/server/auth/session";
import { isCrossSiteRequest } from "~/server/http/same-origin";

export const dynamic = "force-dynamic";

async function handler(request: Request) {
  if (isCrossSiteRequest(request)) {
    return Response.json({ error: "Cross-site requests are not allowed." }, { status: 403 });
  }
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req: request,
    router: appRouter,
    maxBatchSize: MAX_BATCH_SIZE,
    createContext: async () => createContextInner({ userId: await getSessionUserId() }),
  });
}

export { handler as GET, handler as POST };
