import type { DockerSandbox } from "../docker-sandbox";
import type { ExitCause } from "../exit-cause";
import { KernelProcess, type KernelProcessInfo } from "./kernel-process";
import { KERNEL_SOURCE } from "./kernel-source.generated";
import type { ResultFrame } from "./protocol";
import type { KernelError, KernelOutput, KernelRunOptions, KernelRunResult, KernelState } from "./types";

// A persistent Python kernel in a sandbox: one long-lived process (started
// lazily, restarted when it died or the container was recreated), variables
// kept between runs, runs queued one at a time. A timeout interrupts the code
// (KeyboardInterrupt) and keeps the kernel; code that ignores the interrupt
// for a grace period gets the kernel killed, and the loss of variables is
// reported once, as `restarted: true`.

/** What the kernel needs from a sandbox (DockerSandbox has it). */
export type KernelHost = Pick<DockerSandbox, "workDir" | "spawn" | "whileActive"> & Partial<Pick<DockerSandbox, "attachKept">>;

/** The name the kernel process is kept under in the supervisor, so a restarted app finds it. */
const KEPT_NAME = "python-kernel";

export type PythonKernelOptions = {
  /** The interpreter. Default "python3". */
  python?: string;
  /** Where figures are saved. Default `<workDir>/figures`. */
  figuresDir?: string;
  /** Output (stdout + stderr) kept per run. Default 100 000 bytes. */
  maxOutputBytes?: number;
  /** Rows sent per table. Default 50. */
  maxTableRows?: number;
  /** Default run timeout. Default 300 000 ms. */
  defaultTimeoutMs?: number;
  /** How long interrupted code may take to stop before the kernel is killed. Default 3 000 ms. */
  interruptGraceMs?: number;
  /** How long the kernel may take to start. Default 60 000 ms. */
  startTimeoutMs?: number;
  /** Extra environment for the kernel process. */
  env?: Record<string, string>;
};

const DEFAULTS = {
  python: "python3",
  maxOutputBytes: 100_000,
  maxTableRows: 50,
  defaultTimeoutMs: 300_000,
  interruptGraceMs: 3_000,
  startTimeoutMs: 60_000,
};

const KERNEL_ENV = {
  // Headless plotting, and a writable config dir on a read-only root filesystem.
  MPLBACKEND: "Agg",
  MPLCONFIGDIR: "/tmp/matplotlib",
  PYTHONUNBUFFERED: "1",
  PYTHONDONTWRITEBYTECODE: "1",
};

type Interruption = "timeout" | "abort" | "restart";

export class PythonKernel {
  private readonly options: typeof DEFAULTS & { figuresDir: string; env: Record<string, string> };
  private process: KernelProcess | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private nextId = 1;
  private starts = 0;
  private lossUnreported = false;
  private phase: "idle" | "starting" | "busy" = "idle";
  private interruptCurrent: ((reason: Interruption) => void) | null = null;

  constructor(
    private readonly host: KernelHost,
    options: PythonKernelOptions = {},
  ) {
    this.options = {
      python: options.python ?? DEFAULTS.python,
      maxOutputBytes: options.maxOutputBytes ?? DEFAULTS.maxOutputBytes,
      maxTableRows: options.maxTableRows ?? DEFAULTS.maxTableRows,
      defaultTimeoutMs: options.defaultTimeoutMs ?? DEFAULTS.defaultTimeoutMs,
      interruptGraceMs: options.interruptGraceMs ?? DEFAULTS.interruptGraceMs,
      startTimeoutMs: options.startTimeoutMs ?? DEFAULTS.startTimeoutMs,
      figuresDir: options.figuresDir ?? `${host.workDir.replace(/\/$/, "")}/figures`,
      env: options.env ?? {},
    };
  }

  get state(): KernelState {
    if (this.phase !== "idle") return this.phase;
    if (!this.process) return this.starts > 0 ? "dead" : "not-started";
    return this.process.dead ? "dead" : "idle";
  }

  /** A kernel process has been started at least once by this object. */
  get started(): boolean {
    return this.starts > 0;
  }

  /** Variables from earlier runs are gone and the next run will say so (`restarted: true`). */
  get stateLost(): boolean {
    return this.lossUnreported || (this.process?.dead ?? false);
  }

  /** The running kernel's pid, Python version and whether pandas/matplotlib exist. */
  get info(): KernelProcessInfo | null {
    return this.process && !this.process.dead ? this.process.info : null;
  }

  /**
   * Before a turn: finds the kernel this sandbox runs (one an earlier app process started is attached, its
   * variables intact) and answers whether variables from earlier runs are gone. Answering counts as telling:
   * the next run does not report the same loss again.
   */
  resume(): Promise<boolean> {
    return this.serialized(() =>
      this.host.whileActive(async (containerId) => {
        this.dropLostProcess(containerId);
        if (!this.process && this.starts === 0) this.process = await this.attachRunning(containerId);
        const lost = !this.process || this.lossUnreported;
        this.lossUnreported = false;
        return lost;
      }),
    );
  }

