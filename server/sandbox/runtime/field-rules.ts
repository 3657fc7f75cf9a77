// Syntax rules for the runtime config fields that reach a Dockerfile or a
// container. Each check returns a message for the form, or undefined when fine.

/** Runtime names appear in image tags and labels: Docker tag characters only. */
export const RUNTIME_NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/;

/** POSIX portable environment variable name. */
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Login name for the sandbox user (useradd's default rule). */
export const USER_NAME = /^[a-z_][a-z0-9_-]{0,31}$/;

// [registry[:port]/]path[:tag][@sha256:digest], Docker's reference grammar minus
// rarely used corners (a registry has a '.' or a port, or is localhost).
// No `$`, so FROM's variable expansion has nothing to expand.
const PATH_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
export const IMAGE_REFERENCE = new RegExp(
  `^(?:(?:[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)+(?::[0-9]+)?|localhost(?::[0-9]+)?|[A-Za-z0-9-]+:[0-9]+)/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$`,
);

// The work dir is created and chowned to the sandbox user at build time, so a
// system directory would hand it to that user.
const SYSTEM_DIRS = [
  "bin",
  "boot",
  "dev",
  "etc",
  "lib",
  "lib32",
  "lib64",
  "libx32",
  "proc",
  "root",
  "run",
  "sbin",
  "sys",
  "tmp",
  "usr",
  "var",
];

/** Newline, CR, NUL and the other C0 controls (tab is allowed) would split or truncate a Dockerfile line. */
export function controlCharacterProblem(value: string): string | undefined {
  const match = /[\u0000-\u0008\u000a-\u001f\u007f]/.exec(value);
  if (!match) return undefined;
  const code = match[0].charCodeAt(0);
  const name =
    code === 0
      ? "NUL"
      : code === 10
        ? "a newline"
        : code === 13
          ? "a carriage return"
          : `control character 0x${code.toString(16).padStart(2, "0")}`;
  return `contains ${name}; it must be a single line`;
}

export function workDirProblem(dir: string): string | undefined {
  if (!dir.startsWith("/")) return "must be an absolute path such as /workspace";
  if (!/^(?:\/[A-Za-z0-9._-]+)+\/?$/.test(dir)) return "may only contain letters, digits, '.', '_', '-' and '/'";
  const segments = dir.split("/").filter(Boolean);
  if (segments.some((segment) => segment === "." || segment === "..")) return "must not contain '.' or '..' segments";
  if (SYSTEM_DIRS.includes(segments[0] ?? ""))
    return `must not be inside /${segments[0]}: pick a directory of its own such as /workspace`;
  return undefined;
}
