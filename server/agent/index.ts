// The agent layer: console toolset, system prompt, model providers and the
// runner the chat route calls. Configuration arrives as arguments.
export { createConsoleToolset, type Artifact, type ConsoleSandbox, type ConsoleToolName, type ConsoleToolset, type ConsoleToolsetOptions } from "./console-toolset";
export { buildSystemPrompt, type SystemPromptInput } from "./system-prompt";
export { describeWorkspaceFiles, type DescribeOptions, type FileColumn, type FileVersion, type ReadChoice, type WorkspaceDescription, type WorkspaceFileSummary } from "./workspace-files";
export { createLanguageModel, MODEL_PROVIDERS, type ModelConfig, type ModelProvider } from "./model-provider";
export { acceptsImages, IMAGE_INPUT_MODES, type ImageInputMode } from "./model-vision";
export {
  DEFAULT_MAX_STEPS,
  describeError,
  runAgent,
  stepLimitNotice,
  type AgentRun,
  type AgentStreamOptions,
  type ConsoleUIMessage,
  type RunAgentOptions,
} from "./run-agent";
export { RESTART_NOTICE, type ExecuteOutput, type FileToolOutput, type RunPythonOutput, type ToolFailure } from "./tool-output";
export { AgentError, ModelNotConfiguredError } from "./errors";
