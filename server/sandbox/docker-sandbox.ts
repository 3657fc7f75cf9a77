import type { Readable } from "node:stream";
import type Docker from "dockerode";
import { containerStatus, createOrAdopt, messageOf, removeContainer } from "./container-lifecycle";
import { checkStartedContainer } from "./container-start-check";
import { buildContainerSpec, normalizeVolumes, resolveLimits, type SandboxLimits, type VolumesOption, type VolumeMount } from "./container-spec";
import { createDockerClient } from "./docker-client";
import { ContainerUnavailableError, statusCodeOf } from "./docker-exec";
import { InvalidSandboxOptionsError, JOBS_ENDED, JobNotFoundError, SandboxNotRunningError } from "./errors";
import { type ExecuteOptions as RawExecuteOptions, type ExecuteResult, executeCommand } from "./exec";
import { makeDirectory, movePath, removePath } from "./files/manage";
import { readFileBytes, readFileNumbered, readFileText, type ReadBytesOptions, type ReadOptions, type TextFile } from "./files/read";
import { type GlobOptions, type GrepOptions, type GrepResult, type Listing, globFiles, grepFiles, listDirectory } from "./files/search";
import { type PathStat, statPath } from "./files/stat";
import { type Download, type UploadArchiveOptions, downloadPath, uploadArchive, uploadFile } from "./files/transfer";
import { type EditOptions, type EditResult, type WriteResult, editFile, writeFileData } from "./files/write";
import { randomId, validateId } from "./ids";
import { type JobActivity, jobActivityOf } from "./job-activity";
import { type JobInfo, type JobOutput, listJobs, readJobOutput, startJob, stopJob } from "./jobs";
import { LABELS } from "./labels";
import { checkEnv, normalizeWorkDir, resolveSandboxPath } from "./paths";
import { resolveRuntime as resolveBuiltinRuntime } from "./runtime";
import { type RunProgramOptions, type RunProgramResult, runProgram } from "./run-program";
import type { ImageBuilderLike, RuntimeResolver, SandboxRuntime } from "./runtime-contract";
import { type SpawnedProcess, attachKeptProcess, spawnProcess } from "./spawn";
import { type SupervisorOption, supervisorBinaryFor } from "./supervisor/availability";
import { superviseContainer, supervisorOf } from "./supervisor/sandbox-supervisor";
import { withSocketFolder } from "./supervisor/socket-folder";

// DockerSandbox: the lifecycle (lazy start, pause, stop, wake) and a thin layer
// that resolves paths and hands each operation to exec.ts or files/*.

export type DockerSandboxOptions<R extends SandboxRuntime = SandboxRuntime> = {
  docker?: Docker;
  /** An image to run as is. Either this or `runtime`. */
  image?: string;
  /** A runtime name or config; its image comes from `imageBuilder` or its `image`. */
  runtime?: string | R;
  /** Turns a runtime name into a config. Default: the built-in runtimes (runtime/resolveRuntime). */
  resolveRuntime?: RuntimeResolver<R>;
  imageBuilder?: ImageBuilderLike<R>;
  /** Stable id: part of the container name. Random when omitted. */
  id?: string;
  /** Who the sandbox belongs to (label only). */
  owner?: string;
  /** Default: the runtime's, else /workspace. */
  workDir?: string;
  /** Host folder → container path. Nothing else of the host is mounted. */
  volumes?: VolumesOption;
  limits?: SandboxLimits;
  /** Network access; default: what the runtime allows, else none. */
  network?: boolean;
  env?: Record<string, string>;
  /** Extra labels (e.g. the test label, the manager's scope). */
  labels?: Record<string, string>;
  /** Container name prefix; the name is `${namePrefix}${id}`. Default "tidepool-". */
  namePrefix?: string;
  /** Default timeout for execute(). Default 300 000 ms. */
  defaultTimeoutMs?: number;
  /** Called on lifecycle changes (the session manager listens). */
  onLifecycle?: (event: SandboxLifecycleEvent) => void;
  /** Awaited before every operation (the session manager shares activity with other processes here). */
  beforeOperation?: (sandbox: DockerSandbox) => Promise<void>;
  /**
   * The in-sandbox supervisor that runs commands and file operations (default: on, its binary cached in
   * ~/.cache/tidepool). `false` runs everything through docker exec.
   */
  supervisor?: SupervisorOption;
};

