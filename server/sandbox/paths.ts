import path from "node:path";
import { InvalidPathError, InvalidSandboxOptionsError, PathOutsideWorkspaceError } from "./errors";

// Path rules (DESIGN.md security rule 3). These are lexical checks that give the
// agent a clear error early; the real boundary is that every file operation runs
// inside the container as the sandbox user, so a symlink can only reach what that
// user could reach anyway, never the host.

// C0 controls, DEL and C1 controls. Tabs and newlines in file names are legal on
// Linux but only ever confuse tools and people.
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/;

/** Linux limits (NAME_MAX, PATH_MAX without the NUL), in bytes of UTF-8. */
export const MAX_NAME_BYTES = 255;
export const MAX_PATH_BYTES = 4095;

/** Kernel interfaces: a work dir or cwd there would hand out the container's file descriptors, memory or devices. */
export const SYSTEM_DIRS = ["/proc", "/sys", "/dev"] as const;

export function isUnderSystemDir(absolute: string): boolean {
  return SYSTEM_DIRS.some((dir) => absolute === dir || absolute.startsWith(`${dir}/`));
}

/** Validates an absolute, normalized work dir such as `/workspace`. */
export function normalizeWorkDir(workDir: string): string {
  if (!workDir.startsWith("/") || CONTROL_CHARS.test(workDir)) throw new InvalidPathError(workDir, "the work dir must be an absolute path");
  const normalized = path.posix.normalize(workDir).replace(/\/+$/, "");
  if (normalized === "") throw new InvalidPathError(workDir, "the work dir cannot be /");
  if (isUnderSystemDir(normalized)) {
    throw new InvalidSandboxOptionsError(`The work dir ${JSON.stringify(workDir)} is inside ${SYSTEM_DIRS.join(", ")}: choose a folder such as /workspace.`);
  }
  return normalized;
}

/**
 * Resolves a user-supplied path to an absolute path inside `workDir`.
 * Relative paths resolve under the work dir; absolute paths must already be under it.
 * `..` that would leave the work dir, NUL and control characters are refused.
 */
export function resolveSandboxPath(input: string, workDir: string): string {
  if (typeof input !== "string" || input.length === 0) throw new InvalidPathError(String(input), "the path is empty");
  if (input.includes("\u0000")) throw new InvalidPathError(input, "it contains a NUL byte");
  if (CONTROL_CHARS.test(input)) throw new InvalidPathError(input, "it contains control characters");
  if (input.length > MAX_PATH_BYTES) throw new InvalidPathError(input.slice(0, 64) + "…", `it is longer than ${MAX_PATH_BYTES} bytes`);
  const absolute = input.startsWith("/") ? input : `${workDir}/${input}`;
  const normalized = path.posix.normalize(absolute).replace(/(.)\/+$/, "$1");
  if (normalized !== workDir && !normalized.startsWith(`${workDir}/`)) throw new PathOutsideWorkspaceError(input, workDir);
  checkLengths(input, normalized);
  return normalized;
}

/** The kernel's limits, checked up front: past them it answers "File name too long" (or worse, "Permission denied"). */
function checkLengths(input: string, normalized: string): void {
  const shown = input.length > 80 ? `${input.slice(0, 64)}…` : input;
  if (Buffer.byteLength(normalized, "utf8") > MAX_PATH_BYTES) throw new InvalidPathError(shown, `the path is longer than ${MAX_PATH_BYTES} bytes; use a shorter one`);
  for (const name of normalized.split("/")) {
    if (Buffer.byteLength(name, "utf8") > MAX_NAME_BYTES) {
      throw new InvalidPathError(shown, `a name in it is longer than ${MAX_NAME_BYTES} bytes (UTF-8); use a shorter name`);
    }
  }
}

/** The path relative to the work dir, for display ("" for the work dir itself). */
export function relativeToWorkDir(absolute: string, workDir: string): string {
  if (absolute === workDir) return "";
  return absolute.startsWith(`${workDir}/`) ? absolute.slice(workDir.length + 1) : absolute;
}

/** Environment variable names as POSIX defines them; values without NUL. */
export function checkEnv(env: Record<string, string> | undefined): string[] {
  if (!env) return [];
  return Object.entries(env).map(([name, value]) => {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new InvalidPathError(name, "not a valid environment variable name");
    if (String(value).includes("\u0000")) throw new InvalidPathError(name, "the environment value contains a NUL byte");
    return `${name}=${value}`;
  });
}
