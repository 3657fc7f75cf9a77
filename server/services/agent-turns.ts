import { randomUUID } from "node:crypto";
import type { LanguageModel, UIMessage, UIMessageChunk } from "ai";
import { acceptsImages, createLanguageModel, ModelNotConfiguredError, runAgent } from "../agent";
import { generateChatTitle } from "../agent/chat-title";
import { db } from "../db";
import { replaceTitle, textOfMessage } from "./chat-titles";
import { addUserMessage, chatForTurn, recordArtifact } from "./chats";
import { DomainError, RateLimitedError } from "./errors";
import { keepFigure } from "./figure-copies";
import { liveTurn, trackTurn } from "./live-turns";
import { getModelConfig } from "./model-settings";
import { sandboxFor } from "./sandboxes";
import { settleAbandonedTurns } from "./turn-recovery";
import { readChoicesOf } from "./read-choices";
import { runTurnStream } from "./turn-runner";
import { claimTurn, requestStop } from "./turns";
import { cachedWorkspaceDescription } from "./workspace-description-cache";

// One agent turn in one of the user's chats, run as a server-side job: the
// user's message is saved at once, the agent runs on their own sandbox and
// kernel in this process whether or not a browser watches, and the reply is
// saved step by step (turn-runner). Browsers attach to the turn's stream and
// may leave and come back; Stop, from any of them, aborts the model and the
// running command. After a chat's first answer the model is asked for a
// title, off the turn's path.

const MAX_STEPS = 25;
const TURNS_PER_MINUTE = 20;
const MAX_MESSAGE_CHARS = 20_000;
/** How long a Stop waits for the turn to wind down and save before answering. */
const STOP_WAIT_MS = 10_000;

/**
 * One turn at a time per user (the Turn row, across every app process; a turn
 * whose server died is settled first so it blocks nobody) and at most
 * TURNS_PER_MINUTE, counted in the activity log.
 */
async function admitTurn(input: { userId: string; chatId: string; replyId: string; model: string }): Promise<{ id: string }> {
  const { userId, chatId, replyId } = input;
  await settleAbandonedTurns();
  const turn = await claimTurn({ userId, chatId, replyId });
  try {
    const recent = await db.activityEvent.findMany({
      where: { actorId: userId, action: "agent.turn", createdAt: { gte: new Date(Date.now() - 60_000) } },
      select: { createdAt: true },
      orderBy: { createdAt: "asc" },
    });
    if (recent.length >= TURNS_PER_MINUTE)
      throw new RateLimitedError(60_000 - (Date.now() - recent[0]!.createdAt.getTime()));
    await db.activityEvent.create({
      data: { actorId: userId, subjectId: userId, action: "agent.turn", outcome: "ok", detail: { chatId, model: input.model } },
    });
    return turn;
  } catch (error) {
    await db.turn.delete({ where: { id: turn.id } });
    throw error;
  }
}

function modelFor(config: Awaited<ReturnType<typeof getModelConfig>>): LanguageModel {
  if (!config) {
    throw new DomainError(
      "model_not_configured",
      "No AI model is configured yet. An admin can set one in Admin → Settings (or with MODEL_PROVIDER and MODEL_NAME). Your files and console work without it.",
    );
  }
  try {
    return createLanguageModel(config);
  } catch (error) {
    if (error instanceof ModelNotConfiguredError)
      throw new DomainError("model_not_configured", error.message, { cause: error });
    throw error;
  }
}

export type StartedTurn = {
  turnId: string;
  replyId: string;
  /** The turn's UI message stream from its start; cancelling it only detaches this reader. */
  stream: ReadableStream<UIMessageChunk>;
  /** Settles when the turn has ended and its reply is saved. */
  ended: Promise<void>;
};

