import type { DockerSandbox } from "~/server/sandbox";
import {
  DELIMITED_FILE,
  type LoadOverrides,
  type LoadPlan,
  pandasExcelCall,
  pandasReadCall,
  sniffTable,
} from "~/server/ingest";
import { WORKSPACE_SCAN_SOURCE } from "./workspace-scan-source.generated";

// What the user has in /workspace, for the system prompt: one Python script
// (python/workspace_scan.py, its arguments as argv) run inside the sandbox
// (never reading the workspace from the host) lists the newest files and, for
// data files (CSV/TSV/Excel/Parquet/JSON), reads columns, dtypes, row counts,
// nulls and a few sample rows. Small CSV/TSV files
// are read with the csv module, reporting what pandas would (its dtypes, nulls
// and text): importing pandas costs most of a turn's CPU, and fifty people
// starting a chat at once paid it fifty times. pandas reads the rest, when it
// is installed; without Python the summary is a listing.
//
// Delimited files (CSV, TSV, gzipped, a zipped CSV) are read the way the
// ingestion module plans: a first run returns the listing and the first bytes
// of those files, the module sniffs each (delimiter, encoding, comment lines,
// preamble, header), and a second run describes them with that plan; the
// prompt then shows the exact pandas call that loads each one. Where the user
// chose otherwise in the preview (overrides, a workbook's sheet) for the file
// as it is now, that choice wins, so the hint matches what the user saw.

export type FileColumn = { name: string; dtype?: string; nulls?: number };

export type WorkspaceFileSummary = {
  /** Absolute path in the sandbox. */
  path: string;
  size: number;
  modifiedMs: number;
  rows?: number;
  /** Rows counted from lines (large file) rather than parsed. */
  rowsApproximate?: boolean;
  lines?: number;
  columns?: FileColumn[];
  /** A few rows, cells as short text. */
  sample?: string[][];
  sheets?: string[];
  /** The workbook's sheet described (and named in `load`): the user's pick, else the first. */
  sheet?: string;
  jsonKeys?: string[];
  /** The pandas call that loads this file as sniffed (delimited files). */
  load?: string;
  /** Nothing to read: no bytes, or only blank lines. */
  empty?: boolean;
  /** Why details are missing (e.g. "no parquet engine installed"). */
  error?: string;
};

export type WorkspaceDescription = { files: WorkspaceFileSummary[]; totalFiles: number };

export type DescribeOptions = {
  /** Files listed, newest first. Default 30. */
  maxFiles?: number;
  /** Data files read in detail. Default 8. */
  maxDetailed?: number;
  sampleRows?: number;
  /** Larger data files are read only in part (rows then come from a line count). Default 25 MB. */
  partialReadBytes?: number;
  timeoutMs?: number;
  /** How the user chose to read files (by path), each for the file version it was made on. */
  choices?: Record<string, ReadChoice>;
};

/** A version of a file: its size and modification time (ms) as listed. */
export type FileVersion = { size: number; modifiedMs: number };
/** A user's way of reading one file, made on (and applied only while the file still is) one version of it. */
export type ReadChoice = { overrides?: LoadOverrides; sheet?: string } & FileVersion;

