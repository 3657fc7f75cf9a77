import { PassThrough } from "node:stream";
import type Docker from "dockerode";
import { ContainerUnavailableError, type RunningExec, lostToStoppedContainer, startDockerExec, stopsWithin } from "../docker-exec";
import { SandboxInfrastructureError } from "../errors";
import { type Frame, type FrameHeader, createFrameReader, encodeFrameParts } from "./frames";
import { KEEPALIVE_USER, SUPERVISOR_PATH } from "../supervisor-mount";

// One connection to a sandbox's supervisor: a `docker exec … connect` whose
// stdin and stdout carry frames. Requests are matched to replies by `rid`;
// process events go to whoever listens for that process.

const PROTOCOL_VERSION = 1;
/** `connect` exits 3 when nothing listens yet (the container is just starting). */
const NOT_LISTENING_EXIT = 3;
const HELLO_TIMEOUT_MS = 10_000;

/** The supervisor answered with an error code (PROTOCOL.md). */
export class SupervisorRequestError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** The error object of the reply: code, message and what else the supervisor said (e.g. `resolved`). */
    readonly details: FrameHeader,
  ) {
    super(message);
    this.name = "SupervisorRequestError";
  }
}

/**
 * The connection ended (the container stopped, Docker closed it): like a docker exec on a stopped container,
 * the sandbox may start (or reconnect) and retry what did not get an answer.
 */
export class SupervisorLostError extends ContainerUnavailableError {
  constructor(readonly detail: string) {
    super("not-running");
  }
}

export type Reply = { header: FrameHeader; data: Buffer };
export type ProcessListener = (frame: Frame) => void;

type Pending = { resolve: (reply: Reply) => void; reject: (error: Error) => void; onEvent?: (frame: Frame) => void };

export class SupervisorConnection {
  private nextRid = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Map<string, ProcessListener>();
  /** Events that beat the `start` reply to us, kept (bounded) until the process's listener registers. */
  private readonly early = new Map<string, Frame[]>();
  private earlyBytes = 0;
  private closedReason: string | null = null;
  private readonly closeHandlers = new Set<() => void>();

  private constructor(
    private readonly exec: RunningExec,
    private readonly input: PassThrough,
    /** Changes whenever the supervisor (so the container) started again. */
    readonly boot: string,
  ) {}

