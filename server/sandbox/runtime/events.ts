import type { BuildStep } from "./errors";

/** What a build reports, in order: start, steps with their log lines, then done or error. */
export type BuildEvent =
  | { type: "start"; runtime: string; tag: string; totalSteps: number }
  | { type: "step"; index: number; total: number; title: string; instruction: string }
  | { type: "log"; line: string; step?: number }
  | { type: "done"; tag: string; cached: boolean; durationMs: number }
  | { type: "error"; message: string; step?: BuildStep; logTail: string[] };

export type BuildEventListener = (event: BuildEvent) => void;
