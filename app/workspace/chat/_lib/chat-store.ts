import { Chat } from "@ai-sdk/react";
import { DefaultChatTransport } from "ai";
import { markStopped } from "./stopped";
import type { ChatMessage } from "./tool-parts";

// One Chat (the AI SDK's client state for a conversation) per conversation id,
// kept for the life of the page: switching conversations, or tabs, never
// aborts a running turn, and coming back shows it live. Only the new message
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
      onFinish: ({ isAbort }) => {
        // Stop: the server saves the reply as it stood, marked stopped; show the same now.
        if (isAbort) created.messages = markStopped(created.messages);
        events.onTurnEnd(id);
      },
    });
    chat = created;
    chats.set(id, chat);
  }
  return chat;
}

export function hasChat(id: string): boolean {
  return chats.has(id);
}

/** Forgets a conversation (deleted): stops its turn if one runs. */
export function forgetChat(id: string): void {
  const chat = chats.get(id);
  if (!chat) return;
  if (chat.status === "streaming" || chat.status === "submitted") void chat.stop();
  chats.delete(id);
}
