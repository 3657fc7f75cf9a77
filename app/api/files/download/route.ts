import { Readable } from "node:stream";
import { getSessionUserId } from "~/server/auth/session";
import { errorResponse } from "~/server/http/error-response";
import { downloadFile } from "~/server/services/file-transfer";

export const dynamic = "force-dynamic";

/** GET /api/files/download?path=/workspace/x.csv[&inline=1][&format=zip]: the caller's own file, or a folder as a tar (or zip). */
export async function GET(request: Request) {
  const userId = await getSessionUserId();
  if (!userId) return Response.json({ error: { message: "Sign in to continue." } }, { status: 401 });
  const params = new URL(request.url).searchParams;
  const target = params.get("path");
  if (!target) return Response.json({ error: { message: "Give ?path=." } }, { status: 400 });
  try {
    const { body, headers } = await downloadFile(userId, target, params.get("inline") === "1", params.get("format") === "zip" ? "zip" : "tar");
    return new Response(Readable.toWeb(body) as ReadableStream, { headers });
  } catch (error) {
    return errorResponse(error);
  }
}
