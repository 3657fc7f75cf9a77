import type { ExecuteResult, FigureSummary, FileInfo, GrepResult, KernelOutput, KernelRunResult, KernelTable, Listing } from "~/server/sandbox";
import { type DisplayOutput, describeDisplay, toDisplayOutput } from "./display-output";
import { describeFigure } from "./figure-summary";
import { networkHint } from "./network-hint";

// What each console tool returns. Every output carries `text`, the compact
// view the model reads (toModelOutput sends only that); the other fields are
// structured data for the UI's tool part (figure paths, tables, exit codes).
// `ok: false` marks a tool failure the model should correct (a bad path, an
// edit that did not match), sent to the model as error text.

export type ToolFailure = { ok: false; text: string; code: string };

export type ExecuteOutput = {
  ok: true;
  text: string;
  /** -1 while running. */
  exitCode: number;
  timedOut: boolean;
  truncated: boolean;
  durationMs: number;
  /** Bytes kept when the output was cut (the sandbox's cap). */
  keptBytes?: number;
  /** Bytes the command wrote in all, when the output was cut. */
  totalBytes?: number;
  /** Why it failed, when the output says what the user may not know (no network by design). */
  hint?: string;
  /** A preliminary output: the command is still running (the UI part has `preliminary: true`). */
  running?: boolean;
};

/**
 * One piece of a run's output in the order it came: the next `length`
 * characters of stdout or stderr, or a display or figure by its index in
 * `displays` / `figures` (text by length, so it is not stored twice).
 */
export type RunOutputItem = { stream: "stdout" | "stderr"; length: number } | { display: number } | { figure: number };

export type RunPythonOutput = {
  ok: true;
  text: string;
  stdout: string;
  stderr: string;
  /** The output in order; absent while the code runs and in steps stored before it existed. */
  outputs?: RunOutputItem[];
  result?: string;
  error?: KernelRunResult["error"];
  /** PNGs saved in the sandbox; the UI fetches them by path (no image bytes in the message) and draws the summary as an interactive chart. */
  figures: { path: string; summary?: FigureSummary }[];
  tables: KernelTable[];
  /** Rich outputs (display(), images, HTML...) in order; images by path, like figures. */
  displays: DisplayOutput[];
  /** The kernel's run count, like a notebook's In [n]; null when unknown (still running, or the kernel died). */
  executionCount: number | null;
  files: string[];
  durationMs: number;
  interrupted: boolean;
  timedOut: boolean;
  restarted: boolean;
  truncated: boolean;
  /** Bytes kept when the output was cut (the kernel's cap). */
  keptBytes?: number;
  /** Why it failed, when the output says what the user may not know (no network by design). */
  hint?: string;
  /** A preliminary output: the code is still running (the UI part has `preliminary: true`). */
  running?: boolean;
};

export type FileToolOutput = { ok: true; text: string; path?: string };

export const RESTART_NOTICE = "[The Python kernel was restarted: variables from earlier runs are gone. Files in /workspace are intact; reload what you need.]";

export type FormatOptions = { timeoutMs: number; networkAllowed: boolean };

export function formatExecute(result: ExecuteResult, { timeoutMs, networkAllowed }: FormatOptions): ExecuteOutput {
  const lines: string[] = [];
  const output = result.output.replace(/\n$/, "");
  const keptBytes = Buffer.byteLength(result.output);
  const hint = result.exitCode !== 0 ? networkHint(result.output, networkAllowed) : undefined;
  lines.push(output.length > 0 ? output : "(no output)");
  if (result.truncated) lines.push(`[output cut: only the first ${formatBytes(keptBytes)} of ${formatBytes(result.outputBytes)} are shown; the rest was not kept]`);
  if (result.timedOut) lines.push(`[timed out after ${formatSeconds(timeoutMs)}: the command and its children were killed]`);
  if (result.aborted) lines.push("[stopped by the user]");
  if (result.sandboxStopped) lines.push("[the command could not be stopped on its own, so the sandbox was restarted: files in /workspace are intact; running processes and Python variables are gone]");
  if (hint) lines.push(`[${hint}]`);
  lines.push(`exit code: ${result.exitCode}`);
  return {
    ok: true,
    text: lines.join("\n"),
    exitCode: result.exitCode,
    timedOut: result.timedOut,
    truncated: result.truncated,
    ...(result.truncated ? { keptBytes, totalBytes: result.outputBytes } : {}),
    ...(hint ? { hint } : {}),
    durationMs: result.durationMs,
  };
}

/** What the UI shows while a command runs: the output so far. */
export function runningExecute(live: { stdout: string; stderr: string }): ExecuteOutput {
  const text = `${live.stdout}${live.stderr}`;
  return { ok: true, text, exitCode: -1, timedOut: false, truncated: false, durationMs: 0, running: true };
}

/** What the UI shows while Python runs: the output so far. */
export function runningPython(live: { stdout: string; stderr: string }): RunPythonOutput {
  return {
    ok: true,
    text: [live.stdout && `stdout:\n${live.stdout}`, live.stderr && `stderr:\n${live.stderr}`].filter(Boolean).join("\n\n"),
    stdout: live.stdout,
    stderr: live.stderr,
    figures: [],
    tables: [],
    displays: [],
    executionCount: null,
    files: [],
    durationMs: 0,
    interrupted: false,
    timedOut: false,
    restarted: false,
    truncated: false,
    running: true,
  };
}

