// Idle tiers, as a pure decision: which sessions to pause (docker pause: no CPU,
// memory and processes kept, resume in milliseconds) and which to stop (container
// removed, files kept, wake in a fraction of a second). Busy sessions are never
// touched. A cap on paused sessions keeps memory bounded: the longest-idle
// paused ones are stopped first.

export type IdlePolicy = {
  /** Pause after this much idle time. Infinity (or 0) disables pausing. */
  pauseAfterMs: number;
  /** Stop (remove the container) after this much idle time. Infinity disables. */
  stopAfterMs: number;
  /** At most this many paused sessions; beyond, the longest-idle are stopped. */
  maxPaused: number;
};

export const DEFAULT_IDLE_POLICY: IdlePolicy = { pauseAfterMs: 5 * 60_000, stopAfterMs: 60 * 60_000, maxPaused: 50 };

export type IdleCandidate = {
  id: string;
  state: "new" | "running" | "paused" | "stopped";
  lastActiveAt: number;
  busy: boolean;
};

export type IdlePlan = { pause: string[]; stop: string[] };

export function planIdleActions(sessions: IdleCandidate[], now: number, policy: IdlePolicy): IdlePlan {
  const pause: string[] = [];
  const stop: string[] = [];
  const paused: IdleCandidate[] = [];
  for (const session of sessions) {
    if (session.state !== "running" && session.state !== "paused") continue;
    if (session.busy) {
      if (session.state === "paused") paused.push(session);
      continue;
    }
    const idle = now - session.lastActiveAt;
    if (idle >= policy.stopAfterMs) {
      stop.push(session.id);
    } else if (session.state === "running" && policy.pauseAfterMs > 0 && idle >= policy.pauseAfterMs) {
      pause.push(session.id);
      paused.push(session);
    } else if (session.state === "paused") {
      paused.push(session);
    }
  }
  if (paused.length > policy.maxPaused) {
    const overflow = paused
      .filter((s) => !s.busy)
      .sort((a, b) => a.lastActiveAt - b.lastActiveAt)
      .slice(0, paused.length - policy.maxPaused);
    for (const session of overflow) {
      const index = pause.indexOf(session.id);
      if (index >= 0) pause.splice(index, 1);
      stop.push(session.id);
    }
  }
  return { pause, stop };
}
