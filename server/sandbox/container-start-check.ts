import type Docker from "dockerode";
import { InvalidSandboxOptionsError, SandboxError } from "./errors";
import { runScript } from "./files/file-exec";
import { findTempNameArgs } from "./files/temp-names";
import { SYSTEM_DIRS } from "./paths";

// Run once on a freshly started container, before any operation: the work dir
// must resolve (symlinks followed inside the container) to a real folder
// outside /proc, /sys and /dev, and temporary files a stop interrupted are
// swept (no write or upload can be in flight in a container nobody used yet).

const WORKDIR_REFUSED = 20;
const SWEEP_TIMEOUT_MS = 30_000;

const SCRIPT = `
cd -P -- "$1" 2>/dev/null || { echo "$1"; exit ${WORKDIR_REFUSED}; }
p=$(pwd -P)
case "$p/" in ${SYSTEM_DIRS.map((dir) => `${dir}/*`).join("|")}|//) echo "$p"; exit ${WORKDIR_REFUSED};; esac
echo ok
find . -xdev ${findTempNameArgs()} -prune -exec rm -rf -- {} + 2>/dev/null
exit 0
`;

export async function checkStartedContainer(container: Docker.Container, workDir: string): Promise<void> {
  let result;
  try {
    result = await runScript(container, SCRIPT, [workDir], { operation: "start check", timeoutMs: SWEEP_TIMEOUT_MS });
  } catch (error) {
    // A sweep that ran long is not a reason to refuse the sandbox; the work dir was checked before it began.
    if (error instanceof SandboxError && error.code === "sandbox_timeout") return;
    throw error;
  }
  const out = result.stdout.toString("utf8").trim();
  if (result.exitCode === WORKDIR_REFUSED) {
    throw new InvalidSandboxOptionsError(
      `The work dir ${workDir} resolves to ${out || "nothing"} inside the container: it must be a folder outside ${SYSTEM_DIRS.join(", ")}. Choose a folder such as /workspace.`,
    );
  }
}