export function formatRunPython(result: KernelRunResult, { timeoutMs, networkAllowed }: FormatOptions): RunPythonOutput {
  const shown = result.displays.map((display) => toDisplayOutput(display));
  const displays = shown.filter((display) => display !== null);
  const keptBytes = Buffer.byteLength(result.stdout) + Buffer.byteLength(result.stderr);
  const failed = `${result.error ? `${result.error.name}: ${result.error.value}\n${result.error.traceback}` : ""}${result.stderr}`;
  const hint = networkHint(failed, networkAllowed);
  const sections: string[] = [];
  if (result.restarted) sections.push(RESTART_NOTICE);
  if (result.stdout) sections.push(`stdout:\n${trimEnd(result.stdout)}`);
  if (result.stderr) sections.push(`stderr:\n${trimEnd(result.stderr)}`);
  if (result.truncated) sections.push(`[output cut: only the first ${formatBytes(keptBytes)} are shown; print less, e.g. df.head() or a summary]`);
  if (result.result !== undefined) sections.push(`result:\n${result.result}`);
  if (result.error) {
    const { name, value, traceback } = result.error;
    sections.push(`error: ${name}${value ? `: ${value}` : ""}${traceback ? `\n${trimEnd(traceback)}` : ""}`);
  }
  if (result.timedOut && !result.restarted) {
    sections.push(`[timed out after ${formatSeconds(timeoutMs)}: interrupted with KeyboardInterrupt; variables are kept]`);
  } else if (result.interrupted && !result.restarted) {
    sections.push("[stopped by the user: interrupted with KeyboardInterrupt; variables are kept]");
  }
  for (const display of displays) {
    const text = describeDisplay(display);
    if (text) sections.push(text);
  }
  for (const figure of result.figures) {
    const chart = figure.summary ? `\n${describeFigure(figure.summary)}` : "";
    sections.push(`figure saved: ${figure.path} (shown to the user)${chart}`);
  }
  for (const table of result.tables) sections.push(describeTable(table));
  if (result.files.length > 0) sections.push(`files written: ${result.files.join(", ")}`);
  if (hint) sections.push(`[${hint}]`);
  if (sections.length === 0) sections.push("(no output)");
  return {
    ok: true,
    text: sections.join("\n\n"),
    stdout: result.stdout,
    stderr: result.stderr,
    outputs: orderedOutputs(result.outputs, shown),
    ...(result.result !== undefined ? { result: result.result } : {}),
    ...(result.error ? { error: result.error } : {}),
    figures: result.figures.map((figure) => ({ path: figure.path, ...(figure.summary ? { summary: figure.summary } : {}) })),
    tables: result.tables,
    displays,
    executionCount: result.executionCount,
    files: result.files,
    durationMs: result.durationMs,
    interrupted: result.interrupted,
    timedOut: result.timedOut,
    restarted: result.restarted,
    truncated: result.truncated,
    ...(result.truncated ? { keptBytes } : {}),
    ...(hint ? { hint } : {}),
  };
}

/** The kernel's ordered outputs with text as lengths and display indices into the displays kept (those with nothing to show are left out). */
function orderedOutputs(outputs: KernelOutput[], shown: (DisplayOutput | null)[]): RunOutputItem[] {
  let next = 0;
  const kept = shown.map((display) => (display === null ? -1 : next++));
  return outputs.flatMap((output): RunOutputItem[] => {
    if (output.type === "stream") return [{ stream: output.name, length: output.text.length }];
    if (output.type === "figure") return [{ figure: output.index }];
    const index = kept[output.index] ?? -1;
    return index < 0 ? [] : [{ display: index }];
  });
}

function describeTable(table: KernelTable): string {
  const shown = table.rows.length < table.totalRows ? `; first ${table.rows.length} rows shown to the user` : "";
  return `table${table.name ? ` ${table.name}` : ""}: ${table.totalRows} rows × ${table.columns.length} columns${shown}`;
}

export function formatListing(path: string, listing: Listing): FileToolOutput {
  if (listing.entries.length === 0) return { ok: true, text: `${path} is empty.`, path };
  const lines = listing.entries.map((entry) => (entry.isDir ? `${entry.name}/` : `${entry.name}  (${formatBytes(entry.size)})`));
  if (listing.truncated) lines.push(`[only the first ${listing.entries.length} entries are shown]`);
  return { ok: true, text: lines.join("\n"), path };
}

export function formatGlob(pattern: string, listing: Listing): FileToolOutput {
  if (listing.entries.length === 0) return { ok: true, text: `No files match ${pattern}.` };
  const lines = listing.entries.map((entry: FileInfo) => entry.path);
  if (listing.truncated) lines.push(`[only the first ${listing.entries.length} matches are shown]`);
  return { ok: true, text: lines.join("\n") };
}

export function formatGrep(pattern: string, result: GrepResult): FileToolOutput {
  if (result.matches.length === 0) return { ok: true, text: `No matches for ${pattern}.` };
  const lines = result.matches.map((match) => `${match.path}:${match.lineNumber}: ${match.line}`);
  if (result.truncated) lines.push(`[only the first ${result.matches.length} matches are shown; narrow the search]`);
  return { ok: true, text: lines.join("\n") };
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KB", "MB", "GB", "TB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

function trimEnd(text: string): string {
  return text.replace(/\s+$/, "");
}
