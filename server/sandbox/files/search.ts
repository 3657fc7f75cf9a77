import path from "node:path";
import type Docker from "dockerode";
import { SandboxError } from "../errors";
import { matchesGlob } from "../glob-match";
import { CHECK_DIR, STATUS, runScript, throwForStatus } from "./file-exec";
import { TEMP_PREFIXES, findTempNameArgs } from "./temp-names";

// The engine's own temp files (a write or an upload in flight) are never listed.
const NOT_TEMP = `! ${findTempNameArgs()}`;

// ls, glob and grep run find/grep in the container and parse NUL-separated
// output (any file name survives). Every listing is capped and says so.

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

export class InvalidPatternError extends SandboxError {
  constructor(
    readonly pattern: string,
    detail: string,
  ) {
    super("invalid_pattern", `Pattern ${JSON.stringify(pattern)} is not valid: ${detail}`);
  }
}

export async function listDirectory(container: Docker.Container, dir: string, options: { maxEntries?: number } = {}): Promise<Listing> {
  const max = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
  const script = `${CHECK_DIR} find . -mindepth 1 -maxdepth 1 ${NOT_TEMP} -printf '%y\\t%s\\t%T@\\t%P\\0' 2>/dev/null | head -z -n "$2"`;
  const result = await runScript(container, script, [dir, String(max + 1)], { operation: "ls", timeoutMs: SEARCH_TIMEOUT_MS });
  throwForStatus(result, dir, "ls");
  const entries = parseRecords(result.stdout, 4).map(([type, size, mtime, name]) => toInfo(dir, name, type, size, mtime));
  entries.sort((a, b) => Number(b.isDir) - Number(a.isDir) || a.name.localeCompare(b.name));
  return { entries: entries.slice(0, max), truncated: entries.length > max };
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
  const scanLimit = 200_000;
  const prune = options.includeHidden ? `${findTempNameArgs()} -prune -o` : `\\( -name '.*' -prune \\) -o`;
  const script = `${CHECK_DIR} find . -mindepth 1 ${prune} -type f -printf 'f\\t%s\\t%T@\\t%P\\0' 2>/dev/null | head -z -n "$2"`;
  const result = await runScript(container, script, [options.path, String(scanLimit)], { operation: "glob", timeoutMs: SEARCH_TIMEOUT_MS });
  throwForStatus(result, options.path, "glob");
  const matches = parseRecords(result.stdout, 4)
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
export async function grepFiles(container: Docker.Container, pattern: string, options: GrepOptions): Promise<GrepResult> {
  const max = options.maxMatches ?? 500;
  const flags = ["-rnIH", "--null", "--color=never", "-s", options.fixedStrings ? "-F" : "-E"];
  if (options.ignoreCase) flags.push("-i");
  if (!options.includeHidden) flags.push("--exclude=.*", "--exclude-dir=.*");
  else for (const prefix of Object.values(TEMP_PREFIXES)) flags.push(`--exclude=${prefix}*`, `--exclude-dir=${prefix}*`);
  if (options.glob) flags.push(`--include=${options.glob}`);
  const script = `[ -e "$1" ] || exit ${STATUS.notFound}; p=$1; n=$2; shift 2; grep "$@" -- "$p" | head -n "$n"`;
  const result = await runScript(container, script, [options.path, String(max + 1), ...flags, "-e", pattern], {
    operation: "grep",
    timeoutMs: SEARCH_TIMEOUT_MS,
  });
  throwForStatus(result, options.path, "grep");
  const matches: GrepMatch[] = [];
  for (const record of result.stdout.toString("utf8").split("\n")) {
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
  if (matches.length === 0 && result.stderr.trim()) throw new InvalidPatternError(pattern, result.stderr.trim().split("\n")[0] ?? "");
  return { matches: matches.slice(0, max), truncated: matches.length > max };
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