export type SandboxState = "new" | "running" | "paused" | "stopped";

export type SandboxLifecycleEvent = {
  type: "started" | "adopted" | "woke" | "paused" | "resumed" | "stopped";
  sandbox: DockerSandbox;
  durationMs: number;
};

export type ExecuteOptions = Omit<RawExecuteOptions, "cwd" | "env"> & {
  /** Working directory, relative to the work dir or absolute under it. */
  cwd?: string;
  env?: Record<string, string>;
};

export type { ExecuteResult };

export class DockerSandbox<R extends SandboxRuntime = SandboxRuntime> {
  readonly id: string;
  readonly name: string;
  readonly docker: Docker;
  private readonly options: DockerSandboxOptions<R>;
  private readonly runtimeConfig: R | null;
  private readonly volumes: VolumeMount[];
  private readonly workDirPath: string;
  private imageTag: string | null;
  private container: Docker.Container | null = null;
  private currentState: SandboxState = "new";
  private lock: Promise<unknown> = Promise.resolve();
  private active = 0;
  private lastActive = Date.now();
  private startedOnce = false;

  constructor(options: DockerSandboxOptions<R> = {}) {
    if (!options.image && !options.runtime) throw new InvalidSandboxOptionsError("Give DockerSandbox an image or a runtime.");
    this.options = options;
    this.docker = options.docker ?? createDockerClient();
    this.id = options.id === undefined ? randomId() : validateId(options.id);
    this.name = `${options.namePrefix ?? "tidepool-"}${this.id}`;
    if (typeof options.runtime === "string") {
      const resolve = options.resolveRuntime ?? (resolveBuiltinRuntime as unknown as RuntimeResolver<R>);
      this.runtimeConfig = resolve(options.runtime);
    } else {
      this.runtimeConfig = options.runtime ?? null;
    }
    this.imageTag = options.image ?? null;
    this.workDirPath = normalizeWorkDir(options.workDir ?? this.runtimeConfig?.workDir ?? "/workspace");
    this.volumes = normalizeVolumes(options.volumes);
  }

  // ---- state -------------------------------------------------------------

  get workDir(): string {
    return this.workDirPath;
  }
  get runtime(): R | null {
    return this.runtimeConfig;
  }
  /** The image tag in use (known once started, or at once when given as `image`). */
  get image(): string | null {
    return this.imageTag;
  }
  get containerId(): string | null {
    return this.container?.id ?? null;
  }
  /** What this object believes; isAlive() asks Docker. */
  get state(): SandboxState {
    return this.currentState;
  }
  /** Operations (commands, file I/O) in flight right now. */
  get activeOperations(): number {
    return this.active;
  }
  /** When the last operation finished (or started, while one runs), epoch ms. */
  get lastActiveAt(): number {
    return this.active > 0 ? Date.now() : this.lastActive;
  }

  /** Starts the container now rather than on first use (prewarm). */
  async start(): Promise<void> {
    await this.ensureRunning();
  }

  /** Stops and removes the container (files in mounted volumes stay). True if something was stopped. Idempotent. */
  stop(): Promise<boolean> {
    return this.serialized(async () => {
      const started = performance.now();
      const target = this.container?.id ?? (this.currentState === "new" ? null : this.name);
      this.closeSupervisor();
      this.container = null;
      const was = this.currentState;
      this.currentState = was === "new" ? "new" : "stopped";
      if (!target) return false;
      const removed = await removeContainer(this.docker, target);
      if (removed && was !== "stopped") this.emit("stopped", started);
      return removed && was !== "stopped";
    });
  }

