import type { Prisma } from "@prisma/client";
import type { UIMessage } from "ai";
import { db } from "../db";

// A conversation's title. The first message names it at once, made distinct
// from the user's other chats ("Plot revenue (2)"); when the first answer is
// in, the model may offer a better one, which replaces the first only if the
// user has not renamed the chat meanwhile.

export const NEW_CHAT_TITLE = "New chat";
const MAX_TITLE_CHARS = 60;

export function textOfMessage(message: UIMessage | undefined): string {
  return (message?.parts ?? []).flatMap((part) => (part.type === "text" ? [part.text] : [])).join("\n").trim();
}

/** One line, at most MAX_TITLE_CHARS, cut at a word where one is near. */
export function shortTitle(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  if (line.length <= MAX_TITLE_CHARS) return line;
  const cut = line.slice(0, MAX_TITLE_CHARS - 1);
  const space = cut.lastIndexOf(" ");
  return `${(space > MAX_TITLE_CHARS / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** `base`, or `base (n)` with the smallest n no other chat of the user has. */
export async function distinctTitle(tx: Prisma.TransactionClient, userId: string, chatId: string, base: string): Promise<string> {
  const taken = new Set(
    (await tx.chat.findMany({ where: { userId, id: { not: chatId }, title: { startsWith: base } }, select: { title: true } })).map((chat) => chat.title),
  );
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base} (${n})`)) return `${base} (${n})`;
}

/** The title a chat takes from its first user message, or null to keep the one it has. */
export async function firstTitle(tx: Prisma.TransactionClient, userId: string, chat: { id: string; title: string }, messages: UIMessage[]) {
  if (chat.title !== NEW_CHAT_TITLE) return null;
  const text = textOfMessage(messages.find((message) => message.role === "user"));
  return text ? distinctTitle(tx, userId, chat.id, shortTitle(text)) : null;
}

/**
 * Replaces the title the first message gave with the model's, unless the user
 * renamed the chat since (then `expected` no longer matches and nothing changes).
 * The chat's place in the list (updatedAt) stays. True if it was replaced.
 */
export async function replaceTitle(userId: string, chatId: string, expected: string, proposed: string): Promise<boolean> {
  const chat = await db.chat.findFirst({ where: { id: chatId, userId, title: expected }, select: { updatedAt: true } });
  const base = shortTitle(proposed);
  if (!chat || !base || base === expected) return false;
  return db.$transaction(async (tx) => {
    const title = await distinctTitle(tx, userId, chatId, base);
    const { count } = await tx.chat.updateMany({ where: { id: chatId, userId, title: expected }, data: { title, updatedAt: chat.updatedAt } });
    return count === 1;
  });
}