  /** Runs code in the kernel. Runs on one kernel queue up; user-code failures come back in the result. */
  run(code: string, options: KernelRunOptions = {}): Promise<KernelRunResult> {
    return this.serialized(() => this.runNow(code, options));
  }

  /** Interrupts the run in flight, if any (like a timeout). */
  interrupt(): boolean {
    if (!this.interruptCurrent) return false;
    this.interruptCurrent("abort");
    return true;
  }

  /** Kills the kernel (and a run in flight) and starts a fresh one: variables are reset. */
  async restart(): Promise<void> {
    this.interruptCurrent?.("restart");
    await this.process?.kill().catch(() => {});
    await this.serialized(async () => {
      if (this.process && !this.process.dead) await this.process.kill().catch(() => {});
      this.process = null;
      this.lossUnreported = false;
      await this.host.whileActive((containerId) => this.ensureProcess(containerId));
    });
  }

  /** Stops the kernel process. A later run starts a fresh one. */
  async shutdown(): Promise<void> {
    this.interruptCurrent?.("restart");
    const process = this.process;
    this.process = null;
    this.lossUnreported = false;
    await process?.shutdown();
  }

  private async runNow(code: string, options: KernelRunOptions): Promise<KernelRunResult> {
    const started = performance.now();
    if (options.signal?.aborted) {
      return emptyResult(started, {
        interrupted: true,
        error: { name: "Interrupted", value: "Stopped before the code started.", traceback: "" },
      });
    }
    return this.host.whileActive(async (containerId) => {
      let restarted = await this.ensureProcess(containerId);
      let attempt = await this.attempt(this.process!, code, options);
      if (!attempt.outcome.frame && !attempt.outcome.started && !attempt.interruption) {
        // The kernel was already dead (killed while idle) and the code never
        // ran: run it on a fresh kernel rather than blame it for the death.
        if (this.process === attempt.process) this.process = null;
        this.lossUnreported = true;
        restarted = await this.ensureProcess(containerId);
        attempt = await this.attempt(this.process!, code, options);
      }
      const { process, outcome, interruption, out } = attempt;
      const base = { stdout: out.stdout.join(""), stderr: out.stderr.join(""), durationMs: Math.round(performance.now() - started) };
      const frame = outcome.frame;
      // A kernel that died sent no displays or figures: only its text remains.
      const outputs = frame ? out.outputs : out.outputs.filter((output) => output.type === "stream");
      if (!frame) {
        // The process went away under the code: its variables went with it.
        if (this.process === process) this.process = null;
        const cause = interruption ? null : await process.exitCause().catch((): ExitCause => ({ kind: "unknown" }));
        return {
          ...base,
          outputs,
          error: deathError(interruption, cause, this.options.interruptGraceMs),
          figures: [],
          tables: [],
          displays: [],
          executionCount: null,
          files: [],
          truncated: false,
          interrupted: interruption !== null,
          timedOut: interruption === "timeout",
          restarted: true,
        };
      }
      const error = frame.error ?? undefined;
      const interrupted = interruption !== null && error?.name === "KeyboardInterrupt";
      return {
        ...base,
        outputs,
        ...(typeof frame.result === "string" ? { result: frame.result } : {}),
        ...(error ? { error } : {}),
        figures: frame.figures ?? [],
        tables: frame.tables ?? [],
        displays: frame.displays ?? [],
        executionCount: frame.executionCount ?? null,
        files: this.workspaceFiles(frame),
        truncated: frame.truncated ?? false,
        interrupted,
        timedOut: interrupted && interruption === "timeout",
        restarted,
      };
    });
  }

  /** One request to one kernel process, with the timeout and abort wired to an interrupt. */
  private async attempt(process: KernelProcess, code: string, options: KernelRunOptions) {
    const out = { stdout: [] as string[], stderr: [] as string[], outputs: [] as KernelOutput[] };
    let interruption: Interruption | null = null;
    let graceTimer: NodeJS.Timeout | undefined;
    const interrupt = (reason: Interruption) => {
      if (interruption) return;
      interruption = reason;
      if (reason === "restart") return;
      void process.interrupt().catch(() => {});
      graceTimer = setTimeout(() => void process.kill().catch(() => {}), this.options.interruptGraceMs);
    };
    const timer = setTimeout(() => interrupt("timeout"), options.timeoutMs ?? this.options.defaultTimeoutMs);
    const onAbort = () => interrupt("abort");
    options.signal?.addEventListener("abort", onAbort);
    this.interruptCurrent = interrupt;
    this.phase = "busy";
    try {
      const outcome = await process.request(
        {
          op: "run",
          id: this.nextId++,
          code,
          maxOutputBytes: this.options.maxOutputBytes,
          maxTableRows: this.options.maxTableRows,
          figuresDir: this.options.figuresDir,
        },
        (frame) => {
          if (frame.type === "output") {
            out.outputs.push({ type: frame.kind, index: frame.index });
            return;
          }
          out[frame.name].push(frame.text);
          const last = out.outputs.at(-1);
          if (last?.type === "stream" && last.name === frame.name) last.text += frame.text;
          else out.outputs.push({ type: "stream", name: frame.name, text: frame.text });
          options.onOutput?.({ stream: frame.name, text: frame.text });
        },
      );
      return { process, outcome, out, interruption: interruption as Interruption | null };
    } finally {
      clearTimeout(timer);
      clearTimeout(graceTimer);
      options.signal?.removeEventListener("abort", onAbort);
      this.interruptCurrent = null;
      this.phase = "idle";
    }
  }

