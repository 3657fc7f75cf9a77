import { createContext } from "react";

/** The chat and message a chart is shown in, so it can load the copy kept with that message. */
export type FigureOrigin = { chatId: string; messageId: string | null };

export const FigureOriginContext = createContext<FigureOrigin | null>(null);

/** Where a message's kept copy of a chart is served (only to the chat's owner). */
export function keptFigureUrl(origin: { chatId: string; messageId: string }, path: string): string {
  const params = new URLSearchParams({ message: origin.messageId, path });
  return `/api/chats/${encodeURIComponent(origin.chatId)}/figure?${params.toString()}`;
}
