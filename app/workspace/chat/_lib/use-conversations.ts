"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { toast } from "../../../_components/toaster";
import { useTRPC } from "../../../_trpc/client";
import { forgetChat } from "./chat-store";

/** While a turn runs in any chat, the list is read this often (its spinner, and the toast when it ends). */
const RUNNING_POLL_MS = 3_000;

/** The user's conversations, most recent first (with which are running), with rename and delete. */
export function useConversations() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(
    trpc.chats.list.queryOptions(undefined, {
      refetchOnWindowFocus: true,
      refetchInterval: (query) => (query.state.data?.some((chat) => chat.running) ? RUNNING_POLL_MS : false),
    }),
  );
  const refresh = () => queryClient.invalidateQueries(trpc.chats.list.pathFilter());

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
  return { list, rename, remove };
}
