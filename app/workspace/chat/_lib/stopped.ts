import type { ChatMessage } from "./tool-parts";

// How a reply ended, when not by itself: `metadata.stopped` (the user pressed
// Stop) or `metadata.interrupted` (the server stopped while the turn ran); the
// server sets both on the saved message, and a Stop also on the live stream.

export function isStopped(message: ChatMessage): boolean {
  return metadataOf(message).stopped === true;
}

export function isInterrupted(message: ChatMessage): boolean {
  return metadataOf(message).interrupted === true;
}

function metadataOf(message: ChatMessage): { stopped?: unknown; interrupted?: unknown } {
  return typeof message.metadata === "object" && message.metadata !== null ? message.metadata : {};
}
