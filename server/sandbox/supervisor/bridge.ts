import { PassThrough } from "node:stream";
import type Docker from "dockerode";
import { ContainerUnavailableError, type RunningExec, lostToStoppedContainer, startDockerExec, stopsWithin } from "../docker-exec";
import { SandboxInfrastructureError } from "../errors";
import { KEEPALIVE_USER, SUPERVISOR_PATH } from "../supervisor-mount";
import { type FrameHeader } from "./frames";
import { PROTOCOL_VERSION, SupervisorConnection } from "./connection";

// The way in that always works: `docker exec tidepool-supervisor connect`,
// whose stdin and stdout carry the frames to the supervisor's abstract socket.

/** `connect` exits 3 when nothing listens yet (the container is just starting). */
const NOT_LISTENING_EXIT = 3;
const HELLO_TIMEOUT_MS = 10_000;

export type Opened = { connection: SupervisorConnection; hello: FrameHeader & { boot: string } };

/** Opens a bridged connection; retries briefly while the supervisor is not listening yet. */
export async function openBridge(container: Docker.Container): Promise<Opened> {
  const deadline = Date.now() + HELLO_TIMEOUT_MS;
  for (;;) {
    const attempt = await tryOpen(container, deadline);
    if (attempt) return attempt;
    if (Date.now() > deadline) throw new SandboxInfrastructureError("The sandbox supervisor is not answering.");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function tryOpen(container: Docker.Container, deadline: number): Promise<Opened | null> {
  // Room for a few 1 MiB frames, so a large write keeps the pipe busy instead of waiting on each drain.
  const input = new PassThrough({ highWaterMark: 4 * 1024 * 1024 });
  let exec: RunningExec | null = null;
  let stderr = "";
  const connection = new SupervisorConnection({
    kind: "docker-exec",
    output: input,
    close: () => {
      input.end();
      exec?.destroy();
    },
  });
  // The bridge runs as `nobody`, so user code's `kill -9 -1` cannot cut the engine off.
  exec = await startDockerExec(container, { cmd: [SUPERVISOR_PATH, "connect"], stdin: input, user: KEEPALIVE_USER }, (stream, chunk) => {
    if (stream === "stdout") connection.receive(chunk);
    else if (stderr.length < 500) stderr += chunk.toString("utf8");
  });
  const ended = exec.ended.then(
    () => null,
    () => null,
  );
  const timer = new Promise<null>((resolve) => setTimeout(() => resolve(null), Math.max(0, deadline - Date.now())).unref());
  const hello = await Promise.race([connection.hello, ended, timer]);
  if (!hello) {
    connection.close("no hello");
    const code = await exec.exitCode().catch(() => null);
    if (code === NOT_LISTENING_EXIT || code === null) return null;
    // The bridge failed because the container is stopping (killed): start it again, as for any exec.
    // A kill shows in Docker's state a moment after the bridge fails, whatever runc said: wait for it, bounded.
    if ((await lostToStoppedContainer(container, stderr.trim())) || (await stopsWithin(container, 3_000))) {
      throw new ContainerUnavailableError("not-running");
    }
    throw new SandboxInfrastructureError(`The sandbox supervisor could not be reached (exit ${code}).`);
  }
  if (!isHello(hello)) {
    connection.close("another protocol");
    throw new SandboxInfrastructureError(`The sandbox supervisor speaks another protocol (${JSON.stringify(hello).slice(0, 120)}).`);
  }
  void exec.ended.then(
    () => connection.close("the stream ended"),
    (error: Error) => connection.close(error.message),
  );
  return { connection, hello };
}

export function isHello(header: FrameHeader): header is FrameHeader & { boot: string } {
  return header.ev === "hello" && header.version === PROTOCOL_VERSION && typeof header.boot === "string";
}
