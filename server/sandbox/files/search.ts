import path from "node:path";
import type Docker from "dockerode";
import { SandboxError } from "../errors";
import { matchesGlob } from "../glob-match";
import { supervisorOf } from "../supervisor/sandbox-supervisor";
import { CHECK_DIR, STATUS, runScript, throwForStatus } from "./file-exec";
import { supervisorSearch } from "./native-search";
import { TEMP_PREFIXES, findTempNameArgs } from "./temp-names";

// ls, glob and grep: answered by the sandbox's supervisor, or else by find
// and grep run in the container; either way NUL-separated records (any file
// name survives). Every listing is capped and says so.

// The engine's own temp files (a write or an upload in flight) are never listed.
const TEMP_NAMES = Object.values(TEMP_PREFIXES);

export type FileType = "file" | "directory" | "symlink" | "other";

export type FileInfo = {
  name: string;
  /** Absolute path in the container. */
  path: string;
  isDir: boolean;
  type: FileType;
  /** Bytes (for a symlink: the link itself). */
  size: number;
  modifiedMs: number;
};

export type Listing = { entries: FileInfo[]; truncated: boolean };

export const DEFAULT_MAX_ENTRIES = 1000;
const SEARCH_TIMEOUT_MS = 60_000;
/** glob filters names here, after the walk: look at no more than this many files. */
const GLOB_SCAN_LIMIT = 200_000;

export class InvalidPatternError extends SandboxError {
  constructor(
    readonly pattern: string,
    detail: string,
  ) {
    super("invalid_pattern", `Pattern ${JSON.stringify(pattern)} is not valid: ${detail}`);
  }
}

export async function listDirectory(
  container: Docker.Container,
  dir: string,
  options: { maxEntries?: number } = {},
): Promise<Listing> {
  const max = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
  const { records, truncated } = await walkRecords(container, dir, {
    depth: 1,
    filesOnly: false,
    hidden: true,
    limit: max + 1,
    operation: "ls",
  });
  const entries = parseRecords(records, 4).map(([type, size, mtime, name]) => toInfo(dir, name, type, size, mtime));
  entries.sort((a, b) => Number(b.isDir) - Number(a.isDir) || a.name.localeCompare(b.name));
  return { entries: entries.slice(0, max), truncated: truncated || entries.length > max };
}

export type GlobOptions = {
  /** Folder to search (absolute, resolved by the caller). */
  path: string;
  maxResults?: number;
  /** Also look inside hidden files and folders (".venv", ".git"…). Default false. */
  includeHidden?: boolean;
};

/** Files matching a glob (`*.csv`, `**\/*.py`, `data/*.json`) under a folder, sorted by path. */
export async function globFiles(container: Docker.Container, pattern: string, options: GlobOptions): Promise<Listing> {
  const max = options.maxResults ?? DEFAULT_MAX_ENTRIES;
  const { records } = await walkRecords(container, options.path, {
    depth: 0,
    filesOnly: true,
    hidden: !!options.includeHidden,
    limit: GLOB_SCAN_LIMIT,
    operation: "glob",
  });
  const matches = parseRecords(records, 4)
    .filter(([, , , rel]) => matchesGlob(rel, pattern))
    .map(([type, size, mtime, rel]) => toInfo(options.path, rel, type, size, mtime));
  matches.sort((a, b) => a.path.localeCompare(b.path));
  return { entries: matches.slice(0, max), truncated: matches.length > max };
}

export type GrepOptions = {
  /** File or folder to search (absolute, resolved by the caller). */
  path: string;
  /** Only files whose name matches this glob, e.g. "*.py". */
  glob?: string;
  ignoreCase?: boolean;
  /** Treat the pattern as a plain string rather than an extended regex. */
  fixedStrings?: boolean;
  includeHidden?: boolean;
  maxMatches?: number;
};

export type GrepMatch = { path: string; lineNumber: number; line: string };
export type GrepResult = { matches: GrepMatch[]; truncated: boolean };

const MAX_MATCH_LINE = 500;

/** Lines matching a pattern (extended regex by default), with file and line number. Binary files are skipped. */
export async function grepFiles(
  container: Docker.Container,
  pattern: string,
  options: GrepOptions,
): Promise<GrepResult> {
  const max = options.maxMatches ?? 500;
  const { records, stderr } = await grepRecords(container, pattern, options, max + 1);
  const matches: GrepMatch[] = [];
  for (const record of records.toString("utf8").split("\n")) {
    const nul = record.indexOf("\u0000");
    if (nul < 0) continue;
    const rest = record.slice(nul + 1);
    const colon = rest.indexOf(":");
    const lineNumber = Number(rest.slice(0, colon));
    if (colon < 0 || !Number.isInteger(lineNumber)) continue;
    const line = rest.slice(colon + 1);
    matches.push({
      path: record.slice(0, nul),
      lineNumber,
      line: line.length > MAX_MATCH_LINE ? `${line.slice(0, MAX_MATCH_LINE)}…` : line,
    });
  }
  if (matches.length === 0 && stderr.trim()) throw new InvalidPatternError(pattern, stderr.trim().split("\n")[0] ?? "");
  return { matches: matches.slice(0, max), truncated: matches.length > max };
}

