import type { Writable } from "node:stream";
import { ContainerUnavailableError } from "../docker-exec";
import { type Frame, type FrameHeader, createFrameReader, encodeFrameParts } from "./frames";

// One connection to a sandbox's supervisor over a byte stream (a link): frames
// both ways. Requests are matched to replies by `rid`; process events go to
// whoever listens for that process. The first frame is the supervisor's hello.

export const PROTOCOL_VERSION = 1;

/** A byte stream to the supervisor. */
export type SupervisorLink = {
  /** How the bytes travel: a `docker exec … connect` bridge, or a unix socket the supervisor dialled. */
  readonly kind: "docker-exec" | "socket";
  /** Where our frames go; its write() result and "drain" are the backpressure. */
  readonly output: Writable;
  /** Ends the stream (the supervisor then ends what this connection started, PROTOCOL.md). */
  close(): void;
};

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

  private helloSeen = false;
  private onHello: (header: FrameHeader) => void = () => {};
  /** The supervisor's first frame (it says who it is); never settles when the link ends first. */
  readonly hello = new Promise<FrameHeader>((resolve) => (this.onHello = resolve));
  private readonly read = createFrameReader((frame) => this.onFrame(frame));

  constructor(readonly link: SupervisorLink) {}

  /** Bytes from the supervisor: a broken frame ends the connection. */
  receive(chunk: Buffer): void {
    if (this.closedReason !== null) return;
    try {
      this.read(chunk);
    } catch (error) {
      this.close(`bad frame from the sandbox: ${(error as Error).message}`);
    }
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
    if (!this.writeFrame(header, data)) await new Promise((resolve) => this.link.output.once("drain", resolve));
  }

  /** Writes one frame (its parts back to back: nothing else can come between); false when the pipe is full. */
  private writeFrame(header: FrameHeader, data?: Uint8Array): boolean {
    let room = true;
    for (const part of encodeFrameParts(header, data)) room = this.link.output.write(part);
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
    this.link.close();
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
    if (!this.helloSeen) {
      this.helloSeen = true;
      this.onHello(header);
      return;
    }
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
