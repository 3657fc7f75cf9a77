import { describe, expect, it } from "vitest";
import { type IdleCandidate, planIdleActions } from "./idle-policy";

const policy = { pauseAfterMs: 1000, stopAfterMs: 10_000, maxPaused: 2 };
const now = 100_000;
const s = (id: string, state: IdleCandidate["state"], idleMs: number, busy = false): IdleCandidate => ({ id, state, lastActiveAt: now - idleMs, busy });

describe("planIdleActions", () => {
  it("pauses after the short idle, stops after the long one", () => {
    expect(planIdleActions([s("a", "running", 500), s("b", "running", 2000), s("c", "paused", 20_000), s("d", "running", 10_000)], now, policy)).toEqual({
      pause: ["b"],
      stop: ["c", "d"],
    });
  });
  it("never touches a busy session", () => {
    expect(planIdleActions([s("a", "running", 50_000, true), s("b", "paused", 50_000, true)], now, policy)).toEqual({ pause: [], stop: [] });
  });
  it("ignores sessions that are not live", () => {
    expect(planIdleActions([s("a", "stopped", 50_000), s("b", "new", 50_000)], now, policy)).toEqual({ pause: [], stop: [] });
  });
  it("stops the longest-idle paused sessions beyond the cap", () => {
    const plan = planIdleActions([s("p1", "paused", 5000), s("p2", "paused", 3000), s("r1", "running", 2000), s("r2", "running", 1500)], now, policy);
    expect(plan.stop.sort()).toEqual(["p1", "p2"]);
    expect(plan.pause.sort()).toEqual(["r1", "r2"]);
  });
  it("pausing can be disabled", () => {
    expect(planIdleActions([s("a", "running", 5000)], now, { ...policy, pauseAfterMs: 0 })).toEqual({ pause: [], stop: [] });
  });
});
