import { Skeleton } from "../../_components/ui/skeleton";

/** A conversation while it loads: a question and the shape of an answer. */
export function ConversationSkeleton() {
  return (
    <div className="mx-auto flex w-full max-w-3xl flex-1 flex-col gap-6 px-6 py-6" aria-busy data-testid="chat-loading">
      <Skeleton className="ml-auto h-10 w-2/3 rounded-2xl" />
      <div className="flex gap-3">
        <Skeleton className="size-7 rounded-full" />
        <div className="flex flex-1 flex-col gap-2">
          <Skeleton className="h-4 w-11/12" />
          <Skeleton className="h-4 w-4/5" />
          <Skeleton className="h-24 w-full rounded-xl" />
        </div>
      </div>
    </div>
  );
}
