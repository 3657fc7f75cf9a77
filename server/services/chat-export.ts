import { db } from "../db";
import { getChat } from "./chats";
import { conversationSteps, dataFilesOf } from "./conversation-steps";
import { buildNotebook } from "./notebook-export";
import { buildScript } from "./script-export";

// A conversation to take away: a runnable notebook (.ipynb) with its outputs
// and charts, or a plain Python script. Only the chat's owner gets it.

export const EXPORT_FORMATS = ["ipynb", "py"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Charts past this many bytes in one notebook are left as text (the notebook stays a sane download). */
export const MAX_NOTEBOOK_IMAGE_BYTES = 50 * 1024 * 1024;

export type ChatExport = { fileName: string; contentType: string; body: string };

export async function exportChat(userId: string, chatId: string, format: ExportFormat): Promise<ChatExport> {
  const chat = await getChat(userId, chatId);
  const steps = conversationSteps(chat.messages);
  const dataFiles = dataFilesOf(chat.messages, steps);
  const base = fileBase(chat.title);
  if (format === "py")
    return {
      fileName: `${base}.py`,
      contentType: "text/x-python; charset=utf-8",
      body: buildScript({ title: chat.title, steps, dataFiles }),
    };
  const images = await keptImages(userId, chatId);
  return {
    fileName: `${base}.ipynb`,
    contentType: "application/x-ipynb+json",
    body: buildNotebook({
      title: chat.title,
      steps,
      dataFiles,
      figureImage: (messageId, path) => images.get(`${messageId}\n${path}`) ?? null,
    }),
  };
}

/** The chat's kept chart copies as base64, by message and path, up to the notebook's cap. */
async function keptImages(userId: string, chatId: string): Promise<Map<string, string>> {
  const rows = await db.artifact.findMany({
    where: { userId, chatId, kind: "figure", bytes: { not: null } },
    orderBy: { createdAt: "asc" },
    select: { messageId: true, path: true, bytes: true },
  });
  const images = new Map<string, string>();
  let total = 0;
  for (const row of rows) {
    if (!row.bytes || !row.messageId) continue;
    total += row.bytes.length;
    if (total > MAX_NOTEBOOK_IMAGE_BYTES) break;
    images.set(`${row.messageId}\n${row.path}`, Buffer.from(row.bytes).toString("base64"));
  }
  return images;
}

function fileBase(title: string): string {
  const base = title
    .normalize("NFKD")
    .replace(/[^\w\s-]/g, "")
    .trim()
    .replace(/\s+/g, "-")
    .toLowerCase()
    .slice(0, 80);
  return base || "conversation";
}
