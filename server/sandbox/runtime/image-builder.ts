import { randomBytes } from "node:crypto";
import type Docker from "dockerode";
import { pack } from "tar-stream";
import { imageExists } from "../base-image";
import { LABELS } from "../labels";
import { abortReason, BuildJob } from "./build-job";
import { BuildOutputParser } from "./build-output";
import { generateDockerfile, type GeneratedDockerfile } from "./dockerfile";
import { RuntimeBuildError, type BuildStep } from "./errors";
import type { BuildEvent, BuildEventListener } from "./events";
import { configHash, imageTag } from "./image-tag";
import type { RuntimeConfig } from "./schema";
import { runSmokeCheck } from "./smoke-check";

export type ImageBuilderOptions = {
  docker: Docker;
  /** The default image to build on (e.g. `() => ensureBaseImage(docker)`); used when a config has no baseImage. */
  baseImage: () => Promise<string>;
  /** Whole build including the smoke check; default 20 minutes. */
  buildTimeoutMs?: number;
  /** Extra labels for built images and smoke-check containers (tests mark theirs with LABELS.test). */
  labels?: Record<string, string>;
  /** PEM certificates trusted while building, for a TLS-inspecting proxy in front of npm/PyPI. */
  caCertificates?: string;
};

export type EnsureImageOptions = { onEvent?: BuildEventListener; signal?: AbortSignal };
export type EnsureImageResult = { tag: string; cached: boolean; durationMs: number };
export type BuildInProgress = { tag: string; runtime: string; startedAt: Date };

const DEFAULT_BUILD_TIMEOUT_MS = 20 * 60_000;
const LOG_TAIL_LINES = 40;

/**
 * Builds runtime images: tag = hash of the config, reuse by tag lookup,
 * one shared build per tag, progress as events, a smoke check before the
 * image gets its tag (so a tagged image has always passed it).
 */
export class ImageBuilder {
  private readonly docker: Docker;
  private readonly buildTimeoutMs: number;
  private readonly jobs = new Map<string, BuildJob>();

  constructor(private readonly options: ImageBuilderOptions) {
    this.docker = options.docker;
    this.buildTimeoutMs = options.buildTimeoutMs ?? DEFAULT_BUILD_TIMEOUT_MS;
  }

  /** The tag `config` builds to on this builder's base image. */
  async imageTag(config: RuntimeConfig): Promise<string> {
    return config.image ?? imageTag(config, await this.baseFor(config));
  }

  /** Returns a ready image for `config`, building it unless a cached one exists. Throws RuntimeBuildError. */
  async ensureImage(config: RuntimeConfig, options: EnsureImageOptions = {}): Promise<EnsureImageResult> {
    const started = performance.now();
    const emit = options.onEvent ?? (() => {});
    const elapsed = () => Math.round(performance.now() - started);
    options.signal?.throwIfAborted();

    if (config.image) {
      await this.ensureReadyImage(config.image);
      emit({ type: "done", tag: config.image, cached: true, durationMs: elapsed() });
      return { tag: config.image, cached: true, durationMs: elapsed() };
    }

    const base = await this.baseFor(config);
    const tag = imageTag(config, base);
    if (config.cacheImage && !this.jobs.has(tag) && (await imageExists(this.docker, tag))) {
      emit({ type: "done", tag, cached: true, durationMs: elapsed() });
      return { tag, cached: true, durationMs: elapsed() };
    }
    let job = this.jobs.get(tag);
    if (!job) {
      const created: BuildJob = new BuildJob(tag, config.name, async (jobEmit, signal) => {
        // Leaves the map before the final event, so a caller reacting to it finds the tag, not this job.
        const forget = () => this.jobs.get(tag) === created && this.jobs.delete(tag);
        try {
          const durationMs = await this.runBuild(config, base, tag, jobEmit, signal);
          forget();
          jobEmit({ type: "done", tag, cached: false, durationMs });
        } catch (error) {
          forget();
          const failure =
            error instanceof RuntimeBuildError
              ? error
              : new RuntimeBuildError(String(error), undefined, [], { cause: error });
          jobEmit({ type: "error", message: failure.message, step: failure.step, logTail: failure.logTail });
          throw failure;
        }
      });
      this.jobs.set(tag, created);
      job = created;
    }
    await job.follow(emit, options.signal);
    return { tag, cached: false, durationMs: elapsed() };
  }

