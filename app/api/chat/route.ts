import { createUIMessageStreamResponse } from "ai";
import { z } from "zod";
import { getSessionUserId } from "~/server/auth/session";
import { errorResponse } from "~/server/http/error-response";
import { isCrossSiteRequest } from "~/server/http/same-origin";
import { startAgentTurn } from "~/server/services/agent-turns";

export const dynamic = "force-dynamic";
// A turn may run many tool steps; the stream stays open while it works.
export const maxDuration = 900;

// Only the new message travels: the history comes from the database, so a
// client cannot rewrite what the agent saw or did. The turn runs on the
// server whatever happens to this request: closing the page only stops this
// reader (GET /api/chat/:id/stream attaches again; Stop is chats.stop).
const body = z.object({
  id: z.uuid(),
  message: z.object({ parts: z.array(z.object({ type: z.string(), text: z.string().optional() })).min(1) }),
});

export async function POST(request: Request) {
  if (isCrossSiteRequest(request)) return Response.json({ error: { message: "Cross-site requests are not allowed." } }, { status: 403 });
  const userId = await getSessionUserId();
  if (!userId) return Response.json({ error: { message: "Sign in to continue." } }, { status: 401 });
  const parsed = body.safeParse(await request.json().catch(() => null));
  if (!parsed.success) return Response.json({ error: { message: "Send { id, message } with a text message." } }, { status: 400 });
  const text = parsed.data.message.parts.flatMap((part) => (part.type === "text" && part.text ? [part.text] : [])).join("\n");
  try {
    const turn = await startAgentTurn({ userId, chatId: parsed.data.id, text });
    return createUIMessageStreamResponse({ stream: turn.stream });
  } catch (error) {
    return errorResponse(error);
  }
}
