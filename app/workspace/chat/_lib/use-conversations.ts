"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { toast } from "../../../_components/toaster";
import { useTRPC } from "../../../_trpc/client";
import { forgetChat } from "./chat-store";

/** The user's conversations, most recent first, with create, rename and delete. */
export function useConversations() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.chats.list.queryOptions(undefined, { refetchOnWindowFocus: true }));
  const refresh = () => queryClient.invalidateQueries(trpc.chats.list.pathFilter());

  const create = useMutation(
    trpc.chats.create.mutationOptions({
      onSuccess: (chat) => {
        queryClient.setQueryData(trpc.chats.get.queryKey({ id: chat.id }), { ...chat, messages: [] });
        void refresh();
      },
      onError: (error) => toast.error("Couldn't start a new chat", error.message),
    }),
  );
  const rename = useMutation(
    trpc.chats.rename.mutationOptions({
      onSuccess: () => void refresh(),
      onError: (error) => toast.error("Couldn't rename the chat", error.message),
    }),
  );
  const remove = useMutation(
    trpc.chats.delete.mutationOptions({
      onSuccess: ({ id }) => {
        forgetChat(id);
        queryClient.removeQueries({ queryKey: trpc.chats.get.queryKey({ id }) });
        void refresh();
      },
      onError: (error) => toast.error("Couldn't delete the chat", error.message),
    }),
  );
  return { list, create, rename, remove };
}