  /** Docker says the container is running or paused (a paused sandbox resumes on next use). */
  async isAlive(): Promise<boolean> {
    if (!this.container) return false;
    const status = await containerStatus(this.docker, this.container.id);
    if (status === "gone" || status === "stopped") {
      await this.serialized(async () => this.forget());
      return false;
    }
    return true;
  }

  /**
   * Re-reads the container's state from Docker: another process may have
   * paused or removed it. The next operation then resumes or wakes it.
   */
  refresh(): Promise<SandboxState> {
    return this.serialized(async () => {
      if (!this.container) return this.currentState;
      const status = await containerStatus(this.docker, this.container.id);
      if (status === "running" || status === "paused") this.currentState = status;
      else this.forget();
      return this.currentState;
    });
  }

  /** Freezes every process (docker pause); memory is kept. False if busy or not running. */
  pause(): Promise<boolean> {
    return this.pauseIfIdle(0);
  }

  /** Pauses only if nothing ran for `idleMs` and nothing is running. */
  pauseIfIdle(idleMs: number): Promise<boolean> {
    return this.serialized(async () => {
      if (this.currentState !== "running" || !this.container || this.active > 0 || Date.now() - this.lastActive < idleMs) return false;
      const started = performance.now();
      try {
        await this.container.pause();
      } catch (error) {
        if (statusCodeOf(error) === 404 || statusCodeOf(error) === 409) {
          this.forget();
          return false;
        }
        throw error;
      }
      this.currentState = "paused";
      this.emit("paused", started);
      return true;
    });
  }

  /** Stops (removes) the container only if nothing ran for `idleMs` and nothing is running. */
  stopIfIdle(idleMs: number): Promise<boolean> {
    return this.serialized(async () => {
      if (this.active > 0 || Date.now() - this.lastActive < idleMs) return false;
      if (this.currentState !== "running" && this.currentState !== "paused") return false;
      const started = performance.now();
      const target = this.container?.id ?? this.name;
      this.closeSupervisor();
      this.container = null;
      this.currentState = "stopped";
      await removeContainer(this.docker, target);
      this.emit("stopped", started);
      return true;
    });
  }

  /** Takes over an existing container (after a restart). Used by the session manager. */
  adoptContainer(info: { id: string; image: string; paused: boolean; supervised: boolean }): void {
    this.container = this.docker.getContainer(info.id);
    if (info.supervised) superviseContainer(this.container);
    this.imageTag = info.image;
    this.currentState = info.paused ? "paused" : "running";
    this.startedOnce = true;
  }

  // ---- commands ------------------------------------------------------------

  /**
   * Runs a shell command. Non-zero exit codes, timeouts and truncation are data
   * in the result; a missing container or Docker failure throws.
   */
  execute(command: string, options: ExecuteOptions = {}): Promise<ExecuteResult> {
    const cwd = options.cwd === undefined ? this.workDirPath : this.resolvePath(options.cwd);
    const env = checkEnv(options.env);
    return this.use((container) =>
      executeCommand(container, command, {
        ...options,
        cwd,
        workDir: this.workDirPath,
        env,
        timeoutMs: options.timeoutMs ?? this.options.defaultTimeoutMs,
      }),
    );
  }

  /**
   * Runs a program with its arguments as argv (no shell involved): stdout as
   * text, capped. A non-zero exit is data; a timeout throws SandboxTimeoutError.
   */
  run(argv: string[], options: RunProgramOptions = {}): Promise<RunProgramResult> {
    return this.use((container) => runProgram(container, argv, options));
  }

  /**
   * Starts a long-lived process with stdin/stdout/stderr attached (e.g. the
   * Python kernel). It lives until it exits, is killed, or the container stops.
   */
  spawn(argv: string[], options: { cwd?: string; env?: Record<string, string>; keepAs?: string } = {}): Promise<SpawnedProcess> {
    const cwd = options.cwd === undefined ? this.workDirPath : this.resolvePath(options.cwd);
    const env = checkEnv(options.env);
    return this.use((container) => spawnProcess(container, argv, { cwd, workDir: this.workDirPath, env, keepAs: options.keepAs }));
  }

