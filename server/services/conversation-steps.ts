import type { UIMessage } from "ai";
import type { RunPythonOutput, ToolFailure } from "~/server/agent";

// A conversation read as a notebook would be: text to read, and the steps that
// changed state in the sandbox (Python, shell commands, file writes), in order.
// Steps that only looked (ls, read_file, grep) are left out; they change nothing.

export type ConversationStep =
  | { type: "text"; role: "user" | "assistant"; text: string }
  | { type: "python"; messageId: string; code: string; output: RunPythonOutput | null }
  | { type: "shell"; command: string }
  | { type: "write"; path: string; content: string }
  | { type: "edit"; path: string; oldText: string; newText: string; replaceAll: boolean };

type ToolPart = {
  type: string;
  state?: string;
  input?: Record<string, unknown>;
  output?: unknown;
  preliminary?: boolean;
};

const text = (value: unknown): string | null => (typeof value === "string" ? value : null);

export function conversationSteps(messages: UIMessage[]): ConversationStep[] {
  const steps: ConversationStep[] = [];
  for (const message of messages) {
    if (message.role !== "user" && message.role !== "assistant") continue;
    for (const raw of message.parts) {
      if (raw.type === "text") {
        if (!raw.text.trim()) continue;
        const last = steps.at(-1);
        // Text split around steps that were left out reads as one passage.
        if (last?.type === "text" && last.role === message.role) last.text += `\n\n${raw.text.trim()}`;
        else steps.push({ type: "text", role: message.role, text: raw.text.trim() });
        continue;
      }
      const part = raw as ToolPart;
      const input = part.input ?? {};
      // A step cut short before its input was complete never ran.
      if (part.state === "input-streaming" || !part.input) continue;
      switch (part.type) {
        case "tool-run_python": {
          const code = text(input.code);
          if (code === null) continue;
          const output =
            part.state === "output-available" && !part.preliminary
              ? (part.output as RunPythonOutput | ToolFailure)
              : null;
          steps.push({ type: "python", messageId: message.id, code, output: output?.ok ? output : null });
          break;
        }
        case "tool-execute": {
          const command = text(input.command);
          if (command !== null) steps.push({ type: "shell", command });
          break;
        }
        case "tool-write_file": {
          const path = text(input.path);
          const content = text(input.content);
          if (path !== null && content !== null) steps.push({ type: "write", path, content });
          break;
        }
        case "tool-edit_file": {
          const path = text(input.path);
          const oldText = text(input.old_string);
          const newText = text(input.new_string);
          if (path !== null && oldText !== null && newText !== null)
            steps.push({ type: "edit", path, oldText, newText, replaceAll: input.replace_all === true });
          break;
        }
      }
    }
  }
  return steps;
}

/** A step that writes or edits a file, as Python (runs in a notebook and in a script alike). */
export function fileStepAsPython(step: Extract<ConversationStep, { type: "write" | "edit" }>): string {
  const path = pythonString(step.path);
  if (step.type === "write")
    return `from pathlib import Path\n\nPath(${path}).parent.mkdir(parents=True, exist_ok=True)\nPath(${path}).write_text(${pythonString(step.content)})`;
  const count = step.replaceAll ? "" : ", 1";
  return `from pathlib import Path\n\n_path = Path(${path})\n_path.write_text(_path.read_text().replace(${pythonString(step.oldText)}, ${pythonString(step.newText)}${count}))`;
}

/** A Python string literal for any text (JSON's escapes are Python's too). */
export function pythonString(value: string): string {
  return JSON.stringify(value);
}

/**
 * Data files the conversation read: file names quoted in its code, and the
 * files its tools were pointed at, without the files it wrote itself.
 */
export function dataFilesOf(messages: UIMessage[], steps: ConversationStep[]): string[] {
  const written = new Set<string>();
  const read = new Set<string>();
  for (const step of steps) {
    if (step.type === "write") written.add(step.path);
    if (step.type === "python") {
      for (const file of step.output?.files ?? []) written.add(file);
      for (const figure of step.output?.figures ?? []) written.add(figure.path);
      for (const match of step.code.matchAll(DATA_FILE_LITERAL)) if (match[2]) read.add(match[2]);
    }
    if (step.type === "shell")
      for (const match of step.command.matchAll(DATA_FILE_WORD)) if (match[1]) read.add(match[1]);
  }
  for (const message of messages) {
    for (const part of message.parts as ToolPart[]) {
      if (part.type === "tool-read_file" && typeof part.input?.path === "string") read.add(part.input.path);
    }
  }
  const isWritten = (file: string) => written.has(file) || written.has(`/workspace/${file.replace(/^\.?\//, "")}`);
  return [...read].filter((file) => !isWritten(file)).sort();
}

const DATA_EXTENSIONS = "csv|tsv|txt|json|jsonl|xlsx|xls|parquet|feather|pkl|pickle|sqlite|db|xml|h5|npy|npz|zip|gz";
const DATA_FILE_LITERAL = new RegExp(`(["'])([^"'\\n]+\\.(?:${DATA_EXTENSIONS}))\\1`, "gi");
const DATA_FILE_WORD = new RegExp(`(?:^|\\s)([\\w./-]+\\.(?:${DATA_EXTENSIONS}))(?=\\s|$)`, "gi");
