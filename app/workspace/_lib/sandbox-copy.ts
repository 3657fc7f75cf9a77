import type { SandboxState } from "./types";

// What each sandbox state means, in words for people who aren't engineers.
// The persistence contract: files in /workspace persist; processes and variables don't survive a stop.

export type StateCopy = { label: string; headline: string; detail: string; tone: "neutral" | "busy" | "good" | "idle" };

export const SANDBOX_STATE_COPY: Record<SandboxState, StateCopy> = {
  none: {
    label: "Stopped",
    headline: "Your sandbox is stopped",
    detail:
      "Your files in /workspace are safe. Start it to preview files and run commands; programs and variables start fresh.",
    tone: "neutral",
  },
  starting: {
    label: "Starting",
    headline: "Getting your sandbox ready",
    detail: "Your files are safe while it starts.",
    tone: "busy",
  },
  running: {
    label: "Running",
    headline: "Your sandbox is running",
    detail: "Ready to use. Programs you start and Python variables stay alive while it runs.",
    tone: "good",
  },
  paused: {
    label: "Idle",
    headline: "Paused while you were away",
    detail: "Nothing was lost: programs and variables are frozen, not reset. It wakes instantly when you use it.",
    tone: "idle",
  },
  asleep: {
    label: "Asleep",
    headline: "Asleep — files are safe",
    detail: "Variables and running programs were reset. Your files in /workspace are intact; it wakes when you use it.",
    tone: "idle",
  },
};

export const PERSISTENCE_CONTRACT =
  "Files in /workspace are kept across sign-outs and restarts. Running programs, Python variables and anything outside /workspace are reset when the sandbox stops.";
