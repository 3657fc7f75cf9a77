// The runtime part of the engine: configs, built-ins, image builds, prompt text.
export {
  BUILTIN_RUNTIME_NAMES,
  BUILTIN_RUNTIMES,
  isBuiltinRuntimeName,
  resolveRuntime,
  type BuiltinRuntimeName,
} from "./builtins";
export { generateDockerfile, type DockerfileStep, type GeneratedDockerfile } from "./dockerfile";
export { RuntimeBuildError, RuntimeNotFoundError, RuntimeValidationError, type BuildStep } from "./errors";
export type { BuildEvent, BuildEventListener } from "./events";
export {
  ImageBuilder,
  type BuildInProgress,
  type EnsureImageOptions,
  type EnsureImageResult,
  type ImageBuilderOptions,
} from "./image-builder";
export { configHash, imageTag, RUNTIME_IMAGE_REPOSITORY } from "./image-tag";
export { PACKAGE_MANAGERS, type PackageManager } from "./package-names";
export { renderRuntimePrompt } from "./prompt";
export { parseRuntimeConfig, runtimeConfigSchema, type RuntimeConfig, type RuntimeConfigInput } from "./schema";
