import { getSessionUserId } from "~/server/auth/session";
import { errorResponse } from "~/server/http/error-response";
import { isCrossSiteRequest } from "~/server/http/same-origin";
import { uploadFile } from "~/server/services/file-transfer";

export const dynamic = "force-dynamic";

/** PUT /api/files/upload?path=/workspace/data.csv with the raw file as the body. */
export async function PUT(request: Request) {
  if (isCrossSiteRequest(request)) return Response.json({ error: { message: "Cross-site requests are not allowed." } }, { status: 403 });
  const userId = await getSessionUserId();
  if (!userId) return Response.json({ error: { message: "Sign in to continue." } }, { status: 401 });
  const target = new URL(request.url).searchParams.get("path");
  if (!target) return Response.json({ error: { message: "Give ?path= and the file as the body." } }, { status: 400 });
  // An empty file arrives without a body stream.
  const body = request.body ?? new ReadableStream<Uint8Array>({ start: (controller) => controller.close() });
  const length = request.headers.get("content-length");
  try {
    const result = await uploadFile(userId, target, body, length ? Number(length) : null);
    return Response.json(result, { status: 201 });
  } catch (error) {
    return errorResponse(error);
  }
}
