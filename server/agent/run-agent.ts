import {
  APICallError,
  convertToModelMessages,
  createUIMessageStream,
  createUIMessageStreamResponse,
  type InferUITools,
  isStepCount,
  type LanguageModel,
  streamText,
  toUIMessageStream,
  type UIDataTypes,
  type UIMessage,
  type UIMessageChunk,
  type UIMessageStreamOnEndCallback,
} from "ai";
import { kernelFor, type PythonKernel, type RuntimeConfig } from "~/server/sandbox";
import { type Artifact, type ConsoleSandbox, type ConsoleToolset, type ConsoleToolsetOptions, createConsoleToolset } from "./console-toolset";
import { AgentError } from "./errors";
import { buildSystemPrompt } from "./system-prompt";
import { describeWorkspaceFiles, type WorkspaceDescription } from "./workspace-files";

// One agent turn for the chat route: the system prompt (runtime, persistence
// contract, the user's files), the console toolset on the user's sandbox and
// kernel, and a step limit. The route turns the result into a UI message
// stream response with toResponse() (or toUIMessageStream() to persist).

export type ConsoleUIMessage = UIMessage<unknown, UIDataTypes, InferUITools<ConsoleToolset>>;

export type RunAgentOptions = {
  model: LanguageModel;
  /** The user's sandbox (a DockerSandbox of any runtime type). */
  sandbox: ConsoleSandbox & { readonly runtime?: unknown };
  /** Default: kernelFor(sandbox), the sandbox's persistent kernel. */
  kernel?: PythonKernel;
  /** The whole conversation as UI messages, the new user message last. */
  messages: UIMessage[];
  onArtifact?: (artifact: Artifact) => void | Promise<void>;
  /** Aborting stops the model and interrupts a running command or kernel run. */
  abortSignal?: AbortSignal;
  /** Model calls per turn (each tool round is one). Default 25. */
  maxSteps?: number;
  /** Default: the sandbox's runtime when it is a full RuntimeConfig. */
  runtime?: RuntimeConfig | null;
  /** Precomputed file summaries; by default describeWorkspaceFiles(sandbox) runs now. */
  files?: WorkspaceDescription | null;
  /** Admin-configured instructions appended to the system prompt. */
  extraInstructions?: string;
  /** Timeouts, error hooks and whether the model gets chart images (sendImages) for the tools. */
  toolOptions?: Pick<ConsoleToolsetOptions, "defaultTimeoutMs" | "maxTimeoutMs" | "onUnexpectedError" | "sendImages">;
};

export type AgentStreamOptions = {
  /** For persistence: the messages the response extends (default: the run's messages). */
  originalMessages?: UIMessage[];
  /** Called once with the final UI messages (the assistant message with its tool parts included). */
  onEnd?: UIMessageStreamOnEndCallback<UIMessage>;
  generateMessageId?: () => string;
  /** Text shown for an error; default: a short, safe description. */
  onError?: (error: unknown) => string;
};

/** What runAgent returns: the streamText result, the tools, and ways to stream it to the UI. */
export type AgentRun = Awaited<ReturnType<typeof runAgent>>;

export const DEFAULT_MAX_STEPS = 25;

const FINAL_STEP_INSTRUCTION = `This is your last step for this message: you cannot call tools now. Summarise what you found and did so far, say clearly that you stopped because you reached the step limit, and say what is left to do.`;

export function stepLimitNotice(maxSteps: number): string {
  return `\n\n---\n**Stopped: this answer reached the limit of ${maxSteps} steps.** The work so far is above; reply "continue" to carry on.`;
}