  /** Opens a connection; retries briefly while the supervisor is not listening yet. */
  static async open(container: Docker.Container): Promise<SupervisorConnection> {
    const deadline = Date.now() + HELLO_TIMEOUT_MS;
    for (;;) {
      const attempt = await SupervisorConnection.tryOpen(container, deadline);
      if (attempt) return attempt;
      if (Date.now() > deadline) throw new SandboxInfrastructureError("The sandbox supervisor is not answering.");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  private static async tryOpen(container: Docker.Container, deadline: number): Promise<SupervisorConnection | null> {
    // Room for a few 1 MiB frames, so a large write keeps the pipe busy instead of waiting on each drain.
    const input = new PassThrough({ highWaterMark: 4 * 1024 * 1024 });
    let connection: SupervisorConnection | null = null;
    let onHello: (frame: Frame) => void = () => {};
    const hello = new Promise<Frame>((resolve) => (onHello = resolve));
    let broken: string | null = null;
    let exec: RunningExec | null = null;
    let stderr = "";
    const read = createFrameReader((frame) => (connection ? connection.onFrame(frame) : onHello(frame)));
    // The bridge runs as `nobody`, so user code's `kill -9 -1` cannot cut the engine off.
    exec = await startDockerExec(container, { cmd: [SUPERVISOR_PATH, "connect"], stdin: input, user: KEEPALIVE_USER }, (stream, chunk) => {
      if (stream === "stderr") {
        if (stderr.length < 500) stderr += chunk.toString("utf8");
        return;
      }
      if (broken) return;
      try {
        read(chunk);
      } catch (error) {
        broken = (error as Error).message;
        connection?.close(`bad frame from the sandbox: ${broken}`);
        exec?.destroy();
      }
    });
    const ended = exec.ended.then(
      () => null,
      () => null,
    );
    const timer = new Promise<null>((resolve) => setTimeout(() => resolve(null), Math.max(0, deadline - Date.now())).unref());
    const first = await Promise.race([hello, ended, timer]);
    if (!first) {
      exec.destroy();
      const code = await exec.exitCode().catch(() => null);
      if (code === NOT_LISTENING_EXIT || code === null) return null;
      // The bridge failed because the container is stopping (killed): start it again, as for any exec.
      // A kill shows in Docker's state a moment after the bridge fails, whatever runc said: wait for it, bounded.
      if ((await lostToStoppedContainer(container, stderr.trim())) || (await stopsWithin(container, 3_000))) {
        throw new ContainerUnavailableError("not-running");
      }
      throw new SandboxInfrastructureError(`The sandbox supervisor could not be reached (exit ${code}).`);
    }
    if (first.header.ev !== "hello" || first.header.version !== PROTOCOL_VERSION || typeof first.header.boot !== "string") {
      exec.destroy();
      throw new SandboxInfrastructureError(`The sandbox supervisor speaks another protocol (${JSON.stringify(first.header).slice(0, 120)}).`);
    }
    connection = new SupervisorConnection(exec, input, first.header.boot);
    const opened = connection;
    void exec.ended.then(
      () => opened.close("the stream ended"),
      (error: Error) => opened.close(error.message),
    );
    return connection;
  }

  get closed(): boolean {
    return this.closedReason !== null;
  }

  /** Sends a request and resolves with its final reply; `onEvent` gets the frames before it (file chunks). */
  request(header: FrameHeader, data?: Uint8Array, onEvent?: (frame: Frame) => void): Promise<Reply> {
    if (this.closedReason !== null) return Promise.reject(new SupervisorLostError(this.closedReason));
    const rid = this.nextRid++;
    return new Promise<Reply>((resolve, reject) => {
      this.pending.set(rid, { resolve, reject, onEvent });
      this.writeFrame({ ...header, rid }, data);
    });
  }

  /** Sends a frame that gets no reply of its own (a write's chunks). Resolves when the pipe can take more. */
  async send(header: FrameHeader, data?: Uint8Array): Promise<void> {
    if (this.closedReason !== null) throw new SupervisorLostError(this.closedReason);
    if (!this.writeFrame(header, data)) await new Promise((resolve) => this.input.once("drain", resolve));
  }

  /** Writes one frame (its parts back to back: nothing else can come between); false when the pipe is full. */
  private writeFrame(header: FrameHeader, data?: Uint8Array): boolean {
    let room = true;
    for (const part of encodeFrameParts(header, data)) room = this.input.write(part);
    return room;
  }

  /** A request id for a multi-frame request (write): frames are then sent with `send`. */
  reserveRid(): number {
    return this.nextRid++;
  }

  /** Waits for the final reply to a request started with `send`. */
  awaitReply(rid: number, onEvent?: (frame: Frame) => void): Promise<Reply> {
    if (this.closedReason !== null) return Promise.reject(new SupervisorLostError(this.closedReason));
    return new Promise<Reply>((resolve, reject) => this.pending.set(rid, { resolve, reject, onEvent }));
  }

  listen(proc: string, listener: ProcessListener): void {
    this.listeners.set(proc, listener);
    const early = this.early.get(proc);
    this.dropEarly(proc);
    for (const frame of early ?? []) listener(frame);
  }

  unlisten(proc: string): void {
    this.listeners.delete(proc);
    this.dropEarly(proc);
  }

  onClose(handler: () => void): () => void {
    this.closeHandlers.add(handler);
    return () => this.closeHandlers.delete(handler);
  }

  close(reason = "closed"): void {
    if (this.closedReason !== null) return;
    this.closedReason = reason;
    this.input.end();
    this.exec.destroy();
    const error = new SupervisorLostError(reason);
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
    for (const handler of this.closeHandlers) handler();
    this.closeHandlers.clear();
  }

  private keepEarly(proc: string, frame: Frame): void {
    let frames = this.early.get(proc);
    if (!frames) {
      if (this.early.size >= EARLY_PROCESSES) this.dropEarly(this.early.keys().next().value!);
      frames = [];
      this.early.set(proc, frames);
    }
    if (frames.length >= EARLY_FRAMES || this.earlyBytes + frame.data.length > EARLY_BYTES) return;
    // A copy: the frame's data is a view of a chunk that may be much larger.
    frames.push({ header: frame.header, data: Buffer.from(frame.data) });
    this.earlyBytes += frame.data.length;
  }

  private dropEarly(proc: string): void {
    for (const frame of this.early.get(proc) ?? []) this.earlyBytes -= frame.data.length;
    this.early.delete(proc);
  }

  private onFrame(frame: Frame): void {
    const { header } = frame;
    if (typeof header.rid === "number") {
      const pending = this.pending.get(header.rid);
      if (!pending) return;
      if (header.ev !== undefined) {
        pending.onEvent?.(frame);
        return;
      }
      this.pending.delete(header.rid);
      if (header.ok === true) pending.resolve(frame);
      else pending.reject(requestError(header));
      return;
    }
    if (typeof header.proc === "string") {
      const listener = this.listeners.get(header.proc);
      if (listener) listener(frame);
      else this.keepEarly(header.proc, frame);
    } else if (header.ev === "fatal") this.close(`the supervisor refused: ${String(header.message)}`);
  }
}

const EARLY_PROCESSES = 64;
const EARLY_FRAMES = 256;
const EARLY_BYTES = 4 * 1024 * 1024;

function requestError(header: FrameHeader): SupervisorRequestError {
  const error = (typeof header.error === "object" && header.error !== null ? header.error : {}) as FrameHeader;
  const code = typeof error.code === "string" ? error.code : "io";
  return new SupervisorRequestError(code, typeof error.message === "string" ? error.message : "the supervisor refused", error);
}
