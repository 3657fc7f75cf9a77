import path from "node:path";
import { InvalidPathError, PathOutsideWorkspaceError } from "./errors";

// Path rules (DESIGN.md security rule 3). These are lexical checks that give the
// agent a clear error early; the real boundary is that every file operation runs
// inside the container as the sandbox user, so a symlink can only reach what that
// user could reach anyway, never the host.

// C0 controls, DEL and C1 controls. Tabs and newlines in file names are legal on
// Linux but only ever confuse tools and people.
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/;

/** Validates an absolute, normalized work dir such as `/workspace`. */
export function normalizeWorkDir(workDir: string): string {
  if (!workDir.startsWith("/") || CONTROL_CHARS.test(workDir)) throw new InvalidPathError(workDir, "the work dir must be an absolute path");
  const normalized = path.posix.normalize(workDir).replace(/\/+$/, "");
  if (normalized === "") throw new InvalidPathError(workDir, "the work dir cannot be /");
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
  if (input.length > 4096) throw new InvalidPathError(input.slice(0, 64) + "…", "it is longer than 4096 characters");
  const absolute = input.startsWith("/") ? input : `${workDir}/${input}`;
  const normalized = path.posix.normalize(absolute).replace(/(.)\/+$/, "$1");
  if (normalized !== workDir && !normalized.startsWith(`${workDir}/`)) throw new PathOutsideWorkspaceError(input, workDir);
  return normalized;
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
