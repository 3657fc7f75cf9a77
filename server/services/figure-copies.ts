import path from "node:path";
import { db } from "../db";
import { DomainError } from "./errors";

// A copy of each figure the agent makes, kept with the message that showed it,
// so moving or deleting the workspace file does not break an old chart. Bytes
// live in Postgres, capped per figure and per user; past a cap the artifact is
// still recorded and the chat falls back to the workspace file.

export const MAX_FIGURE_BYTES = 5 * 1024 * 1024;
export const MAX_FIGURE_BYTES_PER_USER = 500 * 1024 * 1024;

/** Only raster images are kept and served (served with these types, never as HTML or SVG). */
const FIGURE_TYPES: Record<string, string> = {
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
};

type FigureSource = { readBytes(path: string, options: { maxBytes: number }): Promise<Buffer> };

export async function keepFigure(
  source: FigureSource,
  input: { userId: string; chatId: string; messageId: string; path: string },
): Promise<{ kept: boolean }> {
  const { userId, chatId, messageId } = input;
  const contentType = FIGURE_TYPES[path.extname(input.path).toLowerCase()];
  const bytes = contentType ? await readWithinCaps(source, userId, input.path) : null;
  await db.artifact.create({
    data: {
      userId,
      chatId,
      messageId,
      path: input.path,
      kind: "figure",
      ...(bytes ? { bytes, size: bytes.length, contentType } : {}),
    },
  });
  return { kept: bytes !== null };
}

async function readWithinCaps(
  source: FigureSource,
  userId: string,
  figurePath: string,
): Promise<Uint8Array<ArrayBuffer> | null> {
  const used = await db.artifact.aggregate({ where: { userId }, _sum: { size: true } });
  const room = MAX_FIGURE_BYTES_PER_USER - (used._sum.size ?? 0);
  if (room <= 0) return null;
  try {
    const bytes = await source.readBytes(figurePath, { maxBytes: Math.min(MAX_FIGURE_BYTES, room) });
    return new Uint8Array(bytes);
  } catch (error) {
    // Too large, or already gone: the chart still shows from the workspace while the file is there.
    console.warn("[figure-copies] kept no copy of", figurePath, error instanceof Error ? error.message : error);
    return null;
  }
}

export type StoredFigure = { id: string; bytes: Uint8Array<ArrayBuffer>; contentType: string; createdAt: Date };

/** The kept copy of a message's figure, for its owner only; not_found for anyone else or for old messages without a copy. */
export async function storedFigure(
  userId: string,
  input: { chatId: string; messageId: string; path: string },
): Promise<StoredFigure> {
  const found = await db.artifact.findFirst({
    where: {
      userId,
      chatId: input.chatId,
      messageId: input.messageId,
      path: input.path,
      kind: "figure",
      bytes: { not: null },
    },
    orderBy: { createdAt: "desc" },
    select: { id: true, bytes: true, contentType: true, createdAt: true },
  });
  if (!found?.bytes || !found.contentType) throw new DomainError("not_found", "This chart has no kept copy.");
  return { id: found.id, bytes: found.bytes, contentType: found.contentType, createdAt: found.createdAt };
}
