import type { Prisma } from "@prisma/client";
import { db } from "../db";

// Finds the user's conversations by a word or phrase in their title or in any
// message's text, case-insensitively, most recent first. The search runs in
// Postgres (ILIKE on the chat's title and on Message.text, which saveMessages
// keeps in step with the text parts), scoped to the user's own chats.

const MAX_RESULTS = 50;
const SNIPPET_CHARS = 120;

const resultSelect = { id: true, title: true, createdAt: true, updatedAt: true } satisfies Prisma.ChatSelect;

export type ChatSearchResult = Prisma.ChatGetPayload<{ select: typeof resultSelect }> & {
  /** Where the words were found in a message (null: in the title only). */
  snippet: string | null;
};

export async function searchChats(userId: string, query: string): Promise<ChatSearchResult[]> {
  const words = query.trim();
  if (!words) return [];
  // Prisma passes `contains` to ILIKE as is: % and _ would match anything.
  const contains = { contains: words.replace(/[\\%_]/g, "\\$&"), mode: "insensitive" } as const;
  const chats = await db.chat.findMany({
    where: { userId, OR: [{ title: contains }, { messages: { some: { text: contains } } }] },
    orderBy: { updatedAt: "desc" },
    take: MAX_RESULTS,
    select: {
      ...resultSelect,
      messages: { where: { text: contains }, orderBy: { createdAt: "asc" }, take: 1, select: { text: true } },
    },
  });
  return chats.map(({ messages, ...chat }) => ({ ...chat, snippet: messages[0] ? snippetAround(messages[0].text, words) : null }));
}

/** A short piece of `text` around the first match of `words`, on one line. */
export function snippetAround(text: string, words: string): string {
  const line = text.replace(/\s+/g, " ");
  const at = line.toLowerCase().indexOf(words.toLowerCase());
  const start = Math.max(0, at - Math.floor((SNIPPET_CHARS - words.length) / 2));
  const piece = line.slice(start, start + SNIPPET_CHARS).trim();
  return `${start > 0 ? "…" : ""}${piece}${start + SNIPPET_CHARS < line.length ? "…" : ""}`;
}