  /**
   * The same as ensureImage, as a stream for UIs: events in order, always
   * ending with one `done` or `error` event; never throws.
   */
  async *build(
    config: RuntimeConfig,
    options: { signal?: AbortSignal } = {},
  ): AsyncGenerator<BuildEvent, void, undefined> {
    const queue: BuildEvent[] = [];
    let wake: (() => void) | undefined;
    let settled = false;
    let closed = false;
    let terminalQueued = false;
    const push = (event: BuildEvent) => {
      if (closed) return;
      if (event.type === "done" || event.type === "error") terminalQueued = true;
      queue.push(event);
      wake?.();
    };
    this.ensureImage(config, { onEvent: push, signal: options.signal })
      .catch((error: unknown) => {
        if (!terminalQueued) push(errorEvent(error));
      })
      .finally(() => {
        settled = true;
        wake?.();
      });
    try {
      while (true) {
        const event = queue.shift();
        if (event) {
          yield event;
          if (event.type === "done" || event.type === "error") return;
        } else if (settled) {
          return;
        } else {
          await new Promise<void>((resolve) => (wake = resolve));
          wake = undefined;
        }
      }
    } finally {
      // A consumer that stops reading (a closed page) stops following; the build itself goes on.
      closed = true;
    }
  }

  /** Runs the smoke check on the existing image for `config` (e.g. an admin's "verify" button). */
  async verify(config: RuntimeConfig, options: EnsureImageOptions = {}): Promise<void> {
    const tag = await this.imageTag(config);
    const signal = options.signal ?? AbortSignal.timeout(this.buildTimeoutMs);
    const result = await runSmokeCheck(this.docker, tag, config, {
      labels: this.labels(config),
      onLine: (line) => options.onEvent?.({ type: "log", line }),
      signal,
    });
    if (!result.passed) {
      throw new RuntimeBuildError(
        `Runtime "${config.name}" failed its smoke check (exit ${result.exitCode}): ${result.output.at(-1) ?? "no output"}`,
        undefined,
        result.output.slice(-LOG_TAIL_LINES),
      );
    }
  }

  /** Builds currently running, for an admin's "builds" view. */
  inProgress(): BuildInProgress[] {
    return [...this.jobs.values()].map((job) => ({ tag: job.tag, runtime: job.runtime, startedAt: job.startedAt }));
  }

  private async baseFor(config: RuntimeConfig): Promise<string> {
    return config.baseImage ?? (await this.options.baseImage());
  }

  private labels(config: RuntimeConfig, hash?: string): Record<string, string> {
    return {
      ...this.options.labels,
      [LABELS.managed]: "true",
      [LABELS.runtime]: config.name,
      ...(hash ? { [LABELS.configHash]: hash } : {}),
    };
  }

  private async ensureReadyImage(image: string): Promise<void> {
    if (await imageExists(this.docker, image)) return;
    try {
      const stream = await this.docker.pull(image);
      await new Promise<void>((resolve, reject) => {
        this.docker.modem.followProgress(stream, (error: Error | null, output: Array<{ error?: string }>) => {
          const failed = error ?? output.find((message) => message.error);
          return failed
            ? reject(new Error(String(failed instanceof Error ? failed.message : failed.error)))
            : resolve();
        });
      });
    } catch (error) {
      throw new RuntimeBuildError(
        `Image ${image} is not on the Docker engine and could not be pulled. Load it (docker load / docker build) or use baseImage.`,
        undefined,
        [],
        { cause: error },
      );
    }
  }

  /** Builds, smoke-checks and tags; returns the duration in ms or throws RuntimeBuildError. */
  private async runBuild(
    config: RuntimeConfig,
    base: string,
    tag: string,
    emit: BuildEventListener,
    signal: AbortSignal,
  ): Promise<number> {
    const started = performance.now();
    const hash = configHash(config, base);
    const dockerfile = generateDockerfile(config, {
      baseImage: base,
      labels: this.labels(config, hash),
      caCertificates: this.options.caCertificates,
    });
    const total = dockerfile.steps.length + 1; // + the smoke check
    const smokeTitle = `Smoke check${config.smokeCheck ? `: ${config.smokeCheck}` : ""}`;
    // Built under a temporary tag; the real tag is applied only after the smoke check passes.
    const buildingTag = `${tag}-building-${randomBytes(4).toString("hex")}`;
    const progress = new BuildProgress(config.name, emit, dockerfile, total);
    const timeout = AbortSignal.timeout(this.buildTimeoutMs);
    const buildSignal = AbortSignal.any([signal, timeout]);

    emit({ type: "start", runtime: config.name, tag, totalSteps: total });
    try {
      await this.dockerBuild(dockerfile, buildingTag, !config.cacheImage, buildSignal, progress);
      progress.step(total, smokeTitle, config.smokeCheck ?? "true");
      const smoke = await runSmokeCheck(this.docker, buildingTag, config, {
        labels: this.labels(config),
        onLine: (line) => progress.log(line),
        signal: buildSignal,
      });
      if (!smoke.passed) throw progress.failure(`the smoke check exited with ${smoke.exitCode}`);
      const [repo, tagName] = splitTag(tag);
      await this.docker.getImage(buildingTag).tag({ repo, tag: tagName });
      return Math.round(performance.now() - started);
    } catch (error) {
      if (error instanceof RuntimeBuildError) throw error;
      // The last line before a timeout says little about it; the log tail has it all.
      if (timeout.aborted)
        throw progress.failure(`timed out after ${Math.round(this.buildTimeoutMs / 1000)} s`, error, false);
      if (signal.aborted) throw progress.failure("cancelled", error, false);
      throw progress.failure(error instanceof Error ? error.message : String(error), error);
    } finally {
      // Untags (or, after a failure, deletes) the temporary image.
      await this.docker
        .getImage(buildingTag)
        .remove()
        .catch(() => {});
    }
  }

