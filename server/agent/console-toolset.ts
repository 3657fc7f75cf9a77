import { tool } from "ai";
import { z } from "zod";
import { type DockerSandbox, kernelFor, type PythonKernel, SandboxError } from "~/server/sandbox";
import { findChangedFiles } from "./changed-files";
import { createJobTools } from "./job-tools";
import { withLiveOutput } from "./live-output";
import {
  type ExecuteOutput,
  type FileToolOutput,
  formatExecute,
  formatGlob,
  formatGrep,
  formatListing,
  formatRunPython,
  runningExecute,
  runningPython,
  type RunPythonOutput,
  type ToolFailure,
} from "./tool-output";

// The console toolset (the seeds' create_console_toolset): file tools,
// execute and run_python, background jobs (job-tools.ts), bound to one
// user's sandbox and kernel. A factory over request context: nothing global,
// and every path goes through the sandbox, which keeps it under /workspace.
// Failures come back as text the model can act on; the UI gets structured
// outputs (see tool-output.ts).

export type Artifact = { kind: "figure" | "file"; path: string };

/** What the tools use of a sandbox; any DockerSandbox, whatever its runtime type. */
export type ConsoleSandbox = Pick<
  DockerSandbox,
  "workDir" | "resolvePath" | "ls" | "read" | "readBytes" | "write" | "edit" | "glob" | "grep" | "execute" | "run" | "spawn" | "whileActive"
  | "startJob" | "jobs" | "jobOutput" | "stopJob"
>;

export type ConsoleToolsetOptions = {
  sandbox: ConsoleSandbox;
  /** The sandbox's kernel. Default: kernelFor(sandbox). */
  kernel?: PythonKernel;
  /** Called for each figure the kernel saved and each file the agent wrote. */
  onArtifact?: (artifact: Artifact) => void | Promise<void>;
  /** execute/run_python timeout when the model gives none. Default 120 000 ms. */
  defaultTimeoutMs?: number;
  /** Upper bound for a timeout the model asks for. Default 600 000 ms. */
  maxTimeoutMs?: number;
  /** The sandbox's runtime lets it reach the network (its `network` setting); otherwise offline failures get a hint. Default false. */
  networkAllowed?: boolean;
  /** Unexpected (non-sandbox) errors, for logging; the model gets a short message. */
  onUnexpectedError?: (error: unknown, toolName: string) => void;
  /** The model accepts images: run_python results also carry the charts' PNGs (see model-vision.ts). Default false. */
  sendImages?: boolean;
};

/** At most this many images go to the model with one run_python result (the rest only as text). */
const MAX_IMAGES_PER_RESULT = 4;

/** read_file output past this many characters is cut (the model can page with offset/limit). */
const MAX_READ_CHARS = 100_000;

