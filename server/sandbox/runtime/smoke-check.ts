import type Docker from "dockerode";
import { attachLines } from "../attach-lines";
import type { RuntimeConfig } from "./schema";

// Runs a freshly built image the way a sandbox will (non-root, no network, no
// capabilities) and checks the basics plus the runtime's own smoke command.

export type SmokeCheckOptions = {
  labels: Record<string, string>;
  onLine: (line: string) => void;
  signal: AbortSignal;
};

export type SmokeCheckResult = { passed: boolean; exitCode: number; output: string[] };

// $1 is the expected uid. Checks the image runs as the sandbox user in a
// writable work dir before the runtime's own check.
const PRELUDE = [
  '[ "$(id -u)" = "$1" ] || { echo "smoke check: expected uid $1, running as $(id -u)" >&2; exit 90; }',
  '{ touch .tidepool-smoke && rm .tidepool-smoke; } || { echo "smoke check: $PWD is not writable by the sandbox user" >&2; exit 91; }',
].join("\n");

export async function runSmokeCheck(
  docker: Docker,
  image: string,
  config: RuntimeConfig,
  options: SmokeCheckOptions,
): Promise<SmokeCheckResult> {
  const script = `${PRELUDE}\n${config.smokeCheck ?? "true"}`;
  const container = await docker.createContainer({
    Image: image,
    Cmd: ["/bin/sh", "-c", script, "smoke-check", String(config.user.uid)],
    User: `${config.user.uid}:${config.user.gid}`,
    WorkingDir: config.workDir,
    Tty: true, // one merged, unframed output stream
    Labels: options.labels,
    HostConfig: {
      NetworkMode: "none",
      CapDrop: ["ALL"],
      SecurityOpt: ["no-new-privileges"],
      Memory: (config.limits.memoryMb ?? 1024) * 1024 * 1024,
      PidsLimit: config.limits.pids ?? 256,
      Init: true,
    },
  });
  const output: string[] = [];
  const addLine = (line: string) => {
    if (!line.trim()) return;
    output.push(line);
    options.onLine(line);
  };
  const onAbort = () => void container.kill().catch(() => {});
  try {
    const attached = await attachLines(container, addLine);
    options.signal.throwIfAborted();
    options.signal.addEventListener("abort", onAbort, { once: true });
    await container.start();
    const { StatusCode } = (await container.wait()) as { StatusCode: number };
    await attached.drain();
    options.signal.throwIfAborted();
    return { passed: StatusCode === 0, exitCode: StatusCode, output };
  } finally {
    options.signal.removeEventListener("abort", onAbort);
    await container.remove({ force: true }).catch(() => {});
  }
}
