import { z } from "zod";
import { createChat, deleteChat, getChat, listArtifacts, listChats, renameChat } from "../../services/chats";
import { protectedProcedure, router } from "../trpc";

const chatId = z.uuid("Unknown conversation.");

export const chatsRouter = router({
  list: protectedProcedure.query(({ ctx }) => listChats(ctx.user.id)),
  get: protectedProcedure.input(z.object({ id: chatId })).query(({ ctx, input }) => getChat(ctx.user.id, input.id)),
  create: protectedProcedure.mutation(({ ctx }) => createChat(ctx.user.id)),
  rename: protectedProcedure
    .input(z.object({ id: chatId, title: z.string().trim().min(1).max(120) }))
    .mutation(({ ctx, input }) => renameChat(ctx.user.id, input.id, input.title)),
  delete: protectedProcedure.input(z.object({ id: chatId })).mutation(({ ctx, input }) => deleteChat(ctx.user.id, input.id)),
  artifacts: protectedProcedure.input(z.object({ id: chatId })).query(({ ctx, input }) => listArtifacts(ctx.user.id, input.id)),
});
