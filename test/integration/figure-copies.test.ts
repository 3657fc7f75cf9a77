import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/server/db";
import { errorResponse } from "~/server/http/error-response";
import { startAgentTurn } from "~/server/services/agent-turns";
import { storedFigure } from "~/server/services/figure-copies";
import { updateModelSettings } from "~/server/services/model-settings";
import { sandboxPlatform } from "~/server/services/sandbox-manager";
import { type FakeOpenAI, type FakeRequest, startFakeOpenAI } from "../fixtures/fake-openai/server";
import { finalMessage } from "../fixtures/scripted-model";
import { newUser } from "./helpers/callers";
import { resetDatabase } from "./helpers/database";

// A chart the agent makes is kept with its message: the chat still serves it
// after the workspace file is deleted, and only to the chat's owner.

const PLOT = ["import matplotlib.pyplot as plt", "plt.plot([1, 2, 3], [3, 1, 2])"].join("\n");
const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47];

function plotter(request: FakeRequest) {
  if (request.messages.at(-1)?.role === "tool") return { text: "Here is the chart." };
  return { toolCalls: [{ name: "run_python", args: { code: PLOT } }] };
}


describe("figure copies", () => {
  let server: FakeOpenAI;

  beforeAll(async () => {
    await resetDatabase();
    const admin = await newUser("figadmin");
    server = await startFakeOpenAI(plotter);
    await updateModelSettings(admin.id, { provider: "openai-compatible", model: "fake-model", baseUrl: server.url });
  });

  afterAll(async () => {
    await server.close();
    await sandboxPlatform().manager.shutdown();
    await db.$disconnect();
  });

  it("serves a turn's chart from the kept copy after the workspace file is deleted, to its owner only", async () => {
    const user = await newUser("figowner");
    const other = await newUser("figother");
    const chat = await user.caller.chats.create();

    const turn = await startAgentTurn({ userId: user.id, chatId: chat.id, text: "Plot something" });
    const reply = await finalMessage(turn.stream);
    const tool = reply.parts.find((part) => part.type === "tool-run_python") as
      { output: { figures: { path: string }[] } } | undefined;
    const figure = tool!.output.figures[0]!.path;
    expect(figure).toMatch(/^\/workspace\/figures\/.+\.png$/);

    // The reply is saved as the turn runs; its id is the one the chart is kept under.
    await turn.ended;
    const stored = await user.caller.chats.get({ id: chat.id });
    const messageId = stored.messages[1]!.id;
    expect(messageId).toBe(reply.id);
    const artifacts = await user.caller.chats.artifacts({ id: chat.id });
    expect(artifacts.find((artifact) => artifact.path === figure)?.messageId).toBe(messageId);

    await user.caller.files.delete({ path: "/workspace/figures" });
    expect((await user.caller.files.glob({ pattern: "figures/*.png" })).entries).toEqual([]);

    const kept = await storedFigure(user.id, { chatId: chat.id, messageId, path: figure });
    expect(kept.contentType).toBe("image/png");
    expect([...kept.bytes.subarray(0, 4)]).toEqual(PNG_MAGIC);

    // Another user learns nothing: the same lookup is simply not found (404).
    const refused = await storedFigure(other.id, { chatId: chat.id, messageId, path: figure }).catch(
      (error: unknown) => error,
    );
    expect(errorResponse(refused).status).toBe(404);
    // An old message without a copy is not found either, so the chat falls back to the workspace file.
    await expect(
      storedFigure(user.id, { chatId: chat.id, messageId: stored.messages[0]!.id, path: figure }),
    ).rejects.toThrow(/no kept copy/);
  });
});
