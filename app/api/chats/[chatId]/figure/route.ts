import { getSessionUserId } from "~/server/auth/session";
import { errorResponse } from "~/server/http/error-response";
import { storedFigure } from "~/server/services/figure-copies";

export const dynamic = "force-dynamic";

/**
 * GET /api/chats/:chatId/figure?message=…&path=/workspace/figures/x.png: the copy of a chart kept with
 * the caller's own message. The browser may keep it privately and revalidate by ETag.
 */
export async function GET(request: Request, context: { params: Promise<{ chatId: string }> }) {
  const userId = await getSessionUserId();
  if (!userId)
    return Response.json({ error: { code: "UNAUTHORIZED", message: "Sign in to continue." } }, { status: 401 });
  const { chatId } = await context.params;
  const params = new URL(request.url).searchParams;
  const messageId = params.get("message");
  const path = params.get("path");
  if (!messageId || !path)
    return Response.json({ error: { code: "BAD_REQUEST", message: "Give ?message= and ?path=." } }, { status: 400 });
  try {
    const figure = await storedFigure(userId, { chatId, messageId, path });
    const etag = `"${figure.id}"`;
    const headers = {
      "Cache-Control": "private, max-age=86400",
      ETag: etag,
      "X-Content-Type-Options": "nosniff",
    };
    if (request.headers.get("if-none-match") === etag) return new Response(null, { status: 304, headers });
    return new Response(figure.bytes, {
      headers: { ...headers, "Content-Type": figure.contentType, "Content-Length": String(figure.bytes.length) },
    });
  } catch (error) {
    return errorResponse(error);
  }
}
