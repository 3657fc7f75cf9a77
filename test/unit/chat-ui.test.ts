import { APICallError } from "ai";
import { describe, expect, it } from "vitest";
import { describeChatError } from "~/app/workspace/chat/_lib/chat-errors";
import { highlight } from "~/app/workspace/chat/_lib/highlight";
import { isStepLimitNote, stepStatus, type ToolPart } from "~/app/workspace/chat/_lib/tool-parts";
import { stepLimitNotice } from "~/server/agent/run-agent";

// The chat UI's pure pieces: the code highlighter, how request errors read,
// and where a tool step stands.

const kinds = (code: string, language: Parameters<typeof highlight>[1]) =>
  highlight(code, language).map((line) => line.filter((token) => token.kind !== "plain").map((token) => `${token.kind}:${token.text}`));

describe("highlight", () => {
  it("colours Python keywords, strings, comments, numbers, calls and definitions, line by line", () => {
    const code = 'import pandas as pd\ndef load(path="a.csv"):\n    # read it\n    return pd.read_csv(f"{path}"), 1.5e3, None';
    expect(kinds(code, "python")).toEqual([
      ["keyword:import", "keyword:as"],
      ["keyword:def", "function:load", 'string:"a.csv"'],
      ["comment:# read it"],
      ["keyword:return", "function:read_csv", 'string:f"{path}"', "number:1.5e3", "constant:None"],
    ]);
  });

  it("keeps a triple-quoted string across lines and keeps every character", () => {
    const code = 'x = """one\ntwo"""\ny = 2';
    const lines = highlight(code, "python");
    expect(lines.map((line) => line.map((token) => token.text).join("")).join("\n")).toBe(code);
    expect(lines[1]?.[0]).toEqual({ kind: "string", text: 'two"""' });
  });

  it("colours shell commands, flags, variables and comments", () => {
    expect(kinds("wc -l $FILE | sort -n # count", "shell")).toEqual([
      ["function:wc", "property:-l", "variable:$FILE", "function:sort", "property:-n", "comment:# count"],
    ]);
  });

  it("leaves unknown languages plain", () => {
    expect(kinds("SELECT 1", "text")).toEqual([[]]);
  });
});

function apiError(status: number, body: unknown) {
  return new APICallError({ message: "x", url: "/api/chat", requestBodyValues: undefined, statusCode: status, responseBody: JSON.stringify(body) });
}

describe("describeChatError", () => {
  it("recognises the missing model and keeps the server's advice", () => {
    const message = "No AI model is configured yet. An admin can set one in Admin → Settings.";
    const problem = describeChatError(apiError(412, { error: { code: "PRECONDITION_FAILED", message } }));
    expect(problem).toMatchObject({ kind: "no-model", message, refused: true });
  });

  it("tells a busy agent and a rate limit apart, both refused before saving", () => {
    expect(describeChatError(apiError(409, { error: { message: "still answering" } }))).toMatchObject({ kind: "busy", refused: true });
    expect(describeChatError(apiError(429, { error: { message: "slow down" } }))).toMatchObject({ kind: "rate-limited", refused: true });
  });

  it("shows an error from inside the stream as the route described it", () => {
    expect(describeChatError(new Error("The model provider returned an error (HTTP 500): boom"))).toMatchObject({
      kind: "failed",
      message: "The model provider returned an error (HTTP 500): boom",
      refused: false,
    });
  });
});

describe("stepStatus", () => {
  const python = (extra: Record<string, unknown>) =>
    ({ type: "tool-run_python", toolCallId: "c1", state: "output-available", input: { code: "1" }, ...extra }) as unknown as ToolPart;
  const output = { ok: true, text: "", stdout: "", stderr: "", figures: [], tables: [], files: [], durationMs: 1, interrupted: false, timedOut: false, restarted: false, truncated: false };

  it("reads live output as running, and as stopped once its turn is over", () => {
    const live = python({ preliminary: true, output: { ...output, running: true } });
    expect(stepStatus(live)).toBe("running");
    expect(stepStatus(live, false)).toBe("stopped");
  });

  it("reads a Python exception and a tool failure as failed, an interrupt as stopped", () => {
    expect(stepStatus(python({ output: { ...output, error: { name: "ValueError", value: "bad", traceback: "" } } }))).toBe("failed");
    expect(stepStatus(python({ output: { ok: false, text: "Error: no such file", code: "file_not_found" } }))).toBe("failed");
    expect(stepStatus(python({ output: { ...output, interrupted: true } }))).toBe("stopped");
    expect(stepStatus(python({ output }))).toBe("done");
  });

  it("reads a non-zero exit code as failed", () => {
    const part = { type: "tool-execute", toolCallId: "c2", state: "output-available", input: { command: "false" }, output: { ok: true, text: "", exitCode: 1, timedOut: false, truncated: false, durationMs: 3 } };
    expect(stepStatus(part as unknown as ToolPart)).toBe("failed");
  });
});

describe("isStepLimitNote", () => {
  it("recognises the note the agent appends at the step limit", () => {
    expect(isStepLimitNote(stepLimitNotice(25))).toBe(true);
    expect(isStepLimitNote("Stopped early because the data was empty.")).toBe(false);
  });
});
