import { describe, expect, it } from "vitest";
import type { DockerSandbox, PythonKernel } from "~/server/sandbox";
import { finalMessage, lastToolResultText, scriptedModel } from "~/test/fixtures/scripted-model";
import { runAgent, stepLimitNotice } from "./run-agent";

// The runner with a scripted model and a stand-in sandbox that only lists a
// folder: the step limit, the final note, and what the model is told.

const sandbox = {
  workDir: "/workspace",
  runtime: null,
  resolvePath: (path: string) => (path === "." ? "/workspace" : path),
  ls: () => Promise.resolve({ entries: [{ name: "a.csv", path: "/workspace/a.csv", isDir: false, type: "file", size: 10, modifiedMs: 0 }], truncated: false }),
} as unknown as DockerSandbox;
/** A kernel with no variables from earlier runs (none found in the sandbox). */
const kernel = { resume: () => Promise.resolve(true) } as unknown as PythonKernel;
const question = [{ id: "u1", role: "user" as const, parts: [{ type: "text" as const, text: "what is here?" }] }];

describe("runAgent", () => {
  it("runs tools and streams the answer as a UI message with tool parts", async () => {
    const model = scriptedModel((call, index) =>
      index === 0 ? { toolCalls: [{ name: "ls", input: {} }] } : { text: `I see: ${lastToolResultText(call)}` },
    );
    const run = await runAgent({ model, sandbox, kernel, messages: question, files: null });
    const message = await finalMessage(run.toUIMessageStream());
    expect(message.role).toBe("assistant");
    const tool = message.parts.find((part) => part.type === "tool-ls");
    expect(tool).toMatchObject({ state: "output-available", output: { ok: true, text: "a.csv  (10 B)" } });
    expect(message.parts.at(-1)).toMatchObject({ type: "text", text: "I see: a.csv  (10 B)" });
    expect(await run.stepLimitReached).toBe(false);
    expect(run.system).toContain("## What persists");
  });

  it("forces a final answer on the last step and says clearly that the step limit was reached", async () => {
    // A model that would call tools forever.
    const model = scriptedModel((call) => (call.tools?.length ? { toolCalls: [{ name: "ls", input: {} }] } : { text: "Summary so far." }));
    const run = await runAgent({ model, sandbox, kernel, messages: question, files: null, maxSteps: 3 });
    const message = await finalMessage(run.toUIMessageStream());
    expect(model.doStreamCalls).toHaveLength(3);
    expect(model.doStreamCalls[2]?.tools ?? []).toEqual([]);
    expect(await run.stepLimitReached).toBe(true);
    const text = message.parts.flatMap((part) => (part.type === "text" ? [part.text] : [])).join("");
    expect(text).toBe(`Summary so far.${stepLimitNotice(3)}`);
    expect(text).toContain("reached the limit of 3 steps");
  });

  it("adds the note even when the model keeps calling tools on its last step", async () => {
    const model = scriptedModel(() => ({ toolCalls: [{ name: "ls", input: {} }] }));
    const run = await runAgent({ model, sandbox, kernel, messages: question, files: null, maxSteps: 2 });
    const message = await finalMessage(run.toUIMessageStream());
    expect(message.parts.at(-1)).toMatchObject({ type: "text", text: stepLimitNotice(2) });
  });

  it("tells the model the kernel was reset when earlier turns used Python and the sandbox has no kernel with their variables", async () => {
    const history = [
      ...question,
      {
        id: "a1",
        role: "assistant" as const,
        parts: [
          {
            type: "tool-run_python" as const,
            toolCallId: "c1",
            state: "output-available" as const,
            input: { code: "df = 1" },
            output: { ok: true, text: "(no output)" },
          },
        ],
      },
      { id: "u2", role: "user" as const, parts: [{ type: "text" as const, text: "and now?" }] },
    ];
    const model = scriptedModel([{ text: "ok" }]);
    const run = await runAgent({ model, sandbox, kernel, messages: history, files: null });
    await finalMessage(run.toUIMessageStream());
    expect(run.system).toContain("variables from those messages are gone");
    // The earlier tool result reaches the model as its text view.
    expect(JSON.stringify(model.doStreamCalls[0]?.prompt)).toContain("(no output)");
  });
});
