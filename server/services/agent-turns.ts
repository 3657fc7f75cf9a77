import { randomUUID } from "node:crypto";
import type { LanguageModel, UIMessage } from "ai";
import { acceptsImages, createLanguageModel, ModelNotConfiguredError, runAgent } from "../agent";
import { generateChatTitle } from "../agent/chat-title";
import { db } from "../db";
import { replaceTitle, textOfMessage } from "./chat-titles";
import { getChat, recordArtifact, saveMessages } from "./chats";
import { DomainError, RateLimitedError } from "./errors";
import { keepFigure, relinkFigures } from "./figure-copies";
import { acquireLease, type Lease } from "./leases";
import { getModelConfig } from "./model-settings";
import { sandboxFor } from "./sandboxes";

// One agent turn in one of the user's chats: the user's message is saved at
// once, the agent runs on their own sandbox and kernel, and the reply with
// its tool steps is saved when the stream ends. The request's abort signal
// (the Stop button) stops the model and the running command; what was done
// until then is saved, marked stopped. After a chat's first answer the model
// is asked for a title, off the turn's path.

const MAX_STEPS = 25;
const TURNS_PER_MINUTE = 20;
const MAX_MESSAGE_CHARS = 20_000;

/** A turn's lock outlives a crashed server by this much at most. */
const TURN_LEASE_MS = 60_000;

/**
 * One turn at a time per user and at most TURNS_PER_MINUTE, across every app
 * process: the turn holds a lease while it runs, and turns are counted in the
 * activity log (under the lease, so two racing requests count each other).
 */
async function admitTurn(userId: string, detail: { chatId: string; model: string }): Promise<Lease> {
  const lease = await acquireLease(`turn:${userId}`, { ttlMs: TURN_LEASE_MS });
  if (!lease)
    throw new DomainError(
      "conflict",
      "The agent is still answering your previous message. Wait for it, or press Stop.",
    );
  try {
    const recent = await db.activityEvent.findMany({
      where: { actorId: userId, action: "agent.turn", createdAt: { gte: new Date(Date.now() - 60_000) } },
      select: { createdAt: true },
      orderBy: { createdAt: "asc" },
    });
    if (recent.length >= TURNS_PER_MINUTE)
      throw new RateLimitedError(60_000 - (Date.now() - recent[0]!.createdAt.getTime()));
    await db.activityEvent.create({
      data: { actorId: userId, subjectId: userId, action: "agent.turn", outcome: "ok", detail },
    });
    return lease;
  } catch (error) {
    await lease.release();
    throw error;
  }
}

export async function startAgentTurn(input: {
  userId: string;
  chatId: string;
  text: string;
  signal: AbortSignal;
}): Promise<Response> {
  const { userId, chatId, signal } = input;
  const text = input.text.trim();
  if (!text) throw new DomainError("invalid_input", "Type a message first.");
  if (text.length > MAX_MESSAGE_CHARS)
    throw new DomainError(
      "invalid_input",
      `Messages are limited to ${MAX_MESSAGE_CHARS} characters; put long text in a file instead.`,
    );
  const chat = await getChat(userId, chatId);
  const config = await getModelConfig();
  if (!config) {
    throw new DomainError(
      "model_not_configured",
      "No AI model is configured yet. An admin can set one in Admin → Settings (or with MODEL_PROVIDER and MODEL_NAME). Your files and console work without it.",
    );
  }
  let model;
  try {
    model = createLanguageModel(config);
  } catch (error) {
    if (error instanceof ModelNotConfiguredError)
      throw new DomainError("model_not_configured", error.message, { cause: error });
    throw error;
  }

  const lease = await admitTurn(userId, { chatId, model: config.model });
  const release = () => void lease.release();
  signal.addEventListener("abort", release, { once: true });
  try {
    const userMessage: UIMessage = { id: randomUUID(), role: "user", parts: [{ type: "text", text }] };
    const messages = [...chat.messages, userMessage];
    const titleAtStart = await saveMessages(userId, chatId, messages);
    const sandbox = await sandboxFor(userId);
    // The reply's id is chosen now so each figure is kept with the message that shows it.
    const replyId = randomUUID();
    const run = await runAgent({
      model,
      sandbox,
      messages,
      abortSignal: signal,
      maxSteps: MAX_STEPS,
      toolOptions: { sendImages: acceptsImages(config) },
      onArtifact: async (artifact) => {
        if (artifact.kind === "figure")
          await keepFigure(sandbox, { userId, chatId, messageId: replyId, path: artifact.path });
        else await recordArtifact(userId, chatId, { path: artifact.path, kind: artifact.kind, messageId: replyId });
      },
    });
    return run.toResponse({
      originalMessages: messages,
      generateMessageId: () => replyId,
      onEnd: async ({ messages: final, responseMessage, isAborted, isCancelled }) => {
        const stopped = isAborted || !!isCancelled || signal.aborted;
        try {
          const reply = stopped ? markStopped(responseMessage) : responseMessage;
          await saveMessages(userId, chatId, [...final.slice(0, -1), reply]);
          await relinkFigures(userId, chatId, replyId, reply.id);
          if (chat.messages.length === 0)
            void titleFromFirstAnswer({ userId, chatId, titleAtStart, question: text, reply, model });
        } finally {
          release();
        }
      },
    });
  } catch (error) {
    release();
    throw error;
  }
}

/** The reply as it stood when the user pressed Stop, marked so the chat says "Stopped" (also after a reload). */
function markStopped(reply: UIMessage): UIMessage {
  const metadata = typeof reply.metadata === "object" && reply.metadata !== null ? reply.metadata : {};
  return { ...reply, id: reply.id || randomUUID(), metadata: { ...metadata, stopped: true } };
}

/**
 * Best effort: a model failure leaves the title the first message gave, and a
 * rename by the user meanwhile wins (the title must still be `titleAtStart`).
 */
async function titleFromFirstAnswer(input: {
  userId: string;
  chatId: string;
  titleAtStart: string;
  question: string;
  reply: UIMessage;
  model: LanguageModel;
}) {
  try {
    const proposed = await generateChatTitle({
      model: input.model,
      question: input.question,
      answer: textOfMessage(input.reply),
    });
    if (proposed) await replaceTitle(input.userId, input.chatId, input.titleAtStart, proposed);
  } catch (error) {
    console.warn("[chat-title] kept the first title:", error instanceof Error ? error.message : error);
  }
}
