import { z } from "zod";
import { stopAgentTurn } from "../../services/agent-turns";
import { chatGallery } from "../../services/chat-gallery";
import { searchChats } from "../../services/chat-search";
import { createChat, deleteChat, getChat, latestChat, listArtifacts, listChats, renameChat } from "../../services/chats";
import { protectedProcedure, router } from "../trpc";

const chatId = z.uuid("Unknown conversation.");

export const chatsRouter = router({
  list: protectedProcedure.query(({ ctx }) => listChats(ctx.user.id)),
  /** The chat a plain visit reopens (null: the user has none yet). */
  latest: protectedProcedure.query(({ ctx }) => latestChat(ctx.user.id)),
  search: protectedProcedure.input(z.object({ query: z.string().max(200) })).query(({ ctx, input }) => searchChats(ctx.user.id, input.query)),
  get: protectedProcedure.input(z.object({ id: chatId })).query(({ ctx, input }) => getChat(ctx.user.id, input.id)),
  create: protectedProcedure.mutation(({ ctx }) => createChat(ctx.user.id)),
  rename: protectedProcedure
    .input(z.object({ id: chatId, title: z.string().trim().min(1).max(120) }))
    .mutation(({ ctx, input }) => renameChat(ctx.user.id, input.id, input.title)),
  // A turn still running in the chat stops first (its model call and its code), then the chat goes.
  delete: protectedProcedure.input(z.object({ id: chatId })).mutation(async ({ ctx, input }) => {
    await stopAgentTurn(ctx.user.id, input.id);
    return deleteChat(ctx.user.id, input.id);
  }),
  /** Stops the chat's running turn, from any page and any app process. */
  stop: protectedProcedure.input(z.object({ id: chatId })).mutation(({ ctx, input }) => stopAgentTurn(ctx.user.id, input.id)),
  artifacts: protectedProcedure.input(z.object({ id: chatId })).query(({ ctx, input }) => listArtifacts(ctx.user.id, input.id)),
  /** The conversation's charts and files, each with its message and the code that made it. */
  gallery: protectedProcedure.input(z.object({ id: chatId })).query(({ ctx, input }) => chatGallery(ctx.user.id, input.id)),
});
