import type { ConsoleUIMessage } from "~/server/agent/run-agent";
import type { ExecuteOutput, FileToolOutput, RunPythonOutput, ToolFailure } from "~/server/agent/tool-output";

// The parts of an assistant message, as the chat route streams and stores
// them: text (markdown) and one part per tool call, typed by tool.

export type ChatMessage = ConsoleUIMessage;
export type ChatPart = ChatMessage["parts"][number];
export type ToolPart = Extract<ChatPart, { type: `tool-${string}` }>;
export type ToolName = ToolPart["type"] extends `tool-${infer Name}` ? Name : never;
export type ToolPartOf<Name extends ToolName> = Extract<ToolPart, { type: `tool-${Name}` }>;

export type RunPythonPart = ToolPartOf<"run_python">;
export type ExecutePart = ToolPartOf<"execute">;
export type FileToolPart = ToolPartOf<"ls" | "read_file" | "write_file" | "edit_file" | "glob" | "grep">;
export type { ExecuteOutput, FileToolOutput, RunPythonOutput, ToolFailure };

export function isToolPart(part: ChatPart): part is ToolPart {
  return part.type.startsWith("tool-");
}

export function toolNameOf(part: ToolPart): ToolName {
  return part.type.slice("tool-".length) as ToolName;
}

/** Where a tool call stands, for its badge and for whether it opens by itself. */
export type StepStatus = "preparing" | "running" | "done" | "failed" | "stopped" | "timed-out";

/** Output while the tool runs (preliminary) or when it is done; undefined before. */
export function outputOf<P extends ToolPart>(part: P): P extends { output?: infer O } ? O | undefined : undefined {
  return ("output" in part ? part.output : undefined) as never;
}

/**
 * Where a step stands. `active`: its turn is still streaming; a step left
 * running or half-written when the turn ended (Stop, a dropped connection) was stopped.
 */
export function stepStatus(part: ToolPart, active = true): StepStatus {
  const status = rawStatus(part);
  return !active && (status === "running" || status === "preparing") ? "stopped" : status;
}

function rawStatus(part: ToolPart): StepStatus {
  if (part.state === "input-streaming" || part.state === "input-available") return "output" in part && part.output ? "running" : "preparing";
  if (part.state === "output-error") return "failed";
  if (part.state !== "output-available") return "preparing";
  const output = part.output as { ok: boolean; running?: boolean; timedOut?: boolean; interrupted?: boolean; error?: unknown; exitCode?: number };
  if (part.preliminary || output.running) return "running";
  if (!output.ok) return "failed";
  if (output.timedOut) return "timed-out";
  if (output.interrupted) return "stopped";
  if (output.error) return "failed";
  if (typeof output.exitCode === "number" && output.exitCode !== 0) return "failed";
  return "done";
}

/** A finished tool call that may have changed files in the workspace (so the file tree should refresh). */
export function changedFiles(part: ToolPart): boolean {
  if (part.state !== "output-available" || part.preliminary) return false;
  const name = toolNameOf(part);
  if (name === "write_file" || name === "edit_file" || name === "execute") return part.output.ok;
  if (name === "run_python") {
    const output = part.output as RunPythonOutput | ToolFailure;
    return output.ok && (output.figures.length > 0 || output.files.length > 0 || (output.displays ?? []).some((display) => display.kind === "image"));
  }
  return false;
}

/** The text answer parts and the closing note when the turn hit its step limit. */
export function isStepLimitNote(text: string): boolean {
  return /^\s*(?:---\s*)?\*\*Stopped: this answer reached the limit of \d+ steps\.\*\*/.test(text);
}

export function textOf(message: ChatMessage): string {
  return message.parts.flatMap((part) => (part.type === "text" ? [part.text] : [])).join("\n");
}
