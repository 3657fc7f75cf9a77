import type { Prisma } from "@prisma/client";
import type { UIMessage } from "ai";
import { db } from "../db";
import { firstTitle, textOfMessage } from "./chat-titles";
import { DomainError } from "./errors";

// Conversations and their messages, per user. Messages are stored in the AI
// SDK's UI message shape (parts: text, tool calls with inputs and outputs), so
// a reload shows exactly what streamed, steps and charts included.

const chatSummarySelect = { id: true, title: true, createdAt: true, updatedAt: true } satisfies Prisma.ChatSelect;
export type ChatSummary = Prisma.ChatGetPayload<{ select: typeof chatSummarySelect }>;

const MAX_CHATS_LISTED = 200;

export function listChats(userId: string): Promise<ChatSummary[]> {
  return db.chat.findMany({ where: { userId }, orderBy: { updatedAt: "desc" }, take: MAX_CHATS_LISTED, select: chatSummarySelect });
}

/** The conversation the user was last active in (what a plain visit reopens), or null. */
export function latestChat(userId: string): Promise<ChatSummary | null> {
  return db.chat.findFirst({ where: { userId }, orderBy: { updatedAt: "desc" }, select: chatSummarySelect });
}

export function createChat(userId: string): Promise<ChatSummary> {
  return db.chat.create({ data: { userId }, select: chatSummarySelect });
}

async function ownChat(userId: string, chatId: string): Promise<ChatSummary> {
  const chat = await db.chat.findFirst({ where: { id: chatId, userId }, select: chatSummarySelect });
  if (!chat) throw new DomainError("not_found", "This conversation does not exist (or is not yours).");
  return chat;
}

export async function getChat(userId: string, chatId: string): Promise<ChatSummary & { messages: UIMessage[] }> {
  const chat = await ownChat(userId, chatId);
  const rows = await db.message.findMany({
    where: { chatId },
    orderBy: { createdAt: "asc" },
    select: { id: true, role: true, parts: true, metadata: true },
  });
  const messages = rows.map(
    (row) => ({ id: row.id, role: row.role, parts: row.parts, ...(row.metadata ? { metadata: row.metadata } : {}) }) as UIMessage,
  );
  return { ...chat, messages };
}

export async function renameChat(userId: string, chatId: string, title: string): Promise<ChatSummary> {
  const chat = await ownChat(userId, chatId);
  // A rename is not activity: the chat keeps its place in the list (and as the one a visit reopens).
  return db.chat.update({ where: { id: chatId }, data: { title, updatedAt: chat.updatedAt }, select: chatSummarySelect });
}

export async function deleteChat(userId: string, chatId: string): Promise<{ id: string }> {
  await ownChat(userId, chatId);
  await db.chat.delete({ where: { id: chatId } });
  return { id: chatId };
}

/**
 * Saves a conversation's messages (new ones created, changed ones updated, in
 * order). Message ids are scoped to the chat, so one user's ids never touch
 * another's rows. A new chat takes its title from the first user message,
 * made distinct from the user's other chats. Returns the chat's title.
 */
export async function saveMessages(userId: string, chatId: string, messages: UIMessage[]): Promise<string> {
  const chat = await ownChat(userId, chatId);
  const existing = new Set(
    (await db.message.findMany({ where: { chatId }, select: { id: true } })).map((row) => row.id),
  );
  const base = Date.now() - messages.length;
  return db.$transaction(async (tx) => {
    for (const [index, message] of messages.entries()) {
      const data = {
        role: message.role,
        parts: message.parts as unknown as Prisma.InputJsonValue,
        metadata: (message.metadata ?? undefined) as Prisma.InputJsonValue | undefined,
        text: textOfMessage(message),
      };
      if (existing.has(message.id)) {
        await tx.message.updateMany({ where: { id: message.id, chatId }, data });
      } else {
        await tx.message.create({ data: { ...data, id: message.id, chatId, createdAt: new Date(base + index) } });
      }
    }
    const title = await firstTitle(tx, userId, chat, messages);
    await tx.chat.update({ where: { id: chatId }, data: { updatedAt: new Date(), ...(title ? { title } : {}) } });
    return title ?? chat.title;
  });
}

/** A file the agent produced in a chat (figure, written file), shown as a link and kept with the chat. */
export async function recordArtifact(userId: string, chatId: string, artifact: { path: string; kind: string; messageId?: string }) {
  await db.artifact.create({ data: { userId, chatId, path: artifact.path, kind: artifact.kind, messageId: artifact.messageId } });
}

export function listArtifacts(userId: string, chatId: string) {
  return db.artifact.findMany({
    where: { userId, chatId },
    orderBy: { createdAt: "asc" },
    select: { id: true, path: true, kind: true, messageId: true, createdAt: true },
  });
}
