import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/server/db";
import { startAgentTurn } from "~/server/services/agent-turns";
import { saveMessages } from "~/server/services/chats";
import { updateModelSettings } from "~/server/services/model-settings";
import { sandboxPlatform } from "~/server/services/sandbox-manager";
import { settleAbandonedTurns } from "~/server/services/turn-recovery";
import { requestStop } from "~/server/services/turns";
import { type FakeOpenAI, type FakeRequest, startFakeOpenAI, textOf } from "../fixtures/fake-openai/server";
import { finalMessage } from "../fixtures/scripted-model";
import { newUser } from "./helpers/callers";
import { resetDatabase } from "./helpers/database";

// A turn is a job of the server, not of the request that asked for it: it
// runs to its end with nobody reading, saves each step as it finishes, hears
// a Stop sent through the database (as from another app process), and a turn
// whose server died is marked interrupted without blocking the user.

const SLOW_STEP = "import time\nprint('first-output', flush=True)\ntime.sleep(4)\nprint('slow-step-done')";
const ENDLESS_STEP = "import time\ntime.sleep(120)\nprint('slept' + '-through')";

function respond(request: FakeRequest) {
  const last = request.messages.at(-1);
  if (last?.role === "tool") return { text: `Finished: ${textOf(last).slice(0, 80)}` };
  const code = textOf(last).includes("forever") ? ENDLESS_STEP : SLOW_STEP;
  return { toolCalls: [{ name: "run_python", args: { code } }] };
}

async function until<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`condition not met within ${timeoutMs} ms; last: ${JSON.stringify(value).slice(0, 500)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

type Part = { type: string; state?: string };
const partsOf = (message: { parts: unknown[] } | undefined) => (message?.parts ?? []) as Part[];

let server: FakeOpenAI;

beforeAll(async () => {
  await resetDatabase();
  const admin = await newUser("turnadmin");
  server = await startFakeOpenAI(respond);
  await updateModelSettings(admin.id, { provider: "openai-compatible", model: "fake-model", baseUrl: server.url });
});

afterAll(async () => {
  await server.close();
  await sandboxPlatform().manager.shutdown();
  await db.$disconnect();
});

describe("turns as jobs", () => {
  it("runs to the end with nobody reading, creates its chat with the first message, and saves the tool call before its result", async () => {
    const ada = await newUser("ada");
    const chatId = crypto.randomUUID();
    const turn = await startAgentTurn({ userId: ada.id, chatId, text: "Run the slow step" });
    await turn.stream.cancel();

    // Mid-step: the call is saved while the code still runs, and the chat shows it running.
    const midway = await until(
      () => ada.caller.chats.get({ id: chatId }),
      (chat) => partsOf(chat.messages[1]).some((part) => part.type === "tool-run_python"),
    );
    expect(midway.title).toBe("Run the slow step");
    expect(midway.turn?.state).toBe("running");
    expect((await ada.caller.chats.list()).find((chat) => chat.id === chatId)?.running).toBe(true);

    await turn.ended;
    const done = await ada.caller.chats.get({ id: chatId });
    expect(done.turn).toMatchObject({ state: "done", replyId: turn.replyId });
    expect(done.messages.map((message) => message.id)).toEqual([done.messages[0]!.id, turn.replyId]);
    expect(JSON.stringify(done.messages[1]!.parts)).toContain("slow-step-done");
    expect(JSON.stringify(done.messages[1]!.parts)).toContain("Finished:");
    expect((await ada.caller.chats.list()).find((chat) => chat.id === chatId)?.running).toBe(false);
  });

  it("a Stop sent through the database reaches the runner on its heartbeat and ends the running code", async () => {
    const bo = await newUser("bo");
    const chatId = crypto.randomUUID();
    const turn = await startAgentTurn({ userId: bo.id, chatId, text: "Sleep forever" });
    const reply = finalMessage(turn.stream);
    await until(
      () => bo.caller.chats.get({ id: chatId }),
      (chat) => partsOf(chat.messages[1]).some((part) => part.type === "tool-run_python"),
    );
    const asked = Date.now();
    expect(await requestStop(bo.id, chatId)).toEqual({ id: turn.turnId });
    await turn.ended;
    expect(Date.now() - asked).toBeLessThan(30_000);
    expect((await reply).metadata).toMatchObject({ stopped: true });
    const stored = await bo.caller.chats.get({ id: chatId });
    expect(stored.turn?.state).toBe("stopped");
    expect(stored.messages[1]?.metadata).toMatchObject({ stopped: true });
    expect(JSON.stringify(stored.messages[1]?.parts)).not.toContain("slept-through");
    // The kernel is free again: the next turn's step runs at once rather than after the sleep.
    const next = await startAgentTurn({ userId: bo.id, chatId, text: "Run the slow step" });
    await next.ended;
    expect(JSON.stringify((await bo.caller.chats.get({ id: chatId })).messages.at(-1)?.parts)).toContain(
      "slow-step-done",
    );
  });

  it("a turn whose server died is marked interrupted, keeps its saved steps, and does not block the next turn", async () => {
    const cy = await newUser("cy");
    const chat = await cy.caller.chats.create();
    await saveMessages(cy.id, chat.id, [
      { id: crypto.randomUUID(), role: "user", parts: [{ type: "text", text: "Run the slow step" }] },
      { id: "dead-reply", role: "assistant", parts: [{ type: "text", text: "First step saved." }] },
    ]);
    await db.turn.create({
      data: {
        chatId: chat.id,
        userId: cy.id,
        replyId: "dead-reply",
        runnerHost: "gone:1",
        runnerBoot: "gone",
        heartbeatAt: new Date(Date.now() - 60_000),
      },
    });
    expect((await cy.caller.chats.get({ id: chat.id })).turn?.state).toBe("running");

    expect(await settleAbandonedTurns()).toBe(1);
    const settled = await cy.caller.chats.get({ id: chat.id });
    expect(settled.turn?.state).toBe("interrupted");
    expect(settled.messages[1]).toMatchObject({ id: "dead-reply", metadata: { interrupted: true } });
    expect(JSON.stringify(settled.messages[1]?.parts)).toContain("First step saved.");

    const next = await startAgentTurn({ userId: cy.id, chatId: chat.id, text: "Run the slow step" });
    await next.ended;
    expect((await cy.caller.chats.get({ id: chat.id })).turn?.state).toBe("done");
  });
});
