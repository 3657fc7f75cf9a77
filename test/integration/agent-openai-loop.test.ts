import { readUIMessageStream, type UIMessage, type UIMessageChunk } from "ai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLanguageModel, runAgent } from "~/server/agent";
import { type DockerSandbox, PythonKernel, type RuntimeConfig } from "~/server/sandbox";
import { type FakeOpenAI, type FakeRequest, startFakeOpenAI, textOf } from "../fixtures/fake-openai/server";
import { ensureRuntimeImage, removeLabelled, runtimeSandbox, testLabel } from "../fixtures/runtime-sandbox";
import { makeTempDir, makeWorkspaceDir, removeTempDir } from "./helpers/docker-cleanup-sandbox";

// The whole agent loop as the chat route runs it: an OpenAI-compatible model
// (the local fake server, streaming text and tool calls) through
// createLanguageModel, runAgent on a real python-datascience sandbox, and the
// streamed Response parsed back into the assistant's UI message.

const label = testLabel("agent-loop");
let sandbox: DockerSandbox<RuntimeConfig>;
let kernel: PythonKernel;
let root: string | null = null;
const servers: FakeOpenAI[] = [];

beforeAll(async () => {
  await ensureRuntimeImage("python-datascience");
  root = await makeTempDir("agent-loop");
  sandbox = runtimeSandbox("python-datascience", label, { volumes: { [await makeWorkspaceDir(root)]: "/workspace" } });
  kernel = new PythonKernel(sandbox);
  const rows = ["month,revenue,region", ...Array.from({ length: 24 }, (_, i) => `2024-${String((i % 12) + 1).padStart(2, "0")},${100 + i * 5},${i % 2 ? "EU" : "US"}`)];
  await sandbox.write("sales.csv", `${rows.join("\n")}\n`);
}, 900_000);

afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
  await sandbox?.stop();
  await removeLabelled(label);
  if (root) await removeTempDir(root);
});

async function fakeModel(responder: Parameters<typeof startFakeOpenAI>[0]) {
  const server = await startFakeOpenAI(responder);
  servers.push(server);
  return { server, model: createLanguageModel({ provider: "openai-compatible", model: "fake-model", baseUrl: server.url }) };
}

/** Parses the route's SSE body back into UI message chunks. */
async function chunksOf(response: Response): Promise<UIMessageChunk[]> {
  const body = await response.text();
  return body
    .split("\n\n")
    .map((event) => event.replace(/^data: /, "").trim())
    .filter((data) => data && data !== "[DONE]")
    .map((data) => JSON.parse(data) as UIMessageChunk);
}

async function messageOf(chunks: UIMessageChunk[]): Promise<UIMessage> {
  const stream = new ReadableStream<UIMessageChunk>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
  let last: UIMessage | undefined;
  for await (const message of readUIMessageStream({ stream })) last = message;
  return last!;
}

const toolMessages = (request: FakeRequest) => request.messages.filter((message) => message.role === "tool");

