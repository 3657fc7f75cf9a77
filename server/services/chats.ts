import type { Prisma } from "@prisma/client";
import type { UIMessage } from "ai";
import { db } from "../db";
import { isUniqueViolation } from "../db-errors";
import { firstTitle, textOfMessage } from "./chat-titles";
import { DomainError } from "./errors";
import { latestTurn, runningChatIds, type TurnState } from "./turns";

// Conversations and their messages, per user. Messages are stored in the AI
// SDK's UI message shape (parts: text, tool calls with inputs and outputs), so
// a reload shows exactly what streamed, steps and charts included.

const chatSummarySelect = { id: true, title: true, createdAt: true, updatedAt: true } satisfies Prisma.ChatSelect;
export type ChatSummary = Prisma.ChatGetPayload<{ select: typeof chatSummarySelect }>;

const MAX_CHATS_LISTED = 200;

/** The user's chats, most recent first; `running`: a turn is working in it now. */
export async function listChats(userId: string): Promise<(ChatSummary & { running: boolean })[]> {
  const [chats, running] = await Promise.all([
    db.chat.findMany({ where: { userId }, orderBy: { updatedAt: "desc" }, take: MAX_CHATS_LISTED, select: chatSummarySelect }),
    runningChatIds(userId),
  ]);
  return chats.map((chat) => ({ ...chat, running: running.includes(chat.id) }));
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

/** A chat with its messages and its latest turn (running, or how it ended). */
export async function getChat(
  userId: string,
  chatId: string,
): Promise<ChatSummary & { messages: UIMessage[]; turn: { id: string; replyId: string; state: TurnState } | null }> {
  const chat = await ownChat(userId, chatId);
  const [messages, turn] = await Promise.all([messagesOf(chatId), latestTurn(userId, chatId)]);
  return { ...chat, messages, turn };
}

async function messagesOf(chatId: string): Promise<UIMessage[]> {
  const rows = await db.message.findMany({
    where: { chatId },
    orderBy: { createdAt: "asc" },
    select: { id: true, role: true, parts: true, metadata: true },
  });
  return rows.map(
    (row) => ({ id: row.id, role: row.role, parts: row.parts, ...(row.metadata ? { metadata: row.metadata } : {}) }) as UIMessage,
  );
}

/**
 * The chat a turn runs in, with its history: the user's own, or created now
 * with the id the page chose (a new chat is saved with its first message, not
 * before). An id that is someone else's chat is not found, like any other.
 */
export async function chatForTurn(userId: string, chatId: string): Promise<ChatSummary & { messages: UIMessage[]; created: boolean }> {
  const chat = await db.chat.findFirst({ where: { id: chatId, userId }, select: chatSummarySelect });
  if (chat) return { ...chat, messages: await messagesOf(chatId), created: false };
  try {
    return { ...(await db.chat.create({ data: { id: chatId, userId }, select: chatSummarySelect })), messages: [], created: true };
  } catch (error) {
    if (isUniqueViolation(error)) throw new DomainError("not_found", "This conversation does not exist (or is not yours).");
    throw error;
  }
}

/** Adds the user's new message to a chat the caller owns (a new chat takes its title from it). Returns the chat's title. */
export async function addUserMessage(userId: string, chat: ChatSummary, message: UIMessage): Promise<string> {
  return db.$transaction(async (tx) => {
    await tx.message.create({ data: { ...messageData(message), id: message.id, chatId: chat.id } });
    const title = await firstTitle(tx, userId, chat, [message]);
    await tx.chat.update({ where: { id: chat.id }, data: { updatedAt: new Date(), ...(title ? { title } : {}) } });
    return title ?? chat.title;
  });
}

/** Saves a turn's reply as it stands (created on its first step, then updated). */
export async function saveReply(chatId: string, reply: UIMessage): Promise<void> {
  const data = messageData(reply);
  const { count } = await db.message.updateMany({ where: { id: reply.id, chatId }, data });
  if (count === 0) await db.message.create({ data: { ...data, id: reply.id, chatId } }).catch((error: unknown) => {
    // Saved meanwhile by an earlier save of the same reply: update it instead.
    if (!isUniqueViolation(error)) throw error;
    return db.message.updateMany({ where: { id: reply.id, chatId }, data });
  });
  await db.chat.update({ where: { id: chatId }, data: { updatedAt: new Date() } });
}

/** Marks a turn's saved reply (stopped, interrupted); an empty reply holds the mark when none was saved. */
export async function markReply(chatId: string, replyId: string, mark: Record<string, true>): Promise<void> {
  const saved = await db.message.findFirst({ where: { id: replyId, chatId }, select: { metadata: true } });
  const metadata = { ...(isRecord(saved?.metadata) ? saved.metadata : {}), ...mark };
  if (saved) await db.message.updateMany({ where: { id: replyId, chatId }, data: { metadata } });
  else await db.message.create({ data: { id: replyId, chatId, role: "assistant", parts: [], metadata } });
}

function messageData(message: UIMessage) {
  return {
    role: message.role,
    parts: message.parts as unknown as Prisma.InputJsonValue,
    metadata: (message.metadata ?? undefined) as Prisma.InputJsonValue | undefined,
    text: textOfMessage(message),
  };
}

function isRecord(value: unknown): value is Record<string, Prisma.JsonValue> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
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
      const data = messageData(message);
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