export async function describeWorkspaceFiles(
  sandbox: Pick<DockerSandbox, "run" | "glob" | "workDir">,
  options: DescribeOptions = {},
): Promise<WorkspaceDescription> {
  const config = {
    root: sandbox.workDir,
    maxFiles: options.maxFiles ?? 30,
    maxDetailed: options.maxDetailed ?? 8,
    sampleRows: options.sampleRows ?? 3,
    partialBytes: options.partialReadBytes ?? 25 * 1024 * 1024,
  };
  const timeoutMs = options.timeoutMs ?? 30_000;
  try {
    const heads = await runScript<{ heads: Record<string, string>; versions: Record<string, FileVersion> }>(
      sandbox,
      { ...config, phase: "heads", headBytes: HEAD_BYTES },
      timeoutMs,
      HEAD_OUTPUT_BYTES,
    );
    const choices = currentChoices(options.choices ?? {}, heads?.versions ?? {});
    const plans = heads?.heads ? planFiles(heads.heads, choices) : {};
    const sheets = Object.fromEntries(
      Object.entries(choices).flatMap(([path, choice]) => (choice.sheet ? [[path, choice.sheet]] : [])),
    );
    const parsed = await runScript<WorkspaceDescription>(
      sandbox,
      { ...config, phase: "describe", plans, sheets },
      timeoutMs,
    );
    if (parsed && Array.isArray(parsed.files)) {
      for (const file of parsed.files) {
        const plan = plans[file.path];
        if (plan && !file.empty) file.load = pandasReadCall(file.path, plan);
        else if (file.sheets?.length) file.load = pandasExcelCall(file.path, file.sheets, file.sheet);
        if (/\.xls$/i.test(file.path) && file.error?.includes("xlrd")) file.error = XLS_UNREADABLE;
      }
      return parsed;
    }
  } catch {
    // Fall through to a plain listing.
  }
  return listingOnly(sandbox, config.maxFiles);
}

/** Bytes of each delimited file sniffed: a few hundred rows. */
const HEAD_BYTES = 32 * 1024;
/** Base64 heads of up to maxDetailed files. */
const HEAD_OUTPUT_BYTES = 4 * 1024 * 1024;

/** pandas reads .xls only through xlrd 2, which Debian (and so the built-in runtimes) lacks. */
const XLS_UNREADABLE =
  "pandas here can't read .xls (it needs xlrd 2.0.1 or newer); ask the user to save it as .xlsx or CSV (the file preview shows its sheets)";

/** The choices made on the files as they are now (a file changed since keeps no choice). */
function currentChoices(
  choices: Record<string, ReadChoice>,
  versions: Record<string, FileVersion>,
): Record<string, ReadChoice> {
  return Object.fromEntries(
    Object.entries(choices).filter(([path, choice]) => {
      const version = versions[path];
      return version !== undefined && version.size === choice.size && version.modifiedMs === choice.modifiedMs;
    }),
  );
}

/** The ingestion module's plan for each file whose head came back (binary ones get none), with the user's overrides. */
function planFiles(heads: Record<string, string>, choices: Record<string, ReadChoice>): Record<string, LoadPlan> {
  const plans: Record<string, LoadPlan> = {};
  for (const [path, base64] of Object.entries(heads)) {
    if (!DELIMITED_FILE.test(path)) continue;
    const bytes = Buffer.from(base64, "base64");
    try {
      const sniffed = sniffTable(path, bytes, { cut: bytes.length >= HEAD_BYTES, overrides: choices[path]?.overrides });
      if (sniffed) plans[path] = sniffed.plan;
    } catch {
      // An unreadable archive: described without a plan (its error shows in the summary).
    }
  }
  return plans;
}

async function runScript<T>(
  sandbox: Pick<DockerSandbox, "run">,
  config: object,
  timeoutMs: number,
  maxOutputBytes?: number,
): Promise<T | null> {
  const result = await sandbox.run(["python3", "-c", WORKSPACE_SCAN_SOURCE, JSON.stringify(config)], {
    timeoutMs,
    ...(maxOutputBytes ? { maxOutputBytes } : {}),
  });
  return result.exitCode === 0 && !result.truncated ? (JSON.parse(result.stdout) as T) : null;
}

/** Without Python (or if the script failed): names, sizes and dates only. */
async function listingOnly(sandbox: Pick<DockerSandbox, "glob">, maxFiles: number): Promise<WorkspaceDescription> {
  try {
    const listing = await sandbox.glob("**/*", { maxResults: 2000 });
    const files = listing.entries
      .filter((entry) => !/\/figures\//.test(entry.path))
      .sort((a, b) => b.modifiedMs - a.modifiedMs)
      .slice(0, maxFiles)
      .map((entry) => ({ path: entry.path, size: entry.size, modifiedMs: entry.modifiedMs }));
    return { files, totalFiles: listing.entries.length };
  } catch {
    return { files: [], totalFiles: 0 };
  }
}
