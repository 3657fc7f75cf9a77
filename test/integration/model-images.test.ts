import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/server/db";
import { startAgentTurn } from "~/server/services/agent-turns";
import { updateModelSettings } from "~/server/services/model-settings";
import { sandboxPlatform } from "~/server/services/sandbox-manager";
import { type FakeOpenAI, type FakeRequest, isTitleRequest, startFakeOpenAI } from "../fixtures/fake-openai/server";
import { newUser } from "./helpers/callers";
import { resetDatabase } from "./helpers/database";
import { finalMessage } from "../fixtures/scripted-model";

// A model that accepts images gets the chart's PNG with the run_python result;
// any other gets the text summary alone.

const PLOT = "import matplotlib.pyplot as plt\nplt.bar(['a', 'b'], [3, 5])";
const PNG_BASE64_START = "iVBORw0KGgo";

function plotter(request: FakeRequest) {
  if (isTitleRequest(request)) return { text: "Bars" };
  if (request.messages.at(-1)?.role === "tool") return { text: "Two bars." };
  return { toolCalls: [{ name: "run_python", args: { code: PLOT } }] };
}

describe("chart images for the model", () => {
  let server: FakeOpenAI;
  let adminId: string;

  beforeAll(async () => {
    await resetDatabase();
    adminId = (await newUser("imgadmin")).id;
    server = await startFakeOpenAI(plotter);
  });

  afterAll(async () => {
    await server.close();
    await sandboxPlatform().manager.shutdown();
    await db.$disconnect();
  });

  /** The tool message the model got back after the plot, from a fresh turn with the given setting. */
  async function toolMessageWith(imageInput: "auto" | "always" | "never") {
    await updateModelSettings(adminId, {
      provider: "openai-compatible",
      model: "fake-model",
      baseUrl: server.url,
      imageInput,
    });
    const user = await newUser(`img${imageInput}`);
    const chat = await user.caller.chats.create();
    const before = server.requests.length;
    await finalMessage(
      (
        await startAgentTurn({
          userId: user.id,
          chatId: chat.id,
          text: "Plot two bars",
        })
      ).stream,
    );
    const request = server.requests.slice(before).find((candidate) => candidate.messages.at(-1)?.role === "tool");
    return request!.messages.at(-1)!;
  }

  it("sends the PNG as an image part when the admin says the model accepts images", async () => {
    const message = await toolMessageWith("always");
    const parts = message.content as unknown as { type: string; text?: string; image_url?: { url: string } }[];
    expect(Array.isArray(parts)).toBe(true);
    expect(parts[0]?.type).toBe("text");
    expect(parts[0]?.text).toContain("figure saved:");
    const images = parts.filter((part) => part.type === "image_url");
    expect(images).toHaveLength(1);
    expect(images[0]!.image_url!.url.startsWith(`data:image/png;base64,${PNG_BASE64_START}`)).toBe(true);
  });

  it("sends text alone when images are off, and by default for an unknown OpenAI-compatible model", async () => {
    for (const mode of ["never", "auto"] as const) {
      const message = await toolMessageWith(mode);
      expect(typeof message.content, mode).toBe("string");
      expect(message.content as string).toContain("figure saved:");
      expect(message.content as string).not.toContain(PNG_BASE64_START);
    }
  });
});
