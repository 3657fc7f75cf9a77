import { createUIMessageStreamResponse } from "ai";
import { getSessionUserId } from "~/server/auth/session";
import { attachToTurn } from "~/server/services/agent-turns";

export const dynamic = "force-dynamic";
export const maxDuration = 900;

/**
 * GET /api/chat/:id/stream: the chat's running turn, replayed from its start
 * and then live (the AI SDK's resume request). 204 when no turn of the caller
 * runs in this process; the page then follows the saved steps instead.
 */
export async function GET(_request: Request, context: { params: Promise<{ id: string }> }) {
  const userId = await getSessionUserId();
  if (!userId)
    return Response.json({ error: { code: "UNAUTHORIZED", message: "Sign in to continue." } }, { status: 401 });
  const { id } = await context.params;
  const stream = attachToTurn(userId, id);
  return stream ? createUIMessageStreamResponse({ stream }) : new Response(null, { status: 204 });
}