export function createConsoleToolset(options: ConsoleToolsetOptions) {
  const { sandbox } = options;
  const kernel = options.kernel ?? kernelFor(sandbox);
  const defaultTimeoutMs = options.defaultTimeoutMs ?? 120_000;
  const maxTimeoutMs = options.maxTimeoutMs ?? 600_000;
  const networkAllowed = options.networkAllowed ?? false;
  const timeoutFor = (seconds: number | undefined) =>
    seconds === undefined ? defaultTimeoutMs : Math.min(Math.max(1, seconds) * 1000, maxTimeoutMs);

  const artifact = async (kind: Artifact["kind"], path: string) => {
    await options.onArtifact?.({ kind, path });
  };

  /** Runs a tool body; sandbox errors and crashes become a failure the model reads. */
  async function guarded<T>(toolName: string, body: () => Promise<T>): Promise<T | ToolFailure> {
    try {
      return await body();
    } catch (error) {
      if (error instanceof SandboxError) return { ok: false, text: `Error: ${error.message}`, code: error.code };
      options.onUnexpectedError?.(error, toolName);
      return { ok: false, text: `Error: ${toolName} failed unexpectedly. Try again, or try another way.`, code: "unexpected" };
    }
  }

  const modelView = (output: { ok: boolean; text: string }) =>
    output.ok ? { type: "text" as const, value: output.text } : { type: "error-text" as const, value: output.text };

  // The images of each run_python call, for the model's view of its result. Only
  // within this turn: stored messages keep paths, so later turns send text alone.
  const imagesByCall = new Map<string, { data: string; mediaType: string }[]>();
  const pythonModelView = (toolCallId: string, output: RunPythonOutput | ToolFailure) => {
    const images = output.ok ? imagesByCall.get(toolCallId) : undefined;
    if (!images?.length) return modelView(output);
    return {
      type: "content" as const,
      value: [{ type: "text" as const, text: output.text }, ...images.map((image) => ({ type: "image-data" as const, ...image }))],
    };
  };

  const path = z.string().min(1).describe("Path under /workspace (absolute, or relative to /workspace).");
  const timeoutSeconds = z
    .number()
    .positive()
    .optional()
    .describe(`Timeout in seconds (default ${defaultTimeoutMs / 1000}, at most ${maxTimeoutMs / 1000}).`);

  return {
    ls: tool({
      description: "List a directory in the workspace: folders end with '/', files show their size.",
      inputSchema: z.object({ path: path.optional().describe("Directory; default /workspace.") }),
      execute: ({ path: dir }): Promise<FileToolOutput | ToolFailure> =>
        guarded("ls", async () => {
          const target = sandbox.resolvePath(dir ?? ".");
          return formatListing(target, await sandbox.ls(target));
        }),
      toModelOutput: ({ output }) => modelView(output),
    }),

    read_file: tool({
      description:
        "Read a text file (or a PDF's text) with numbered lines. Use offset (0-based first line) and limit to page through large files. For data files prefer run_python with pandas.",
      inputSchema: z.object({
        path,
        offset: z.number().int().min(0).optional().describe("First line to show, 0-based. Default 0."),
        limit: z.number().int().min(1).max(2000).optional().describe("Number of lines. Default 2000."),
      }),
      execute: ({ path: file, offset, limit }): Promise<FileToolOutput | ToolFailure> =>
        guarded("read_file", async () => {
          const text = await sandbox.read(file, { offset, limit });
          return { ok: true, text: capText(text, offset ?? 0), path: sandbox.resolvePath(file) };
        }),
      toModelOutput: ({ output }) => modelView(output),
    }),

    write_file: tool({
      description: "Create or overwrite a file with the given text (parent folders are created).",
      inputSchema: z.object({ path, content: z.string().describe("The full file content.") }),
      execute: ({ path: file, content }): Promise<FileToolOutput | ToolFailure> =>
        guarded("write_file", async () => {
          const written = await sandbox.write(file, content);
          await artifact("file", written.path);
          return { ok: true, text: `Wrote ${written.bytes ?? Buffer.byteLength(content)} bytes to ${written.path}.`, path: written.path };
        }),
      toModelOutput: ({ output }) => modelView(output),
    }),

    edit_file: tool({
      description:
        "Replace old_string with new_string in a file. old_string must match exactly (whitespace included) and be unique unless replace_all is true; include surrounding lines to make it unique.",
      inputSchema: z.object({
        path,
        old_string: z.string().min(1).describe("Exact text to replace."),
        new_string: z.string().describe("Replacement text."),
        replace_all: z.boolean().optional().describe("Replace every occurrence. Default false."),
      }),
      execute: ({ path: file, old_string, new_string, replace_all }): Promise<FileToolOutput | ToolFailure> =>
        guarded("edit_file", async () => {
          const edited = await sandbox.edit(file, old_string, new_string, { replaceAll: replace_all ?? false });
          await artifact("file", edited.path);
          const times = edited.occurrences === 1 ? "1 occurrence" : `${edited.occurrences} occurrences`;
          return { ok: true, text: `Replaced ${times} in ${edited.path}.`, path: edited.path };
        }),
      toModelOutput: ({ output }) => modelView(output),
    }),

    glob: tool({
      description: "Find files by name pattern, e.g. '*.csv', '**/*.py', 'data/*.json'. Hidden folders are skipped.",
      inputSchema: z.object({ pattern: z.string().min(1), path: path.optional().describe("Folder to search; default /workspace.") }),
      execute: ({ pattern, path: dir }): Promise<FileToolOutput | ToolFailure> =>
        guarded("glob", async () => formatGlob(pattern, await sandbox.glob(pattern, { path: dir }))),
      toModelOutput: ({ output }) => modelView(output),
    }),

    grep: tool({
      description: "Search file contents for a pattern (extended regex unless fixed_strings). Returns path:line: text.",
      inputSchema: z.object({
        pattern: z.string().min(1),
        path: path.optional().describe("File or folder; default /workspace."),
        glob: z.string().optional().describe("Only files whose name matches, e.g. '*.py'."),
        ignore_case: z.boolean().optional(),
        fixed_strings: z.boolean().optional().describe("Treat the pattern as plain text."),
      }),
      execute: ({ pattern, path: dir, glob, ignore_case, fixed_strings }): Promise<FileToolOutput | ToolFailure> =>
        guarded("grep", async () =>
          formatGrep(pattern, await sandbox.grep(pattern, { path: dir, glob, ignoreCase: ignore_case, fixedStrings: fixed_strings })),
        ),
      toModelOutput: ({ output }) => modelView(output),
    }),

    execute: tool({
      description:
        "Run a shell command in the sandbox (working directory /workspace) and get its output and exit code. Each call is a fresh shell: use run_python for analysis that builds on earlier steps.",
      inputSchema: z.object({ command: z.string().min(1), timeout_seconds: timeoutSeconds }),
      execute: ({ command, timeout_seconds }, { abortSignal }) =>
        withLiveOutput<ExecuteOutput | ToolFailure>(
          (onOutput) =>
            guarded("execute", async () => {
              const timeoutMs = timeoutFor(timeout_seconds);
              const startedAt = Date.now();
              const result = await sandbox.execute(command, { timeoutMs, signal: abortSignal, onOutput });
              if (options.onArtifact) {
                for (const file of await findChangedFiles(sandbox, startedAt)) await artifact("file", file);
              }
              return formatExecute(result, { timeoutMs, networkAllowed });
            }),
          runningExecute,
        ),
      toModelOutput: ({ output }) => modelView(output),
    }),

    run_python: tool({
      description: [
        "Run Python in a persistent kernel, like a Jupyter notebook: variables, imports and loaded data stay between calls, so load data once and build on it.",
        "The value of the last expression is shown (a DataFrame also appears to the user as a table).",
        "Open matplotlib/seaborn figures are saved under /workspace/figures and shown to the user after each call; no need to savefig.",
        "display(x) shows x to the user like a notebook (DataFrames as tables; PIL images, img.show() and objects with _repr_html_/_repr_png_/_repr_svg_/_repr_markdown_ in their rich form).",
        "Notebook syntax works: !command lines, %%bash cells, top-level await.",
        "Working directory /workspace. Prefer this over execute for data work.",
      ].join(" "),
      inputSchema: z.object({ code: z.string().min(1).describe("Python source."), timeout_seconds: timeoutSeconds }),
      execute: ({ code, timeout_seconds }, { abortSignal, toolCallId }) =>
        withLiveOutput<RunPythonOutput | ToolFailure>(
          (onOutput) =>
            guarded("run_python", async () => {
              const timeoutMs = timeoutFor(timeout_seconds);
              const result = await kernel.run(code, { timeoutMs, signal: abortSignal, onOutput });
              if (options.sendImages) {
                const images = [
                  ...result.figures.map((figure) => ({ data: figure.pngBase64, mediaType: "image/png" })),
                  ...result.displays.flatMap((display) => (display.image ? [{ data: display.image.base64, mediaType: display.image.mime }] : [])),
                ];
                imagesByCall.set(toolCallId, images.slice(0, MAX_IMAGES_PER_RESULT));
              }
              for (const figure of result.figures) await artifact("figure", figure.path);
              for (const display of result.displays) if (display.image) await artifact("figure", display.image.path);
              for (const file of result.files) await artifact("file", file);
              return formatRunPython(result, { timeoutMs, networkAllowed });
            }),
          runningPython,
        ),
      toModelOutput: ({ toolCallId, output }) => pythonModelView(toolCallId, output),
    }),

    ...createJobTools(sandbox, guarded, modelView),
  };
}

export type ConsoleToolset = ReturnType<typeof createConsoleToolset>;
export type ConsoleToolName = keyof ConsoleToolset;

function capText(text: string, offset: number): string {
  if (text.length <= MAX_READ_CHARS) return text;
  const cut = text.slice(0, MAX_READ_CHARS);
  const lastNewline = cut.lastIndexOf("\n");
  const kept = lastNewline > 0 ? cut.slice(0, lastNewline) : cut;
  const shownLines = kept.split("\n").length;
  return `${kept}\n\n[... output cut at ${MAX_READ_CHARS} characters. Use offset=${offset + shownLines} to read more, or a smaller limit.]`;
}