  /**
   * The process spawned with `keepAs: name` (by this or an earlier app process) if it still runs: the
   * supervisor keeps such processes across app restarts. Null without one.
   */
  attachKept(name: string): Promise<SpawnedProcess | null> {
    return this.use((container) => attachKeptProcess(container, name));
  }

  // ---- background jobs (need the supervisor) ---------------------------------

  /**
   * Starts a shell command (or an argv, run without a shell) that keeps running after this call and an app
   * restart, until it ends, is stopped or the sandbox stops; its output is kept.
   */
  startJob(command: string | string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<JobInfo> {
    const cwd = options.cwd === undefined ? this.workDirPath : this.resolvePath(options.cwd);
    const env = checkEnv(options.env);
    return this.use((container) => startJob(container, command, { cwd, workDir: this.workDirPath, env }));
  }

  /** Jobs still running, and finished ones not yet forgotten. */
  jobs(): Promise<JobInfo[]> {
    return this.use((container) => listJobs(container));
  }

  /** A job's output from `offset` (bytes) on. A stopped sandbox is not started again for it: its jobs ended with it. */
  jobOutput(id: string, options: { stream?: "stdout" | "stderr"; offset?: number; maxBytes?: number } = {}): Promise<JobOutput> {
    return this.use((container) => readJobOutput(container, id, options), { whenStopped: () => new JobNotFoundError(id, JOBS_ENDED) });
  }

  /** Kills a job and everything it started (nothing to kill in a stopped sandbox). */
  stopJob(id: string): Promise<void> {
    return this.use((container) => stopJob(container, id), { whenStopped: () => new JobNotFoundError(id, JOBS_ENDED) });
  }

  /** The jobs, asked without waking the sandbox or counting as use (a page watching them); null when it is not running. */
  async jobsIfRunning(): Promise<JobInfo[] | null> {
    const container = this.container;
    if (this.currentState !== "running" || !container) return null;
    try {
      return await listJobs(container);
    } catch (error) {
      // It stopped or paused while asked.
      if (error instanceof ContainerUnavailableError) return null;
      throw error;
    }
  }

  /** Whether a job runs and when the last one ended, asked without waking the sandbox or counting as use (idle handling). */
  jobActivity(): Promise<JobActivity> {
    const container = this.container;
    if (this.currentState !== "running" || !container) return Promise.resolve({ running: false, lastEndedAt: 0 });
    return jobActivityOf(this.docker, container, supervisorOf(container) !== null);
  }

  /**
   * Runs `task` on a running container (started, resumed or woken first) and
   * counts it as an operation, so idle handling leaves the sandbox alone while
   * a spawned process works. The task gets the container id (a new id means
   * the container was recreated and spawned processes are gone).
   */
  whileActive<T>(task: (containerId: string) => Promise<T>): Promise<T> {
    return this.use((container) => task(container.id));
  }

  // ---- files -------------------------------------------------------------

  /** The seeds' read: numbered lines from `offset` (0-based), `limit` lines, a "more lines" trailer. Text encodings and PDFs handled. */
  read(path: string, options: ReadOptions = {}): Promise<string> {
    const target = this.resolvePath(path);
    return this.use((c) => readFileNumbered(c, target, options));
  }

  /** The whole decoded text, with the encoding it was read with. */
  readText(path: string, options: ReadBytesOptions = {}): Promise<TextFile> {
    const target = this.resolvePath(path);
    return this.use((c) => readFileText(c, target, options));
  }

  readBytes(path: string, options: ReadBytesOptions = {}): Promise<Buffer> {
    const target = this.resolvePath(path);
    return this.use((c) => readFileBytes(c, target, options));
  }

  /** Writes text (UTF-8) or bytes, creating parent folders. */
  write(path: string, content: string | Uint8Array): Promise<WriteResult> {
    const target = this.resolvePath(path);
    return this.use((c) => writeFileData(c, target, content));
  }

  edit(path: string, oldString: string, newString: string, options: EditOptions = {}): Promise<EditResult> {
    const target = this.resolvePath(path);
    return this.use((c) => editFile(c, target, oldString, newString, options));
  }

  ls(path = ".", options: { maxEntries?: number } = {}): Promise<Listing> {
    const target = this.resolvePath(path);
    return this.use((c) => listDirectory(c, target, options));
  }

  glob(pattern: string, options: Omit<GlobOptions, "path"> & { path?: string } = {}): Promise<Listing> {
    const target = this.resolvePath(options.path ?? ".");
    return this.use((c) => globFiles(c, pattern, { ...options, path: target }));
  }

  grep(pattern: string, options: Omit<GrepOptions, "path"> & { path?: string } = {}): Promise<GrepResult> {
    const target = this.resolvePath(options.path ?? ".");
    return this.use((c) => grepFiles(c, pattern, { ...options, path: target }));
  }

  /** Uploads one file from bytes or a stream. */
  upload(path: string, data: Uint8Array | Readable): Promise<WriteResult> {
    const target = this.resolvePath(path);
    return this.use((c) => uploadFile(c, target, data));
  }

  /** Extracts a tar (uncompressed) into a folder after checking every entry. */
  uploadArchive(path: string, archive: Uint8Array | Readable, options: UploadArchiveOptions = {}): Promise<{ path: string }> {
    const target = this.resolvePath(path);
    return this.use((c) => uploadArchive(c, target, archive, { ...options, workDir: this.workDirPath }));
  }

  /**
   * A file as a stream, or a folder as a tar stream. The operation counts as
   * active until the stream ends, so an idle reaper leaves it alone.
   */
  download(path: string): Promise<Download> {
    const target = this.resolvePath(path);
    return this.use(async (c) => {
      const download = await downloadPath(c, target);
      this.active++;
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        this.active--;
        this.lastActive = Date.now();
      };
      download.stream.once("close", release);
      download.stream.once("end", release);
      download.stream.once("error", release);
      return download;
    });
  }

