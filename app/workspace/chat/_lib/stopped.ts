import type { ChatMessage } from "./tool-parts";

// A reply the user stopped carries `metadata.stopped` (the server sets it on
// the saved message; the page sets it at once on its own copy).

export function isStopped(message: ChatMessage): boolean {
  const metadata = message.metadata as { stopped?: unknown } | undefined;
  return metadata?.stopped === true;
}

/** The conversation with its last reply marked stopped (an empty reply added when none had started). */
export function markStopped(messages: ChatMessage[]): ChatMessage[] {
  const last = messages.at(-1);
  if (!last) return messages;
  if (last.role === "assistant") {
    const metadata = typeof last.metadata === "object" && last.metadata !== null ? last.metadata : {};
    return [...messages.slice(0, -1), { ...last, metadata: { ...metadata, stopped: true } }];
  }
  return [...messages, { id: `stopped-${crypto.randomUUID()}`, role: "assistant", parts: [], metadata: { stopped: true } }];
}
