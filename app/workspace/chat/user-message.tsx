import { memo } from "react";
import { type ChatMessage, textOf } from "./_lib/tool-parts";

/** What the user asked, as a bubble on the right. */
export const UserMessage = memo(function UserMessage({ message }: { message: ChatMessage }) {
  return (
    <div className="flex justify-end" data-testid="chat-message-user" data-message-id={message.id}>
      <div className="max-w-[85%] whitespace-pre-wrap break-words rounded-2xl rounded-br-md bg-sky-600 px-4 py-2.5 text-[15px] leading-6 text-white shadow-sm dark:bg-sky-700">
        {textOf(message)}
      </div>
    </div>
  );
});
