import { getSessionUserId } from "~/server/auth/session";
import { contentDisposition } from "~/server/http/content-disposition";
import { errorResponse } from "~/server/http/error-response";
import { EXPORT_FORMATS, type ExportFormat, exportChat } from "~/server/services/chat-export";

export const dynamic = "force-dynamic";

/** GET /api/chats/:chatId/export?format=ipynb|py: the caller's own conversation as a notebook or a script. */
export async function GET(request: Request, context: { params: Promise<{ chatId: string }> }) {
  const userId = await getSessionUserId();
  if (!userId)
    return Response.json({ error: { code: "UNAUTHORIZED", message: "Sign in to continue." } }, { status: 401 });
  const { chatId } = await context.params;
  const format = new URL(request.url).searchParams.get("format") ?? "ipynb";
  if (!EXPORT_FORMATS.includes(format as ExportFormat))
    return Response.json(
      { error: { code: "BAD_REQUEST", message: "Give ?format=ipynb or ?format=py." } },
      { status: 400 },
    );
  try {
    const file = await exportChat(userId, chatId, format as ExportFormat);
    return new Response(file.body, {
      headers: {
        "Content-Type": file.contentType,
        "Content-Disposition": contentDisposition("attachment", file.fileName),
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, no-store",
      },
    });
  } catch (error) {
    return errorResponse(error);
  }
}
