import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunPythonOutput } from "~/server/agent";
import { db } from "~/server/db";
import { errorResponse } from "~/server/http/error-response";
import { kernelFor } from "~/server/sandbox";
import { startAgentTurn } from "~/server/services/agent-turns";
import { exportChat } from "~/server/services/chat-export";
import { updateModelSettings } from "~/server/services/model-settings";
import { sandboxPlatform } from "~/server/services/sandbox-manager";
import { sandboxFor } from "~/server/services/sandboxes";
import { type FakeOpenAI, type FakeRequest, startFakeOpenAI } from "../fixtures/fake-openai/server";
import { newUser } from "./helpers/callers";
import { resetDatabase } from "./helpers/database";
import { finalMessage } from "../fixtures/scripted-model";

// A conversation taken away as a notebook runs again: its code cells, run in a
// fresh kernel of the sandbox, draw as many charts as the conversation did.

const CSV = "region,units\nnorth,12\nsouth,30\neast,7\n";
const DATA = "import pandas as pd\ndf = pd.read_csv('units.csv')\nprint(len(df))";
const TWO_CHARTS = [
  "import matplotlib.pyplot as plt",
  "plt.figure(); plt.bar(df['region'], df['units']); plt.title('Units by region')",
  "plt.figure(); plt.plot([1, 2, 3], [3, 1, 2])",
].join("\n");
const ONE_MORE = "plt.figure(); plt.hist(df['units'], bins=3)\ndf['units'].sum()";

type Cell = {
  cell_type: string;
  source: string[];
  execution_count?: number | null;
  outputs?: { output_type: string; data?: Record<string, unknown>; text?: string[] }[];
};

function analyst(request: FakeRequest) {
  const runs = request.messages.filter((message) => message.role === "tool").length;
  const code = [DATA, TWO_CHARTS, ONE_MORE][runs];
  return code ? { toolCalls: [{ name: "run_python", args: { code } }] } : { text: "North and south sell the most." };
}

describe("chat export", () => {
  let server: FakeOpenAI;

  beforeAll(async () => {
    await resetDatabase();
    const admin = await newUser("exportadmin");
    server = await startFakeOpenAI(analyst);
    await updateModelSettings(admin.id, { provider: "openai-compatible", model: "fake-model", baseUrl: server.url });
  });

  afterAll(async () => {
    await server.close();
    await sandboxPlatform().manager.shutdown();
    await db.$disconnect();
  });

  it("exports a notebook whose code cells, run again in the sandbox, draw the same charts; a script; for the owner only", async () => {
    const user = await newUser("exporter");
    const other = await newUser("exportother");
    const chat = await user.caller.chats.create();
    await (await sandboxFor(user.id)).write("units.csv", CSV);
    const reply = await finalMessage(
      (
        await startAgentTurn({
          userId: user.id,
          chatId: chat.id,
          text: "Plot units by region",
        })
      ).stream,
    );
    const outputs = reply.parts.flatMap((part) =>
      part.type === "tool-run_python" && "output" in part ? [part.output as RunPythonOutput] : [],
    );
    const figureCount = outputs.reduce((sum, output) => sum + output.figures.length, 0);
    expect(figureCount).toBe(3);
    await expect
      .poll(async () => (await user.caller.chats.get({ id: chat.id })).messages.length, { timeout: 10_000 })
      .toBe(2);

    const notebookFile = await exportChat(user.id, chat.id, "ipynb");
    expect(notebookFile.fileName).toMatch(/\.ipynb$/);
    const notebook = JSON.parse(notebookFile.body) as { nbformat: number; cells: Cell[] };
    expect(notebook.nbformat).toBe(4);
    const markdown = notebook.cells.filter((cell) => cell.cell_type === "markdown").map((cell) => cell.source.join(""));
    expect(markdown).toContain("**You:** Plot units by region");
    expect(markdown).toContain("North and south sell the most.");
    const code = notebook.cells.filter((cell) => cell.cell_type === "code");
    expect(code.map((cell) => cell.source.join(""))).toEqual([DATA, TWO_CHARTS, ONE_MORE]);
    expect(code.map((cell) => cell.execution_count)).toEqual(outputs.map((output) => output.executionCount));
    expect(code[0]?.outputs).toContainEqual({ output_type: "stream", name: "stdout", text: ["3\n"] });
    const pngs = code
      .flatMap((cell) => cell.outputs ?? [])
      .filter((output) => output.output_type === "display_data" && typeof output.data?.["image/png"] === "string");
    expect(pngs).toHaveLength(figureCount);
    expect(code[2]?.outputs?.find((output) => output.output_type === "execute_result")?.data?.["text/plain"]).toEqual([
      expect.stringContaining("49"),
    ]);

    // The notebook runs: its code cells, in order, in a fresh kernel of the user's sandbox.
    const kernel = kernelFor(await sandboxFor(user.id));
    await kernel.restart();
    let rerunFigures = 0;
    for (const cell of code) {
      const result = await kernel.run(cell.source.join(""), { timeoutMs: 60_000 });
      expect(result.error, result.error?.traceback).toBeUndefined();
      rerunFigures += result.figures.length;
    }
    expect(rerunFigures).toBe(figureCount);

    const script = await exportChat(user.id, chat.id, "py");
    expect(script.fileName).toMatch(/\.py$/);
    expect(script.body).toContain("# Data files it reads:\n#   units.csv");
    expect(script.body).toContain("# You: Plot units by region");
    expect(script.body).toContain(TWO_CHARTS);

    const refused = await exportChat(other.id, chat.id, "ipynb").catch((error: unknown) => error);
    expect(errorResponse(refused).status).toBe(404);
  });
});
