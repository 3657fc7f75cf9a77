import { describe, expect, it } from "vitest";
import { BuildJob } from "./build-job";
import type { BuildEvent } from "./events";

/** A job whose build finishes when the test says so. */
function controllableJob() {
  let finish!: () => void;
  let fail!: (error: Error) => void;
  let emit!: (event: BuildEvent) => void;
  let buildSignal!: AbortSignal;
  const job = new BuildJob("tag", "demo", (jobEmit, signal) => {
    emit = jobEmit;
    buildSignal = signal;
    return new Promise<void>((resolve, reject) => {
      finish = resolve;
      fail = reject;
      signal.addEventListener("abort", () => reject(signal.reason as Error));
    });
  });
  return {
    job,
    finish: () => finish(),
    fail: (error: Error) => fail(error),
    emit: (event: BuildEvent) => emit(event),
    signal: () => buildSignal,
  };
}

const log = (line: string): BuildEvent => ({ type: "log", line });

describe("BuildJob", () => {
  it("replays what a late follower missed, then streams live", async () => {
    const { job, emit, finish } = controllableJob();
    const early: BuildEvent[] = [];
    const late: BuildEvent[] = [];
    const first = job.follow((event) => early.push(event), undefined);
    emit(log("one"));
    const second = job.follow((event) => late.push(event), undefined);
    emit(log("two"));
    finish();
    await Promise.all([first, second]);
    expect(early).toEqual([log("one"), log("two")]);
    expect(late).toEqual([log("one"), log("two")]);
  });

  it("rejects every follower with the build's error", async () => {
    const { job, fail } = controllableJob();
    const followers = [job.follow(undefined, undefined), job.follow(undefined, undefined)];
    fail(new Error("boom"));
    for (const follower of followers) await expect(follower).rejects.toThrow("boom");
    await expect(job.finished).resolves.toBeUndefined();
  });

  it("cancels the build only when every follower has aborted", async () => {
    const { job, signal } = controllableJob();
    const a = new AbortController();
    const b = new AbortController();
    const followA = job.follow(undefined, a.signal);
    const followB = job.follow(undefined, b.signal);
    a.abort(new Error("a left"));
    await expect(followA).rejects.toThrow("a left");
    expect(signal().aborted).toBe(false);
    b.abort(new Error("b left"));
    await expect(followB).rejects.toThrow("b left");
    expect(signal().aborted).toBe(true);
  });

  it("keeps the build going for others when one listener throws", async () => {
    const { job, emit, finish } = controllableJob();
    const seen: BuildEvent[] = [];
    const broken = job.follow(() => {
      throw new Error("closed stream");
    }, undefined);
    const healthy = job.follow((event) => seen.push(event), undefined);
    emit(log("still here"));
    finish();
    await Promise.all([broken, healthy]);
    expect(seen).toEqual([log("still here")]);
  });
});
