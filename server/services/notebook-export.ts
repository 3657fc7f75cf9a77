import type { RunPythonOutput } from "~/server/agent";
import { type ConversationStep, fileStepAsPython } from "./conversation-steps";

// A conversation as a Jupyter notebook (nbformat 4.5): the text as markdown
// cells, each step as a code cell with the outputs it had in the chat (printed
// text, errors, the last value, charts from the copies kept with the message).

type Output =
  | { output_type: "stream"; name: "stdout" | "stderr"; text: string[] }
  | { output_type: "execute_result"; execution_count: number | null; data: MimeBundle; metadata: Record<string, never> }
  | { output_type: "display_data"; data: MimeBundle; metadata: Record<string, never> }
  | { output_type: "error"; ename: string; evalue: string; traceback: string[] };
type MimeBundle = Record<string, unknown>;

type Cell =
  | { cell_type: "markdown"; id: string; metadata: Record<string, never>; source: string[] }
  | {
      cell_type: "code";
      id: string;
      metadata: Record<string, never>;
      source: string[];
      execution_count: number | null;
      outputs: Output[];
    };

/** The PNG kept for a figure of a message, base64, or null when there is none. */
export type FigureImages = (messageId: string, path: string) => string | null;

export function buildNotebook(input: {
  title: string;
  steps: ConversationStep[];
  dataFiles: string[];
  figureImage: FigureImages;
}): string {
  const cells: Cell[] = [];
  const markdown = (text: string) =>
    cells.push({ cell_type: "markdown", id: cellId(cells.length), metadata: {}, source: lines(text) });
  const code = (source: string, executionCount: number | null = null, outputs: Output[] = []) =>
    cells.push({
      cell_type: "code",
      id: cellId(cells.length),
      metadata: {},
      source: lines(source),
      execution_count: executionCount,
      outputs,
    });

  const header = [
    `# ${input.title}`,
    "",
    "Exported from Tidepool. The code ran in `/workspace`, the folder with your files.",
  ];
  if (input.dataFiles.length > 0)
    header.push("", "Data files it reads:", "", ...input.dataFiles.map((file) => `- \`${file}\``));
  markdown(header.join("\n"));
  for (const step of input.steps) {
    switch (step.type) {
      case "text":
        markdown(step.role === "user" ? `**You:** ${step.text}` : step.text);
        break;
      case "python":
        code(
          step.code,
          step.output?.executionCount ?? null,
          step.output ? outputsOf(step.messageId, step.output, input.figureImage) : [],
        );
        break;
      case "shell":
        code(`%%bash\n${step.command}`);
        break;
      default:
        code(fileStepAsPython(step));
    }
  }
  const notebook = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: { name: "python3", display_name: "Python 3", language: "python" },
      language_info: { name: "python", file_extension: ".py", mimetype: "text/x-python" },
    },
    cells,
  };
  return `${JSON.stringify(notebook, null, 1)}\n`;
}

function outputsOf(messageId: string, output: RunPythonOutput, figureImage: FigureImages): Output[] {
  const outputs: Output[] = [];
  if (output.stdout) outputs.push({ output_type: "stream", name: "stdout", text: lines(output.stdout) });
  if (output.stderr) outputs.push({ output_type: "stream", name: "stderr", text: lines(output.stderr) });
  for (const display of output.displays ?? []) {
    const data: MimeBundle = { "text/plain": lines(display.text) };
    if (display.kind === "image") {
      const image = figureImage(messageId, display.path);
      if (image) data[display.mime] = image;
    } else if (display.kind === "html") data["text/html"] = lines(display.html);
    else if (display.kind === "markdown") data["text/markdown"] = lines(display.markdown);
    else if (display.kind === "svg") data["image/svg+xml"] = lines(display.svg);
    else if (display.kind === "latex") data["text/latex"] = lines(display.latex);
    else if (display.kind === "json") data["application/json"] = display.json;
    outputs.push(
      display.source === "result"
        ? { output_type: "execute_result", execution_count: output.executionCount, data, metadata: {} }
        : { output_type: "display_data", data, metadata: {} },
    );
  }
  const resultShown = (output.displays ?? []).some((display) => display.source === "result");
  if (output.result !== undefined && !resultShown) {
    outputs.push({
      output_type: "execute_result",
      execution_count: output.executionCount,
      data: { "text/plain": lines(output.result) },
      metadata: {},
    });
  }
  for (const figure of output.figures) {
    const image = figureImage(messageId, figure.path);
    const data: MimeBundle = { "text/plain": [`<Figure ${figure.path}>`] };
    if (image) data["image/png"] = image;
    outputs.push({ output_type: "display_data", data, metadata: {} });
  }
  if (output.error) {
    outputs.push({
      output_type: "error",
      ename: output.error.name,
      evalue: output.error.value,
      traceback: output.error.traceback.split("\n"),
    });
  }
  return outputs;
}

/** Notebook text: a list of lines, each but the last ending in a newline. */
function lines(text: string): string[] {
  return text.split(/(?<=\n)/);
}

function cellId(index: number): string {
  return `cell-${index + 1}`;
}