  private workspaceFiles(frame: ResultFrame): string[] {
    const root = `${this.host.workDir.replace(/\/$/, "")}/`;
    const figures = new Set((frame.figures ?? []).map((figure) => figure.path));
    return (frame.files ?? []).filter((path) => path.startsWith(root) && !figures.has(path));
  }

  /** Makes sure a live kernel runs in this container; true when earlier variables were lost. */
  private async ensureProcess(containerId: string): Promise<boolean> {
    this.dropLostProcess(containerId);
    if (!this.process && this.starts === 0) this.process = await this.attachRunning(containerId);
    if (!this.process) {
      this.phase = "starting";
      try {
        this.process = await KernelProcess.start(
          () =>
            this.host.spawn([this.options.python, "-u", "-c", KERNEL_SOURCE], {
              env: { ...KERNEL_ENV, ...this.options.env },
              keepAs: KEPT_NAME,
            }),
          containerId,
          this.options.startTimeoutMs,
        );
        this.starts++;
      } finally {
        this.phase = "idle";
      }
    }
    const lost = this.lossUnreported;
    this.lossUnreported = false;
    return lost;
  }

  /** Forgets a kernel that died while idle (OOM, os._exit) or whose sandbox was stopped and woke: its variables are gone. */
  private dropLostProcess(containerId: string): void {
    if (!this.process || (!this.process.dead && this.process.containerId === containerId)) return;
    if (!this.process.dead) void this.process.kill().catch(() => {});
    this.process = null;
    this.lossUnreported = true;
  }

  /**
   * The kernel an earlier app process started in this container, if it still runs (the supervisor keeps
   * it): its variables carry on. One that does not answer in time is killed and a fresh one started.
   */
  private async attachRunning(containerId: string): Promise<KernelProcess | null> {
    const attached = await this.host.attachKept?.(KEPT_NAME).catch(() => null);
    if (!attached) return null;
    try {
      const process = await KernelProcess.start(async () => attached, containerId, this.options.startTimeoutMs, { attached: true });
      this.starts++;
      return process;
    } catch {
      await attached.kill().catch(() => {});
      this.lossUnreported = true;
      return null;
    }
  }

  private serialized<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => {});
    return run;
  }
}

function emptyResult(started: number, extra: Partial<KernelRunResult>): KernelRunResult {
  return {
    stdout: "",
    stderr: "",
    outputs: [],
    figures: [],
    tables: [],
    displays: [],
    executionCount: null,
    files: [],
    truncated: false,
    durationMs: Math.round(performance.now() - started),
    interrupted: false,
    timedOut: false,
    restarted: false,
    ...extra,
  };
}

function deathError(interruption: Interruption | null, cause: ExitCause | null, graceMs: number): KernelError {
  const reset = "Variables were reset; files in the workspace are intact.";
  if (interruption === "restart") return { name: "KernelRestarted", value: `The kernel was restarted on request. ${reset}`, traceback: "" };
  if (interruption) {
    const what = interruption === "timeout" ? "The code timed out and" : "The code was stopped but";
    return {
      name: interruption === "timeout" ? "TimeoutError" : "Interrupted",
      value: `${what} did not respond to the interrupt within ${graceMs} ms, so the kernel was restarted. ${reset}`,
      traceback: "",
    };
  }
  return { name: "KernelDied", value: `${describeDeath(cause ?? { kind: "unknown" })} ${reset}`, traceback: "" };
}

/** What happened to a kernel that died under the code, in words for the user and the model. */
export function describeDeath(cause: ExitCause): string {
  switch (cause.kind) {
    case "out-of-memory":
      return "The Python kernel ran out of memory: it reached the sandbox's memory limit and was killed. Load less at once (usecols, nrows, chunksize, smaller dtypes) or delete large variables you no longer need.";
    case "sandbox-stopped":
      return "The sandbox was stopped while the code ran (stopped by an admin, put to sleep, or restarted), and the Python kernel stopped with it.";
    case "killed":
      return `The Python kernel was killed by signal ${cause.signal}${SIGNAL_NAMES[cause.signal] ? ` (${SIGNAL_NAMES[cause.signal]})` : ""} from inside the sandbox, not by the memory limit.`;
    case "exited":
      return `The Python kernel exited with code ${cause.code}.`;
    case "unknown":
      return "The Python kernel stopped unexpectedly.";
  }
}

const SIGNAL_NAMES: Record<number, string> = { 1: "SIGHUP", 2: "SIGINT", 6: "SIGABRT", 9: "SIGKILL", 11: "SIGSEGV", 15: "SIGTERM" };
