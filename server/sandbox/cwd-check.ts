import { FileNotFoundError, PathOutsideWorkspaceError, PermissionDeniedError, WrongFileTypeError } from "./errors";
import { SYSTEM_DIRS } from "./paths";

// A command's working directory is entered by the exec's own shell, with
// symlinks resolved there (`cd -P`, then `pwd -P` checked against the work
// dir) before the command is exec'd in it: the lexical checks in paths.ts
// cannot see a link such as `fd7 -> /proc/self/fd/7`, and Docker's WorkingDir
// would follow it in runc, outside the sandbox's view. The check and the use
// are the same process, so there is no window for the link to change between.
//
// The script's arguments: a nonce (its refusals start with it, so output of a
// user's command can never pass for one), the work dir, the cwd, then the argv
// to exec. Refusals exit 125 and go to `failFd`.

export const CWD_REFUSED_EXIT = 125;

const SYSTEM_PATTERNS = SYSTEM_DIRS.map((dir) => `${dir}/*`).join("|");

export function cwdCheckScript(failFd: 1 | 2, then = 'exec "$@"'): string {
  return `
n=$1; w=$2; d=$3; shift 3
cd -P -- "$w" 2>/dev/null || { echo "$n workdir" >&${failFd}; exit ${CWD_REFUSED_EXIT}; }
w=$(pwd -P)
if ! cd -P -- "$d" 2>/dev/null; then
  r=$(readlink -f -- "$d" 2>/dev/null)
  case "$r/" in "$w"/*|/) ;; *) echo "$n outside $r" >&${failFd}; exit ${CWD_REFUSED_EXIT};; esac
  if [ ! -e "$d" ]; then echo "$n missing" >&${failFd}; elif [ ! -d "$d" ]; then echo "$n notdir" >&${failFd}; else echo "$n denied" >&${failFd}; fi
  exit ${CWD_REFUSED_EXIT}
fi
p=$(pwd -P)
case "$p/" in "$w"/*) ;; *) echo "$n outside $p" >&${failFd}; exit ${CWD_REFUSED_EXIT};; esac
case "$p/" in ${SYSTEM_PATTERNS}) echo "$n outside $p" >&${failFd}; exit ${CWD_REFUSED_EXIT};; esac
${then}
`;
}

/** The typed error for a refusal line of the script, or null when `line` is not one. */
export function cwdRefusal(line: string, nonce: string, cwd: string, workDir: string): Error | null {
  if (!line.startsWith(`${nonce} `)) return null;
  const [reason = "", ...rest] = line
    .slice(nonce.length + 1)
    .trim()
    .split(" ");
  const resolved = rest.join(" ");
  switch (reason) {
    case "missing":
      return new FileNotFoundError(cwd);
    case "notdir":
      return new WrongFileTypeError(cwd, "directory");
    case "denied":
      return new PermissionDeniedError(cwd);
    case "workdir":
      return new FileNotFoundError(workDir);
    default:
      return new PathOutsideWorkspaceError(
        cwd,
        workDir,
        resolved ? `it resolves to ${resolved} through a symbolic link` : undefined,
      );
  }
}