  private async dockerBuild(
    dockerfile: GeneratedDockerfile,
    tag: string,
    noCache: boolean,
    signal: AbortSignal,
    progress: BuildProgress,
  ): Promise<void> {
    const context = pack();
    context.entry({ name: "Dockerfile" }, dockerfile.text);
    for (const [name, content] of Object.entries(dockerfile.files)) context.entry({ name }, content);
    context.finalize();

    signal.throwIfAborted();
    const stream = await this.docker.buildImage(
      context as unknown as NodeJS.ReadableStream,
      {
        t: tag,
        rm: true,
        forcerm: true,
        nocache: noCache,
        abortSignal: signal,
      } as Docker.ImageBuildOptions,
    );
    let engineError: string | undefined;
    const parser = new BuildOutputParser((message) => {
      if (message.kind === "step") progress.dockerStep(message.index, message.instruction);
      else if (message.kind === "line") progress.log(message.text);
      else if (message.kind === "error") engineError ??= message.message;
    });
    await new Promise<void>((resolve, reject) => {
      stream.on("data", (chunk: Buffer) => parser.push(chunk));
      stream.on("end", () => {
        parser.end();
        resolve();
      });
      stream.on("error", reject);
      signal.addEventListener("abort", () => reject(abortReason(signal)), { once: true });
    });
    if (engineError !== undefined) throw progress.failure(exitSummary(engineError));
    if (!(await imageExists(this.docker, tag))) throw progress.failure("the engine reported no image");
  }
}

/** Tracks the current step and the log tail, turns them into events and into a readable error. */
class BuildProgress {
  private current: BuildStep | undefined;
  private readonly tail: string[] = [];

  constructor(
    private readonly runtime: string,
    private readonly emit: BuildEventListener,
    private readonly dockerfile: GeneratedDockerfile,
    private readonly total: number,
  ) {}

  dockerStep(index: number, instruction: string): void {
    this.step(index, this.dockerfile.steps[index - 1]?.title ?? instruction, instruction);
  }

  step(index: number, title: string, instruction: string): void {
    this.current = { index, total: this.total, title };
    this.emit({ type: "step", index, total: this.total, title, instruction });
  }

  log(line: string): void {
    this.tail.push(line);
    if (this.tail.length > LOG_TAIL_LINES) this.tail.shift();
    this.emit({ type: "log", line, step: this.current?.index });
  }

  /** "Building runtime "x" failed at step 4/7 (Install apt packages: …): E: Unable to locate package … (exit code 100)". */
  failure(reason: string, cause?: unknown, withHint = true): RuntimeBuildError {
    const where = this.current ? ` at step ${this.current.index}/${this.current.total} (${this.current.title})` : "";
    const hint = withHint ? mostTellingLine(this.tail) : undefined;
    const detail = hint && !reason.includes(hint) ? `${hint} (${reason})` : reason;
    return new RuntimeBuildError(
      `Building runtime "${this.runtime}" failed${where}: ${detail}`,
      this.current,
      [...this.tail],
      { cause },
    );
  }
}

/** The line a person would look for first: apt's "E:", npm's "ERR!", a Python error, … */
function mostTellingLine(lines: string[]): string | undefined {
  const telling = /^(?:E: |ERROR|error[: ]|npm (?:ERR!|error)|fatal|.*(?:Error|Exception): )/i;
  for (let index = lines.length - 1; index >= 0; index -= 1) {
    const line = lines[index];
    if (line && telling.test(line.trim())) return line.trim();
  }
  return lines.at(-1)?.trim();
}

/** "The command '…300 chars…' returned a non-zero code: 100" → "exit code 100". */
function exitSummary(engineError: string): string {
  const code = /returned a non-zero code: (\d+)/.exec(engineError);
  return code ? `exit code ${code[1]}` : engineError;
}

function splitTag(tag: string): [string, string] {
  const colon = tag.lastIndexOf(":");
  return [tag.slice(0, colon), tag.slice(colon + 1)];
}

function errorEvent(error: unknown): BuildEvent {
  if (error instanceof RuntimeBuildError)
    return { type: "error", message: error.message, step: error.step, logTail: error.logTail };
  const message = error instanceof Error ? error.message : String(error);
  return { type: "error", message, logTail: [] };
}
