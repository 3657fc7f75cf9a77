import type { ExitCause } from "../exit-cause";
import type { SpawnedProcess } from "../spawn";
import { KernelStartError } from "./errors";
import {
  createFrameDecoder,
  encodeRequest,
  type KernelFrame,
  type OutputFrame,
  type ReadyFrame,
  type ResultFrame,
  type RunRequest,
  type StreamFrame,
} from "./protocol";

// One running kernel process: frames in and out, and what happened to it.
// A request resolves with the kernel's result frame, or with `frame: null` if
// the process went away first (killed, out of memory, os._exit, container
// gone); `started` says whether the kernel had begun running the code.

export type KernelProcessInfo = Omit<ReadyFrame, "type">;

export type RequestOutcome = { frame: ResultFrame | null; started: boolean };

type Pending = {
  id: number;
  started: boolean;
  onStream: (frame: StreamFrame | OutputFrame) => void;
  resolve: (outcome: RequestOutcome) => void;
};

const STDERR_TAIL_BYTES = 4096;

export class KernelProcess {
  readonly info: KernelProcessInfo;
  private pending: Pending | null = null;
  private exitCode: number | null = null;
  private gone = false;
  private stderrTail = "";
  private oomKillsAtStart: number | null = null;

  private constructor(
    private readonly process: SpawnedProcess,
    readonly containerId: string,
    ready: ReadyFrame,
  ) {
    const { type: _type, ...info } = ready;
    this.info = info;
  }

  /**
   * Spawns the kernel and waits for its ready frame; or, given a kernel that
   * was already running (kept by the supervisor across an app restart), asks
   * it for that frame again.
   */
  static async start(
    spawn: () => Promise<SpawnedProcess>,
    containerId: string,
    timeoutMs: number,
    options: { attached?: boolean } = {},
  ): Promise<KernelProcess> {
    const process = await spawn();
    if (options.attached) process.stdin.write(encodeRequest({ op: "info", id: 0 }));
    let kernel: KernelProcess | null = null;
    let stderr = "";
    let timer: NodeJS.Timeout | undefined;
    const ready = new Promise<ReadyFrame>((resolve, reject) => {
      const decode = createFrameDecoder(
        (frame) => {
          if (kernel) kernel.onFrame(frame);
          else if (frame.type === "ready") resolve(frame);
        },
        (line) => (kernel ? kernel.onStderr(`${line}\n`) : (stderr += `${line}\n`)),
      );
      process.stdout.on("data", decode);
      process.stderr.on("data", (chunk: Buffer) => {
        if (kernel) kernel.onStderr(chunk.toString("utf8"));
        else stderr = (stderr + chunk.toString("utf8")).slice(-STDERR_TAIL_BYTES);
      });
      void process.exited.then((code) => {
        if (kernel) kernel.onExit(code);
        else reject(new KernelStartError(describeStartFailure(code, stderr)));
      });
      timer = setTimeout(() => reject(new KernelStartError(`The Python kernel did not start within ${timeoutMs} ms.`)), timeoutMs);
    });
    try {
      kernel = new KernelProcess(process, containerId, await ready);
    } catch (error) {
      await process.kill();
      throw error;
    } finally {
      clearTimeout(timer);
    }
    kernel.stderrTail = stderr;
    return kernel;
  }

  /** The process has exited (or was killed). */
  get dead(): boolean {
    return this.gone;
  }

  get exitStatus(): number | null {
    return this.exitCode;
  }

  /** Why the process went away (waits for it): the memory limit, a kill, the sandbox stopping, or its own exit. */
  exitCause(): Promise<ExitCause> {
    return this.process.exitCause(this.oomKillsAtStart);
  }

  /** Last bytes the process wrote to its own stderr (the kernel's, not user code's). */
  get diagnostics(): string {
    return this.stderrTail;
  }

  get pid(): number {
    return this.info.pid;
  }

  /** Runs a request; `onStream` gets its text and output marks in the order the kernel sent them. */
  request(request: RunRequest, onStream: (frame: StreamFrame | OutputFrame) => void): Promise<RequestOutcome> {
    if (this.gone) return Promise.resolve({ frame: null, started: false });
    if (this.pending) throw new Error("Kernel requests must not overlap.");
    return new Promise((resolve) => {
      this.pending = { id: request.id, started: false, onStream, resolve };
      this.process.stdin.write(encodeRequest(request));
    });
  }

  interrupt(): Promise<void> {
    return this.process.signal("INT");
  }

  /** Kills the kernel and anything it started; resolves once it is gone. */
  async kill(): Promise<void> {
    await this.process.kill();
    this.onExit(this.exitCode);
  }

  /** Closes stdin (the kernel exits on EOF), then kills it if it lingers. */
  async shutdown(graceMs = 1_000): Promise<void> {
    if (this.gone) return;
    this.process.stdin.end();
    const exited = await Promise.race([this.process.exited.then(() => true), sleep(graceMs).then(() => false)]);
    if (!exited) await this.kill();
  }

  private onFrame(frame: KernelFrame): void {
    const pending = this.pending;
    if (!pending) return;
    if (frame.type === "started" && frame.id === pending.id) {
      pending.started = true;
      this.oomKillsAtStart = frame.oomKills ?? null;
    } else if ((frame.type === "stream" || frame.type === "output") && frame.id === pending.id) pending.onStream(frame);
    else if (frame.type === "result" && (frame.id === pending.id || frame.id === null)) {
      this.pending = null;
      pending.resolve({ frame, started: true });
    }
  }

  private onStderr(text: string): void {
    this.stderrTail = (this.stderrTail + text).slice(-STDERR_TAIL_BYTES);
  }

  private onExit(code: number | null): void {
    if (this.gone) return;
    this.gone = true;
    this.exitCode = code;
    const pending = this.pending;
    this.pending = null;
    pending?.resolve({ frame: null, started: pending.started });
  }
}

function describeStartFailure(code: number | null, stderr: string): string {
  const detail = stderr.trim().split("\n").slice(-3).join(" | ");
  if (code === 127 || /not found/i.test(stderr)) {
    return "This runtime has no Python (python3 not found), so run_python is unavailable. Use execute with the runtime's own tools.";
  }
  return `The Python kernel exited while starting (exit code ${code ?? "unknown"})${detail ? `: ${detail}` : ""}.`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
