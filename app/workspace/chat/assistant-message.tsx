import { Sparkles } from "lucide-react";
import { memo, useContext, useMemo } from "react";
import { FigureOriginContext } from "./_lib/figure-origin";
import { type ChatMessage, isStepLimitNote, isToolPart } from "./_lib/tool-parts";
import { isInterrupted, isStopped } from "./_lib/stopped";
import { InterruptedNote } from "./interrupted-note";
import { Markdown } from "./markdown";
import { StepLimitNote } from "./step-limit-note";
import { StoppedNote } from "./stopped-note";
import { ToolStep } from "./tool-step";
import { TypingIndicator } from "./typing-indicator";

type AssistantMessageProps = {
  message: ChatMessage;
  /** This is the answer being streamed now. */
  streaming: boolean;
  onContinue?: () => void;
};

/** The agent's answer: its text (markdown) and each tool step, in the order they happened. */
export const AssistantMessage = memo(function AssistantMessage({
  message,
  streaming,
  onContinue,
}: AssistantMessageProps) {
  const chatId = useContext(FigureOriginContext)?.chatId;
  const figureOrigin = useMemo(() => (chatId ? { chatId, messageId: message.id } : null), [chatId, message.id]);
  const visible = message.parts.filter((part) =>
    part.type === "text" ? part.text.trim().length > 0 : isToolPart(part),
  );
  const lastPart = message.parts.at(-1);
  // Between steps (a tool finished, the model is thinking), say that something is still happening.
  const stopped = !streaming && isStopped(message);
  const interrupted = !streaming && !stopped && isInterrupted(message);
  const waiting =
    streaming &&
    (!lastPart ||
      lastPart.type === "step-start" ||
      (isToolPart(lastPart) && lastPart.state === "output-available" && !lastPart.preliminary));
  return (
    <div
      className="-mx-2 flex scroll-mt-4 gap-3 rounded-lg px-2 transition-colors data-[highlight]:bg-sky-50 dark:data-[highlight]:bg-sky-950/40"
      data-testid="chat-message-assistant"
      data-message-id={message.id}
      data-stopped={stopped || undefined}
      data-interrupted={interrupted || undefined}
    >
      <div
        className="grid size-7 shrink-0 place-items-center rounded-full bg-gradient-to-br from-sky-500 to-indigo-500 text-white shadow-sm"
        aria-hidden
      >
        <Sparkles className="size-3.5" />
      </div>
      <FigureOriginContext.Provider value={figureOrigin}>
        <div className="flex min-w-0 flex-1 flex-col gap-3 pt-0.5">
          {visible.map((part, index) => {
            if (part.type === "text") {
              if (isStepLimitNote(part.text))
                return <StepLimitNote key={index} text={part.text} onContinue={streaming ? undefined : onContinue} />;
              return <Markdown key={index} text={part.text} streaming={streaming && index === visible.length - 1} />;
            }
            return isToolPart(part) ? <ToolStep key={part.toolCallId} part={part} active={streaming} /> : null;
          })}
          {waiting ? <TypingIndicator label={visible.length === 0 ? "Thinking" : "Working"} /> : null}
          {stopped ? <StoppedNote empty={visible.length === 0} /> : null}
          {interrupted ? <InterruptedNote empty={visible.length === 0} /> : null}
        </div>
      </FigureOriginContext.Provider>
    </div>
  );
});