  /** Creates a folder and its parents (an existing folder is fine). */
  mkdir(path: string): Promise<void> {
    const target = this.resolvePath(path);
    return this.use((c) => makeDirectory(c, target));
  }

  /** Moves or renames a file or folder into place, making the target's folder; never overwrites. */
  move(from: string, to: string): Promise<void> {
    const source = this.resolvePath(from);
    const target = this.resolvePath(to);
    return this.use((c) => movePath(c, source, target));
  }

  /** Deletes a file, link or folder with everything in it. */
  remove(path: string): Promise<void> {
    const target = this.resolvePath(path);
    return this.use((c) => removePath(c, target));
  }

  /** A path's type and size (symlinks followed), e.g. to refuse a download before it starts. */
  stat(path: string): Promise<PathStat> {
    const target = this.resolvePath(path);
    return this.use((c) => statPath(c, target));
  }

  /** Resolves a user path under the work dir, or throws a typed error naming it. */
  resolvePath(path: string): string {
    return resolveSandboxPath(path, this.workDirPath);
  }

  // ---- internals ---------------------------------------------------------

  /**
   * Every operation: counted while in flight (idle handling skips busy
   * sandboxes), on a running container (starting, resuming or waking it), and
   * retried once when Docker says the container vanished before anything ran.
   * With `whenStopped`, it needs the container it had (a paused one is resumed):
   * a stopped or vanished one is not replaced, and that error is thrown instead.
   */
  private async use<T>(operation: (container: Docker.Container) => Promise<T>, options: { whenStopped?: () => Error } = {}): Promise<T> {
    this.active++;
    try {
      await this.options.beforeOperation?.(this as unknown as DockerSandbox);
      for (let attempt = 0; ; attempt++) {
        const container = await this.ensureRunning(options.whenStopped);
        try {
          return await operation(container);
        } catch (error) {
          if (!(error instanceof ContainerUnavailableError)) throw error;
          // Stopped again right after a restart: say what happened rather than Docker's words.
          if (attempt > 0) throw new SandboxNotRunningError("Your sandbox restarted; your files are intact. Run the command again.", { cause: error });
          await this.serialized(async () => {
            if (this.container?.id !== container.id) return;
            if (error.reason === "paused") this.currentState = "paused";
            else this.forget();
          });
        }
      }
    } finally {
      this.active--;
      this.lastActive = Date.now();
    }
  }

