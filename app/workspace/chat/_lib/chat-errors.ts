import { APICallError } from "ai";

// What went wrong with a chat request, in words for the user. The chat route
// answers errors as { error: { code, message } } with an HTTP status; its
// messages are written for people, so they are shown as they are.

export type ChatProblem = {
  kind: "no-model" | "busy" | "rate-limited" | "signed-out" | "not-found" | "offline" | "failed";
  title: string;
  message: string;
  /** The request was refused before the server saved the message: give the text back to the composer. */
  refused: boolean;
};

type ErrorBody = { error?: { code?: string; message?: string } };

function parseBody(text: string | undefined): ErrorBody["error"] {
  if (!text) return undefined;
  try {
    return (JSON.parse(text) as ErrorBody).error;
  } catch {
    return undefined;
  }
}

export function describeChatError(error: Error): ChatProblem {
  if (APICallError.isInstance(error)) {
    const status = error.statusCode ?? 0;
    const body = parseBody(error.responseBody);
    const message = body?.message ?? "The server could not answer. Try again in a moment.";
    const refused = status >= 400 && status < 500;
    if (status === 412 && /model/i.test(message)) return { kind: "no-model", title: "No AI model is configured", message, refused };
    if (status === 409) return { kind: "busy", title: "The agent is still busy", message, refused };
    if (status === 429) return { kind: "rate-limited", title: "Slow down a little", message, refused };
    if (status === 401) return { kind: "signed-out", title: "You are signed out", message, refused };
    if (status === 404) return { kind: "not-found", title: "Conversation not found", message, refused };
    return { kind: "failed", title: refused ? "The message was not sent" : "The answer failed", message, refused };
  }
  if (error instanceof TypeError && /fetch|network/i.test(error.message)) {
    return { kind: "offline", title: "Can't reach Tidepool", message: "Check your connection and try again.", refused: false };
  }
  // Errors inside the stream: the route's own safe description of what failed.
  return { kind: "failed", title: "The answer stopped with an error", message: error.message || "Something went wrong. Try again.", refused: false };
}