export async function runAgent(options: RunAgentOptions) {
  const maxSteps = options.maxSteps ?? DEFAULT_MAX_STEPS;
  if (!Number.isInteger(maxSteps) || maxSteps < 1) throw new AgentError("invalid_max_steps", "maxSteps must be a positive integer.");
  const { sandbox } = options;
  const kernel = options.kernel ?? kernelFor(sandbox);
  const runtime = options.runtime === undefined ? asRuntimeConfig(sandbox.runtime) : options.runtime;
  const tools = createConsoleToolset({ sandbox, kernel, onArtifact: options.onArtifact, networkAllowed: runtime?.network ?? false, ...options.toolOptions });

  const files = options.files === undefined ? await describeWorkspaceFiles(sandbox) : options.files;
  const usedPython = options.messages.some((message) => message.parts.some((part) => part.type === "tool-run_python"));
  const system = buildSystemPrompt({
    runtime,
    files,
    workDir: sandbox.workDir,
    // Asked only when the chat used Python: said here, the loss is not repeated by the next run.
    kernelReset: usedPython && (await kernel.resume()),
    extraInstructions: options.extraInstructions,
  });

  let finalStepForced = false;
  const result = streamText({
    model: options.model,
    instructions: system,
    // A reply stopped before it began is kept for the user ("Stopped") but says nothing to the model.
    messages: await convertToModelMessages(
      options.messages.filter((message) => message.parts.length > 0),
      { tools, ignoreIncompleteToolCalls: true },
    ),
    tools,
    stopWhen: isStepCount(maxSteps),
    // Tools act on one sandbox: run them in the order the model asked.
    toolCallConcurrency: 1,
    abortSignal: options.abortSignal,
    prepareStep: ({ stepNumber }) => {
      if (stepNumber < maxSteps - 1 || maxSteps === 1) return undefined;
      finalStepForced = true;
      return { activeTools: [], instructions: `${system}\n\n${FINAL_STEP_INSTRUCTION}` };
    },
  });

  const stepLimitReached = Promise.resolve(result.steps).then(
    (steps) => finalStepForced || (steps.length >= maxSteps && steps.at(-1)?.finishReason === "tool-calls"),
    () => false,
  );

  const toStream = (streamOptions: AgentStreamOptions = {}) =>
    createUIMessageStream<UIMessage>({
      originalMessages: streamOptions.originalMessages ?? options.messages,
      generateId: streamOptions.generateMessageId,
      onEnd: streamOptions.onEnd,
      onError: streamOptions.onError ?? describeError,
      execute: async ({ writer }) => {
        const inner = toUIMessageStream({ stream: result.stream, tools, sendFinish: false, onError: streamOptions.onError ?? describeError });
        for await (const chunk of inner) writer.write(chunk);
        if (await stepLimitReached) {
          const id = "step-limit-notice";
          writer.write({ type: "text-start", id });
          writer.write({ type: "text-delta", id, delta: stepLimitNotice(maxSteps) });
          writer.write({ type: "text-end", id });
        }
        writer.write({ type: "finish", finishReason: await Promise.resolve(result.finishReason).catch(() => undefined) });
      },
    });

  return {
    result,
    tools,
    system,
    /** Resolves when the turn is over: true if it stopped at the step limit. */
    stepLimitReached,
    /** The UI message stream, with a closing note when the step limit was reached. */
    toUIMessageStream: (streamOptions?: AgentStreamOptions): ReadableStream<UIMessageChunk> => toStream(streamOptions),
    /** A streaming Response for the chat route (SSE, the AI SDK UI message protocol). */
    toResponse: (responseOptions: AgentStreamOptions & { headers?: HeadersInit } = {}): Response =>
      createUIMessageStreamResponse({ stream: toStream(responseOptions), headers: responseOptions.headers }),
  };
}

/** A message safe to show in the chat: provider errors say what the provider said; anything else stays generic. */
export function describeError(error: unknown): string {
  if (error instanceof AgentError) return error.message;
  if (APICallError.isInstance(error)) {
    const status = error.statusCode ? ` (HTTP ${error.statusCode})` : "";
    return `The model provider returned an error${status}: ${error.message}`;
  }
  if (error instanceof Error && error.name === "AbortError") return "Stopped.";
  return "Something went wrong while generating the answer. Please try again.";
}

function asRuntimeConfig(runtime: unknown): RuntimeConfig | null {
  const candidate = runtime as Partial<RuntimeConfig> | null;
  return candidate && Array.isArray(candidate.packages) && typeof candidate.packageManager === "string" ? (candidate as RuntimeConfig) : null;
}
