import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { Slots } from "../sandbox/slots";
import { DomainError } from "./errors";
import { HeavyOperations } from "./heavy-operations";

const limits = { read: { perUser: 2, global: 3 }, download: { perUser: 1, global: 2 } };

async function busyMessage(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe("busy");
    return (error as DomainError).message;
  }
  throw new Error("expected a busy error");
}

describe("Slots", () => {
  it("hands a freed slot to the first waiter, and gives up on time", async () => {
    const slots = new Slots(1);
    const first = slots.tryAcquire();
    expect(first).not.toBeNull();
    expect(slots.tryAcquire()).toBeNull();
    const waiting = slots.acquire(1_000);
    first!();
    first!(); // releasing twice frees one slot only
    const second = await waiting;
    expect(second).not.toBeNull();
    expect(slots.inUse).toBe(1);
    const started = Date.now();
    expect(await slots.acquire(50)).toBeNull();
    expect(Date.now() - started).toBeLessThan(500);
    expect(slots.waiting).toBe(0);
    second!();
    expect(slots.inUse).toBe(0);
  });
});

describe("HeavyOperations", () => {
  it("answers busy past the per-user limit after a bounded wait, and lets others through", async () => {
    const heavy = new HeavyOperations(limits, 50);
    const held = [await heavy.acquire("alice", "read"), await heavy.acquire("alice", "read")];
    const started = Date.now();
    expect(await busyMessage(heavy.acquire("alice", "read"))).toMatch(
      /You already have 2 file reads and previews running.*try again in a moment/,
    );
    expect(Date.now() - started).toBeLessThan(1_000);
    // Another user still gets a slot; downloads are counted apart from reads.
    const bob = await heavy.acquire("bob", "read");
    const download = await heavy.acquire("alice", "download");
    expect(heavy.usage("read")).toBe(3);
    // The process-wide limit: the crowd as a whole is refused, not only one user.
    expect(await busyMessage(heavy.acquire("carol", "read"))).toMatch(/server is busy.*Try again in a moment/);
    for (const release of [...held, bob, download]) release();
    expect(heavy.usage("read")).toBe(0);
    expect(heavy.usage("read", "alice")).toBe(0);
  });

  it("a waiter gets the slot when one frees up in time", async () => {
    const heavy = new HeavyOperations(limits, 2_000);
    const held = await heavy.acquire("alice", "download");
    const waiting = heavy.run("alice", "download", async () => "done");
    setTimeout(held, 20);
    await expect(waiting).resolves.toBe("done");
    expect(heavy.usage("download", "alice")).toBe(0);
  });

  it("run() frees the slot when the task fails", async () => {
    const heavy = new HeavyOperations(limits, 10);
    await expect(heavy.run("alice", "download", () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    await expect(heavy.run("alice", "download", async () => 1)).resolves.toBe(1);
  });

  it("a streaming operation holds its slot until the stream closes", async () => {
    const heavy = new HeavyOperations(limits, 10);
    const body = new PassThrough();
    await heavy.runStreaming("alice", "download", async () => ({ body }));
    expect(heavy.usage("download", "alice")).toBe(1);
    await busyMessage(heavy.acquire("alice", "download"));
    body.destroy();
    await new Promise((resolve) => setImmediate(resolve));
    expect(heavy.usage("download", "alice")).toBe(0);
  });
});
