import type { UIMessage } from "ai";
import type { RunPythonOutput } from "~/server/agent";
import { db } from "../db";
import { getChat } from "./chats";

// What a conversation made: its charts and files, each with the message that
// showed it and the code that made it, for the chat's gallery.

export type GalleryItem = {
  id: string;
  kind: "figure" | "file";
  path: string;
  messageId: string;
  /** A copy is kept with the message (a chart still shows after the workspace file is gone). */
  kept: boolean;
  createdAt: Date;
  /** The step that made it: Python code, a shell command, or the file tool's name. */
  madeBy: { language: "python" | "shell"; code: string } | { tool: "write_file" | "edit_file" } | null;
};

export async function chatGallery(userId: string, chatId: string): Promise<GalleryItem[]> {
  const chat = await getChat(userId, chatId);
  const rows = await db.artifact.findMany({
    where: { userId, chatId, messageId: { not: null } },
    orderBy: { createdAt: "asc" },
    select: { id: true, kind: true, path: true, messageId: true, size: true, createdAt: true },
  });
  const messages = new Map(chat.messages.map((message) => [message.id, message]));
  const seen = new Set<string>();
  const items: GalleryItem[] = [];
  for (const row of rows) {
    const message = row.messageId ? messages.get(row.messageId) : undefined;
    // One entry per file and message (a file written twice in one answer is one result).
    const key = `${row.messageId}\n${row.path}`;
    if (!message || seen.has(key)) continue;
    seen.add(key);
    items.push({
      id: row.id,
      kind: row.kind === "figure" ? "figure" : "file",
      path: row.path,
      messageId: message.id,
      kept: row.size !== null,
      createdAt: row.createdAt,
      madeBy: madeBy(message, row.path),
    });
  }
  return items;
}

type ToolPart = { type: string; input?: Record<string, unknown>; output?: unknown };

/** The last step of the message whose output names the path (a later step may have rewritten it). */
function madeBy(message: UIMessage, path: string): GalleryItem["madeBy"] {
  let found: GalleryItem["madeBy"] = null;
  for (const part of message.parts as ToolPart[]) {
    const output = part.output as (Partial<RunPythonOutput> & { ok?: boolean; path?: string }) | undefined;
    if (!output?.ok) continue;
    if (part.type === "tool-run_python" && typeof part.input?.code === "string") {
      const made =
        output.figures?.some((figure) => figure.path === path) ||
        output.files?.includes(path) ||
        output.displays?.some((display) => display.kind === "image" && display.path === path);
      if (made) found = { language: "python", code: part.input.code };
    } else if ((part.type === "tool-write_file" || part.type === "tool-edit_file") && output.path === path) {
      found = { tool: part.type === "tool-write_file" ? "write_file" : "edit_file" };
    }
  }
  // Files a shell command changed are found after it ran, not named by it: the message's only command made them.
  if (!found) {
    const commands = (message.parts as ToolPart[]).filter(
      (part) => part.type === "tool-execute" && typeof part.input?.command === "string",
    );
    if (commands.length === 1) found = { language: "shell", code: String(commands[0]!.input!.command) };
  }
  return found;
}
