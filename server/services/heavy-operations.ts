import type { Readable } from "node:stream";
import { type Release, Slots } from "../sandbox/slots";
import { DomainError } from "./errors";

// Operations that hold server memory or a Docker stream for a while (file reads,
// previews, downloads) are counted per user and for the whole process, so no
// user, and no crowd, can queue up enough of them to exhaust the server. Past
// a limit a caller waits briefly for a slot, then gets a "busy" error: never a
// hang. The counts live in this process (each app process guards its own memory).

export type HeavyKind = "read" | "download";

export type HeavyLimits = Record<HeavyKind, { perUser: number; global: number }>;

export const HEAVY_LIMITS: HeavyLimits = {
  // A read buffers up to the engine's 5 MB text cap and decodes it: about 20-30 MB of heap at its peak.
  read: { perUser: 3, global: 6 },
  // A download streams with backpressure (about 1 MB buffered) but holds an exec for its whole length.
  download: { perUser: 3, global: 16 },
};

/** How long a caller waits for a slot before hearing "busy". */
export const HEAVY_WAIT_MS = 5_000;

const WHAT: Record<HeavyKind, string> = { read: "file reads and previews", download: "downloads" };

export class HeavyOperations {
  private readonly global: Record<HeavyKind, Slots>;
  private readonly users = new Map<string, Slots>();

  constructor(
    private readonly limits: HeavyLimits = HEAVY_LIMITS,
    private readonly waitMs = HEAVY_WAIT_MS,
  ) {
    this.global = { read: new Slots(limits.read.global), download: new Slots(limits.download.global) };
  }

  /** A slot for one operation of this user, or a "busy" DomainError after a bounded wait. */
  async acquire(userId: string, kind: HeavyKind): Promise<Release> {
    const deadline = Date.now() + this.waitMs;
    const key = `${kind}:${userId}`;
    let mine = this.users.get(key);
    if (!mine) {
      mine = new Slots(this.limits[kind].perUser);
      this.users.set(key, mine);
    }
    const userSlot = await mine.acquire(this.waitMs);
    if (!userSlot) {
      this.forgetIdle(key, mine);
      throw new DomainError(
        "busy",
        `You already have ${this.limits[kind].perUser} ${WHAT[kind]} running. Wait for one to finish, then try again in a moment.`,
      );
    }
    const globalSlot = await this.global[kind].acquire(deadline - Date.now());
    if (!globalSlot) {
      userSlot();
      this.forgetIdle(key, mine);
      throw new DomainError("busy", `The server is busy with other people's ${WHAT[kind]}. Try again in a moment.`);
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      globalSlot();
      userSlot();
      this.forgetIdle(key, mine);
    };
  }

  /** Runs `task` holding a slot; the slot is freed when it settles. */
  async run<T>(userId: string, kind: HeavyKind, task: () => Promise<T>): Promise<T> {
    const release = await this.acquire(userId, kind);
    try {
      return await task();
    } finally {
      release();
    }
  }

  /** For streams: the slot is held until the stream ends, fails or is closed (a client went away). */
  async runStreaming<T extends { body: Readable }>(
    userId: string,
    kind: HeavyKind,
    task: () => Promise<T>,
  ): Promise<T> {
    const release = await this.acquire(userId, kind);
    try {
      const result = await task();
      if (result.body.destroyed || result.body.readableEnded) release();
      result.body.once("close", release).once("end", release).once("error", release);
      return result;
    } catch (error) {
      release();
      throw error;
    }
  }

  /** How many slots are taken (for tests and the admin view). */
  usage(kind: HeavyKind, userId?: string): number {
    if (userId === undefined) return this.global[kind].inUse;
    return this.users.get(`${kind}:${userId}`)?.inUse ?? 0;
  }

  // Per-user counters exist only while used, so the map stays as small as the crowd.
  private forgetIdle(key: string, slots: Slots): void {
    if (slots.inUse === 0 && slots.waiting === 0 && this.users.get(key) === slots) this.users.delete(key);
  }
}

/** The process-wide limiter every service uses (on globalThis: Next's route and tRPC bundles share one). */
const globalForHeavy = globalThis as unknown as { tidepoolHeavyOperations?: HeavyOperations };
export const heavyOperations = (globalForHeavy.tidepoolHeavyOperations ??= new HeavyOperations());
