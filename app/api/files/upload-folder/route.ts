import { getSessionUserId } from "~/server/auth/session";
import { errorResponse } from "~/server/http/error-response";
import { isCrossSiteRequest } from "~/server/http/same-origin";
import { uploadFolderArchive } from "~/server/services/file-transfer";

export const dynamic = "force-dynamic";

/** PUT /api/files/upload-folder?path=/workspace/dir with an uncompressed tar of the folder(s) as the body. */
export async function PUT(request: Request) {
  if (isCrossSiteRequest(request))
    return Response.json({ error: { message: "Cross-site requests are not allowed." } }, { status: 403 });
  const userId = await getSessionUserId();
  if (!userId) return Response.json({ error: { message: "Sign in to continue." } }, { status: 401 });
  const target = new URL(request.url).searchParams.get("path");
  if (!target || !request.body)
    return Response.json({ error: { message: "Give ?path= and the folder as a tar body." } }, { status: 400 });
  const length = request.headers.get("content-length");
  try {
    const result = await uploadFolderArchive(userId, target, request.body, length ? Number(length) : null);
    return Response.json(result, { status: 201 });
  } catch (error) {
    return errorResponse(error);
  }
}