  private async ensureRunning(whenStopped?: () => Error): Promise<Docker.Container> {
    if (this.currentState === "running" && this.container) return this.container;
    return this.serialized(async () => {
      if (this.currentState === "running" && this.container) return this.container;
      const started = performance.now();
      if (this.currentState === "paused" && this.container) {
        try {
          await this.container.unpause();
          this.currentState = "running";
          this.emit("resumed", started);
          return this.container;
        } catch (error) {
          // Not paused after all (someone unpaused it) or gone: check and go on.
          const status = await containerStatus(this.docker, this.container.id);
          if (status === "running") {
            this.currentState = "running";
            return this.container;
          }
          if (status === "paused") throw new SandboxNotRunningError(`Could not resume the sandbox: ${messageOf(error)}`, { cause: error });
          this.forget();
        }
      }
      if (whenStopped) throw whenStopped();
      const image = await this.resolveImage();
      const binary = await supervisorBinaryFor(this.docker, this.options.supervisor);
      const created = await withSocketFolder(binary?.socketsRoot ?? null, (socketFolder) =>
        createOrAdopt(
          this.docker,
          buildContainerSpec({
            name: this.name,
            image,
            workDir: this.workDirPath,
            env: { ...(this.runtimeConfig?.envVars ?? {}), ...(this.options.env ?? {}) },
            labels: this.labels(),
            volumes: this.volumes,
            limits: resolveLimits(this.runtimeConfig?.limits, this.options.limits),
            network: this.options.network ?? this.runtimeConfig?.network ?? false,
            supervisor: binary && { ...binary, socketFolder },
          }),
        ),
      );
      // An adopted container made without one (by an older version) keeps using docker exec.
      if (created.supervised) superviseContainer(created.container);
      if (!created.adopted) {
        try {
          await checkStartedContainer(created.container, this.workDirPath);
        } catch (error) {
          await removeContainer(this.docker, created.id).catch(() => {});
          throw error;
        }
      }
      this.container = created.container;
      this.currentState = "running";
      this.emit(created.adopted ? "adopted" : this.startedOnce ? "woke" : "started", started);
      this.startedOnce = true;
      return created.container;
    });
  }

  private labels(): Record<string, string> {
    return {
      ...(this.options.labels ?? {}),
      [LABELS.managed]: "true",
      [LABELS.session]: this.id,
      [LABELS.owner]: this.options.owner ?? "",
      [LABELS.runtime]: this.runtimeConfig?.name ?? "",
    };
  }

  private async resolveImage(): Promise<string> {
    if (this.imageTag) return this.imageTag;
    const runtime = this.runtimeConfig;
    if (!runtime) throw new InvalidSandboxOptionsError("No image and no runtime.");
    if (this.options.imageBuilder) {
      this.imageTag = (await this.options.imageBuilder.ensureImage(runtime)).tag;
    } else if (runtime.image) {
      this.imageTag = runtime.image;
    } else {
      throw new InvalidSandboxOptionsError(`Runtime "${runtime.name}" must be built: pass an imageBuilder.`);
    }
    return this.imageTag;
  }

  private forget(): void {
    this.closeSupervisor();
    this.container = null;
    if (this.currentState !== "new") this.currentState = "stopped";
  }

  private closeSupervisor(): void {
    if (this.container) supervisorOf(this.container)?.close();
  }

  private emit(type: SandboxLifecycleEvent["type"], started: number): void {
    this.options.onLifecycle?.({ type, sandbox: this as unknown as DockerSandbox, durationMs: Math.round(performance.now() - started) });
  }

  /** Lifecycle changes run one at a time. */
  private serialized<T>(task: () => Promise<T>): Promise<T> {
    const run = this.lock.then(task, task);
    this.lock = run.catch(() => {});
    return run;
  }
}
