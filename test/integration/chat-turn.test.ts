import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/server/db";
import { startAgentTurn } from "~/server/services/agent-turns";
import { saveMessages } from "~/server/services/chats";
import { updateModelSettings } from "~/server/services/model-settings";
import { sandboxPlatform } from "~/server/services/sandbox-manager";
import { type FakeOpenAI, type FakeRequest, startFakeOpenAI, textOf } from "../fixtures/fake-openai/server";
import { finalMessage } from "../fixtures/scripted-model";
import { newUser } from "./helpers/callers";
import { resetDatabase } from "./helpers/database";

// A whole chat turn as the route runs it: the user's own sandbox, the model
// configured by an admin (the fake OpenAI-compatible server on loopback), the
// reply streamed, and everything persisted for a reload.

const PLOT = [
  "import pandas as pd, matplotlib.pyplot as plt",
  "df = pd.read_csv('sales.csv')",
  "df.plot(x='month', y='revenue')",
  "df.describe()",
].join("\n");

/** Loads the CSV and plots on the first request, then answers in text. */
function analyst(request: FakeRequest) {
  const last = request.messages.at(-1);
  if (last?.role === "tool") return { text: "Revenue grows steadily; the chart is saved." };
  return { toolCalls: [{ name: "run_python", args: { code: PLOT } }] };
}


describe("chat turns", () => {
  let server: FakeOpenAI;
  let admin: Awaited<ReturnType<typeof newUser>>;

  beforeAll(async () => {
    await resetDatabase();
    admin = await newUser("admin");
    server = await startFakeOpenAI(analyst);
  });

  afterAll(async () => {
    await server.close();
    await sandboxPlatform().manager.shutdown();
    await db.$disconnect();
  });

  it("says how to configure a model when none is, and saves nothing", async () => {
    const user = await newUser("nomodel");
    const chat = await user.caller.chats.create();
    await expect(startAgentTurn({ userId: user.id, chatId: chat.id, text: "hi" })).rejects.toThrow(
      /No AI model is configured yet.*Admin → Settings/,
    );
    expect((await user.caller.chats.get({ id: chat.id })).messages).toEqual([]);
  });

  it("runs the agent on the user's sandbox, streams the reply and persists steps and the chart", async () => {
    await updateModelSettings(admin.id, { provider: "openai-compatible", model: "fake-model", baseUrl: server.url });
    const user = await newUser("analyst");
    await user.caller.files.write({ path: "sales.csv", content: "month,revenue\n2024-01,100\n2024-02,130\n2024-03,170\n" });
    const chat = await user.caller.chats.create();

    const turn = await startAgentTurn({ userId: user.id, chatId: chat.id, text: "Plot revenue by month" });
    const reply = await finalMessage(turn.stream);
    const tool = reply.parts.find((part) => part.type === "tool-run_python") as { state: string; output: { figures: { path: string }[] } } | undefined;
    expect(tool?.state).toBe("output-available");
    const figure = tool!.output.figures[0]!.path;
    expect(figure).toMatch(/^\/workspace\/figures\/.+\.png$/);
    expect(reply.parts.some((part) => part.type === "text" && part.text.includes("Revenue grows steadily"))).toBe(true);

    // The model saw the user's files and the runtime in its instructions.
    expect(JSON.stringify(server.requests[0]?.messages[0])).toContain("sales.csv");
    expect(textOf(server.requests[0]?.messages.at(-1))).toBe("Plot revenue by month");

    // Reload: the conversation, its tool step and the chart's file are all there.
    await turn.ended;
    const stored = await user.caller.chats.get({ id: chat.id });
    expect(stored.title).toBe("Plot revenue by month");
    expect(stored.messages.map((message) => message.role)).toEqual(["user", "assistant"]);
    expect(JSON.stringify(stored.messages[1]?.parts)).toContain(figure);
    const figures = await user.caller.files.glob({ pattern: "figures/*.png" });
    expect(figures.entries.map((entry) => entry.path)).toContain(figure);
    expect((await user.caller.chats.artifacts({ id: chat.id })).map((artifact) => artifact.path)).toContain(figure);
  });

  it("refuses a second turn while one is running, and another user's chat", async () => {
    const user = await newUser("busy");
    const other = await newUser("other");
    const chat = await user.caller.chats.create();
    await saveMessages(user.id, chat.id, []);
    await expect(startAgentTurn({ userId: other.id, chatId: chat.id, text: "hi" })).rejects.toThrow(
      /does not exist/,
    );
    const first = await startAgentTurn({ userId: user.id, chatId: chat.id, text: "Plot it" });
    await expect(startAgentTurn({ userId: user.id, chatId: chat.id, text: "again" })).rejects.toThrow(
      /still answering/,
    );
    await finalMessage(first.stream);
  });
});
