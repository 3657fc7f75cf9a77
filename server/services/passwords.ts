import os from "node:os";
import { Worker } from "node:worker_threads";
import bcrypt from "bcryptjs";

// bcrypt (cost 11: about 140 ms of CPU per hash here) runs on worker threads:
// on the event loop, fifty people signing in at once stalled every other
// request for seconds, long enough for database waits to time out. The
// workers are plain inline scripts (no file for Next to bundle), taking jobs
// in order and never keeping the process alive.

const COST = 11;
const WORKERS = Math.max(1, Math.min(2, os.availableParallelism() - 1));

const WORKER_SOURCE = `
const { parentPort } = require("node:worker_threads");
const bcrypt = require("bcryptjs");
parentPort.on("message", ({ id, password, hash, cost }) => {
  try {
    parentPort.postMessage({ id, value: hash === undefined ? bcrypt.hashSync(password, cost) : bcrypt.compareSync(password, hash) });
  } catch (error) {
    parentPort.postMessage({ id, error: String(error && error.message || error) });
  }
});`;

type Job = { id: number; password: string; hash?: string; cost?: number };
type Reply = { id: number; value?: string | boolean; error?: string };
type Pending = { resolve: (value: string | boolean) => void; reject: (error: Error) => void };

class HashingPool {
  private readonly workers: { worker: Worker; busy: number }[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  run(job: Omit<Job, "id">): Promise<string | boolean> {
    const id = this.nextId++;
    const slot = this.slot();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      slot.busy++;
      slot.worker.ref();
      slot.worker.postMessage({ ...job, id } satisfies Job);
    });
  }

  /** The least busy worker, started on first use. */
  private slot() {
    if (this.workers.length < WORKERS) this.workers.push({ worker: this.start(), busy: 0 });
    return this.workers.reduce((least, slot) => (slot.busy < least.busy ? slot : least));
  }

  private start(): Worker {
    const worker = new Worker(WORKER_SOURCE, { eval: true });
    worker.unref();
    worker.on("message", (reply: Reply) => {
      const slot = this.workers.find((candidate) => candidate.worker === worker);
      if (slot && --slot.busy === 0) worker.unref();
      const pending = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (reply.error !== undefined) pending?.reject(new Error(reply.error));
      else pending?.resolve(reply.value!);
    });
    worker.on("error", (error: Error) => {
      // A crashed worker fails its jobs and is replaced on next use.
      const index = this.workers.findIndex((candidate) => candidate.worker === worker);
      if (index >= 0) this.workers.splice(index, 1);
      for (const [id, pending] of this.pending) {
        pending.reject(error);
        this.pending.delete(id);
      }
    });
    return worker;
  }
}

const globalForHashing = globalThis as unknown as { tidepoolHashing?: HashingPool };
const pool = (globalForHashing.tidepoolHashing ??= new HashingPool());

export async function hashPassword(password: string): Promise<string> {
  return (await pool.run({ password, cost: COST })) as string;
}

export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  return (await pool.run({ password, hash })) as boolean;
}

/** A hash to compare against when the account does not exist, so timing does not reveal which emails are registered. */
export const DUMMY_HASH = bcrypt.hashSync("tidepool-no-such-account", COST);