/** Starts a turn in the chat (created now if the page chose a new id) and returns a reader of its stream. */
export async function startAgentTurn(input: { userId: string; chatId: string; text: string }): Promise<StartedTurn> {
  const { userId, chatId } = input;
  const text = input.text.trim();
  if (!text) throw new DomainError("invalid_input", "Type a message first.");
  if (text.length > MAX_MESSAGE_CHARS)
    throw new DomainError(
      "invalid_input",
      `Messages are limited to ${MAX_MESSAGE_CHARS} characters; put long text in a file instead.`,
    );
  const config = await getModelConfig();
  const model = modelFor(config);
  const chat = await chatForTurn(userId, chatId);
  // The reply's id is chosen now so each figure is kept with the message that shows it.
  const replyId = randomUUID();
  const userMessage: UIMessage = { id: randomUUID(), role: "user", parts: [{ type: "text", text }] };
  const messages = [...chat.messages, userMessage];
  let turn: { id: string } | undefined;
  let titleAtStart: string;
  try {
    turn = await admitTurn({ userId, chatId, replyId, model: config!.model });
    titleAtStart = await addUserMessage(userId, chat, userMessage);
  } catch (error) {
    // Refused (busy, rate limit) or not saved: leave nothing behind, not even the chat this message was to create.
    if (turn) await db.turn.delete({ where: { id: turn.id } });
    if (chat.created) await db.chat.delete({ where: { id: chatId } });
    throw error;
  }

  const turnId = turn.id;
  const live = trackTurn({ id: turnId, userId, chatId, replyId }, async ({ buffer, controller }) => {
    let stream: ReadableStream<UIMessageChunk>;
    try {
      const sandbox = await sandboxFor(userId);
      const run = await runAgent({
        model,
        sandbox,
        messages,
        // The workspace summary reads each data file the way the user chose in the preview.
        files: await cachedWorkspaceDescription(userId, sandbox, await readChoicesOf(userId)),
        abortSignal: controller.signal,
        maxSteps: MAX_STEPS,
        toolOptions: { sendImages: acceptsImages(config!) },
        onArtifact: async (artifact) => {
          if (artifact.kind === "figure")
            await keepFigure(sandbox, { userId, chatId, messageId: replyId, path: artifact.path });
          else await recordArtifact(userId, chatId, { path: artifact.path, kind: artifact.kind, messageId: replyId });
        },
      });
      stream = run.toUIMessageStream({ originalMessages: messages, generateMessageId: () => replyId });
    } catch (error) {
      // The sandbox could not start (or the agent could not be set up): the turn ends with that said.
      console.warn("[turn] could not start:", error instanceof Error ? error.message : error);
      stream = errorStream(error instanceof DomainError ? error.message : "The agent could not start. Try again in a moment.");
    }
    const end = await runTurnStream({ turnId, chatId, replyId, stream, buffer, signal: controller.signal });
    if (chat.messages.length === 0 && end.reply)
      void titleFromFirstAnswer({ userId, chatId, titleAtStart, question: text, reply: end.reply, model });
  });
  return { turnId, replyId, stream: live.buffer.subscribe(), ended: live.ended };
}

/** The running turn of a chat, replayed from its start and then live; null if none runs in this process. */
export function attachToTurn(userId: string, chatId: string): ReadableStream<UIMessageChunk> | null {
  const live = liveTurn(chatId);
  return live && live.userId === userId ? live.buffer.subscribe() : null;
}

/**
 * Stops the chat's running turn: here at once (and waits, bounded, for its
 * reply to be saved), or through its row when another process runs it.
 * Stopping a chat with no running turn is fine and says so by its result.
 */
export async function stopAgentTurn(userId: string, chatId: string): Promise<{ stopped: boolean }> {
  const requested = await requestStop(userId, chatId);
  const live = liveTurn(chatId);
  if (live && live.userId === userId) {
    live.controller.abort();
    await Promise.race([live.ended, new Promise((resolve) => setTimeout(resolve, STOP_WAIT_MS).unref())]);
    return { stopped: true };
  }
  return { stopped: requested !== null };
}

function errorStream(errorText: string): ReadableStream<UIMessageChunk> {
  return new ReadableStream({
    start(controller) {
      controller.enqueue({ type: "start" });
      controller.enqueue({ type: "error", errorText });
      controller.enqueue({ type: "finish" });
      controller.close();
    },
  });
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