type WalkOptions = { depth: number; filesOnly: boolean; hidden: boolean; limit: number; operation: "ls" | "glob" };

/** Entries under a folder as find prints them: type, size, mtime and relative path, tab-separated, each ended by a NUL. */
async function walkRecords(
  container: Docker.Container,
  dir: string,
  options: WalkOptions,
): Promise<{ records: Buffer; truncated: boolean }> {
  const supervisor = supervisorOf(container);
  if (supervisor) {
    const { depth, filesOnly, hidden, limit } = options;
    const search = { op: "walk" as const, path: dir, depth, filesOnly, hidden, max: limit, skip: TEMP_NAMES, timeoutMs: SEARCH_TIMEOUT_MS };
    return supervisorSearch(supervisor, search);
  }
  const depth = options.depth > 0 ? `-maxdepth ${options.depth}` : "";
  const prune = options.hidden ? `${findTempNameArgs()} -prune -o` : `\\( -name '.*' -prune \\) -o`;
  const type = options.filesOnly ? "-type f" : "";
  const script = `${CHECK_DIR} find . -mindepth 1 ${depth} ${prune} ${type} -printf '%y\\t%s\\t%T@\\t%P\\0' 2>/dev/null | head -z -n "$2"`;
  const result = await runScript(container, script, [dir, String(options.limit)], {
    operation: options.operation,
    timeoutMs: SEARCH_TIMEOUT_MS,
  });
  throwForStatus(result, dir, options.operation);
  return { records: result.stdout, truncated: false };
}

/** Matching lines as grep -nH --null prints them (path, NUL, number:line); stderr has grep's complaint about a bad pattern. */
async function grepRecords(
  container: Docker.Container,
  pattern: string,
  options: GrepOptions,
  limit: number,
): Promise<{ records: Buffer; stderr: string }> {
  const supervisor = supervisorOf(container);
  if (supervisor) {
    const search = {
      op: "grep" as const,
      path: options.path,
      pattern,
      ignoreCase: !!options.ignoreCase,
      fixed: !!options.fixedStrings,
      hidden: !!options.includeHidden,
      include: options.glob,
      skip: TEMP_NAMES,
      max: limit,
      timeoutMs: SEARCH_TIMEOUT_MS,
    };
    return {
      ...(await supervisorSearch(supervisor, search, (detail) => new InvalidPatternError(pattern, detail))),
      stderr: "",
    };
  }
  const flags = ["-rnIH", "--null", "--color=never", "-s", options.fixedStrings ? "-F" : "-E"];
  if (options.ignoreCase) flags.push("-i");
  if (!options.includeHidden) flags.push("--exclude=.*", "--exclude-dir=.*");
  else for (const prefix of TEMP_NAMES) flags.push(`--exclude=${prefix}*`, `--exclude-dir=${prefix}*`);
  if (options.glob) flags.push(`--include=${options.glob}`);
  const script = `[ -e "$1" ] || exit ${STATUS.notFound}; p=$1; n=$2; shift 2; grep "$@" -- "$p" | head -n "$n"`;
  const result = await runScript(container, script, [options.path, String(limit), ...flags, "-e", pattern], {
    operation: "grep",
    timeoutMs: SEARCH_TIMEOUT_MS,
  });
  throwForStatus(result, options.path, "grep");
  return { records: result.stdout, stderr: result.stderr };
}

type Record4 = [string, string, string, string];

function parseRecords(stdout: Buffer, fields: 4): Record4[] {
  return stdout
    .toString("utf8")
    .split("\u0000")
    .filter((r) => r.length > 0)
    .map((r) => {
      const parts = r.split("\t");
      // The name is last and may itself contain tabs.
      return [parts[0] ?? "", parts[1] ?? "", parts[2] ?? "", parts.slice(fields - 1).join("\t")];
    });
}

function toInfo(dir: string, name: string, type = "f", size = "0", mtime = "0"): FileInfo {
  const kind: FileType = type === "d" ? "directory" : type === "f" ? "file" : type === "l" ? "symlink" : "other";
  return {
    name: path.posix.basename(name),
    path: dir === "/" ? `/${name}` : `${dir}/${name}`,
    isDir: kind === "directory",
    type: kind,
    size: Number(size) || 0,
    modifiedMs: Math.round(Number(mtime) * 1000) || 0,
  };
}
