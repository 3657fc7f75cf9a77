import { Chat } from "@ai-sdk/react";
import { DefaultChatTransport } from "ai";
import type { ChatMessage } from "./tool-parts";

// One Chat (the AI SDK's client state for a conversation) per conversation id,
// kept for the life of the page. A turn runs on the server whether or not the
// page reads it: a page that opens a conversation attaches to its running turn
// (GET /api/chat/:id/stream replays it from the start), and Stop is a request
// of its own (chats.stop), never a dropped connection. Only the new message
// travels to the server; it loads the history from the database itself.

export type ChatEvents = {
  /** The server accepted a message and saved it (a new chat took its title from it). */
  onTurnStart: (chatId: string) => void;
  /** A turn ended (finished, stopped or failed): lists and files may have changed. */
  onTurnEnd: (chatId: string) => void;
};

const chats = new Map<string, Chat<ChatMessage>>();

const transport = new DefaultChatTransport<ChatMessage>({
  api: "/api/chat",
  prepareSendMessagesRequest: ({ id, messages }) => {
    const last = messages.at(-1);
    const parts = (last?.parts ?? []).filter((part) => part.type === "text");
    return { body: { id, message: { parts } } };
  },
});

export function chatFor(id: string, messages: ChatMessage[], events: ChatEvents): Chat<ChatMessage> {
  let chat = chats.get(id);
  if (!chat) {
    const created = new Chat<ChatMessage>({
      id,
      messages,
      transport,
      onFinish: () => events.onTurnEnd(id),
    });
    chat = created;
    chats.set(id, chat);
  }
  return chat;
}

export function hasChat(id: string): boolean {
  return chats.has(id);
}

/** Forgets a conversation (deleted): stops reading its turn, which ended with the chat on the server. */
export function forgetChat(id: string): void {
  const chat = chats.get(id);
  if (!chat) return;
  if (chat.status === "streaming" || chat.status === "submitted") void chat.stop();
  chats.delete(id);
}