describe("agent loop with an OpenAI-compatible model", () => {
  it("loads a CSV with run_python, plots a column, and the figure exists in the sandbox", async () => {
    const { server, model } = await fakeModel((request) => {
      const results = toolMessages(request);
      if (results.length === 0) {
        return {
          text: "Let me load the data.",
          toolCalls: [
            {
              name: "run_python",
              args: {
                code: "import pandas as pd\nimport matplotlib.pyplot as plt\nsales = pd.read_csv('sales.csv')\nsales.plot(x='month', y='revenue', title='Revenue')\nprint(sales['revenue'].mean())",
              },
            },
          ],
        };
      }
      if (results.length === 1) return { toolCalls: [{ name: "run_python", args: { code: "sales.groupby('region')['revenue'].sum()" } }] };
      return { text: `Average revenue is ${/stdout:\n([\d.]+)/.exec(textOf(results[0]))?.[1]}. See the chart.` };
    });
    const persisted: UIMessage[][] = [];
    const messages: UIMessage[] = [{ id: "u1", role: "user", parts: [{ type: "text", text: "Plot revenue over time" }] }];
    const run = await runAgent({ model, sandbox, kernel, messages, maxSteps: 6 });
    const response = run.toResponse({ onEnd: ({ messages: final }) => void persisted.push(final) });
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    expect(response.headers.get("x-vercel-ai-ui-message-stream")).toBe("v1");
    const chunks = await chunksOf(response);
    const message = await messageOf(chunks);

    // The model got the data-aware system prompt and the tools.
    const first = server.requests[0]!;
    expect(first.messages[0]?.role).toBe("system");
    expect(textOf(first.messages[0])).toContain("/workspace/sales.csv");
    expect(textOf(first.messages[0])).toContain("revenue (int64)");
    expect(first.tools?.map((t) => t.function.name).sort()).toEqual([
      "edit_file", "execute", "glob", "grep", "list_jobs", "ls", "read_file", "read_job_output", "run_python", "start_job", "stop_job", "write_file",
    ]);
    expect(first.stream).toBe(true);

    // The model reads text: stdout, figure path and what the chart shows, no image bytes.
    const toolResult = textOf(toolMessages(server.requests[1]!)[0]);
    expect(toolResult).toMatch(/^stdout:\n157\.5\n\nfigure saved: \/workspace\/figures\/.+\.png \(shown to the user\)\n {2}line chart "Revenue"; x: "month"/);
    expect(toolResult).toContain('"revenue" (line, 24 points): (0, 100), (1, 105)');
    expect(toolResult).not.toContain("iVBOR");
    expect(textOf(toolMessages(server.requests[2]!)[1])).toContain("table: 2 rows × 2 columns");

    // The UI part keeps the figure path and the table.
    const pythonParts = message.parts.filter((part) => part.type === "tool-run_python") as { state: string; output: { figures: { path: string }[]; tables: unknown[] } }[];
    expect(pythonParts.map((part) => part.state)).toEqual(["output-available", "output-available"]);
    const figurePath = pythonParts[0]!.output.figures[0]!.path;
    expect(pythonParts[1]!.output.tables[0]).toMatchObject({ columns: ["region", "revenue"], rows: [["EU", 1920], ["US", 1860]] });
    const png = await sandbox.readBytes(figurePath);
    expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
    expect((await sandbox.ls("figures")).entries.map((entry) => `/workspace/figures/${entry.name}`)).toContain(figurePath);

    expect(message.parts.at(-1)).toMatchObject({ type: "text", text: "Average revenue is 157.5. See the chart." });
    // onEnd hands the route the conversation to persist: the user message and the assistant's, JSON-safe.
    expect(persisted).toHaveLength(1);
    expect(persisted[0]!.map((m) => m.role)).toEqual(["user", "assistant"]);
    expect(JSON.parse(JSON.stringify(persisted[0]))).toEqual(persisted[0]);
  });

  it("says clearly when the step limit stops the turn", async () => {
    const { model } = await fakeModel((request) =>
      request.tools?.length ? { toolCalls: [{ name: "ls", args: {} }] } : { text: "I listed the files several times." },
    );
    const run = await runAgent({ model, sandbox, kernel, messages: [{ id: "u", role: "user", parts: [{ type: "text", text: "look around" }] }], maxSteps: 3 });
    const message = await messageOf(await chunksOf(run.toResponse()));
    const text = message.parts.flatMap((part) => (part.type === "text" ? [part.text] : [])).join("");
    expect(text).toContain("I listed the files several times.");
    expect(text).toContain("**Stopped: this answer reached the limit of 3 steps.**");
  });

  it("aborting the request interrupts a long kernel run and keeps the kernel's variables", async () => {
    await kernel.run("kept_value = 99");
    const { model } = await fakeModel(() => ({ toolCalls: [{ name: "run_python", args: { code: "import time\ntime.sleep(120)" } }] }));
    const controller = new AbortController();
    const run = await runAgent({
      model,
      sandbox,
      kernel,
      messages: [{ id: "u", role: "user", parts: [{ type: "text", text: "wait" }] }],
      abortSignal: controller.signal,
    });
    const started = Date.now();
    setTimeout(() => controller.abort(), 1_500);
    await chunksOf(run.toResponse());
    expect(Date.now() - started).toBeLessThan(15_000);
    // The kernel is free again (not sleeping out its two minutes) and kept its state.
    const after = await kernel.run("kept_value");
    expect(after).toMatchObject({ result: "99", restarted: false });
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});
