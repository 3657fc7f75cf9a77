import { randomBytes, timingSafeEqual } from "node:crypto";
import fs from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import type Docker from "dockerode";
import { SUPERVISOR_SOCKET_MOUNT } from "../supervisor-mount";
import { withTimeout } from "../with-timeout";
import { type Opened, isHello } from "./bridge";
import { SupervisorConnection } from "./connection";

// The fast way in: the app listens on a unix socket in the container's socket
// folder (socket-folder.ts) and asks the supervisor, over the bridge, to dial
// it. Frames then skip dockerd, containerd-shim and the bridge process. The
// supervisor proves it is the one asked by echoing a one-time token that only
// the bridge carried; anything else that connects is dropped.

const DIAL_TIMEOUT_MS = 5_000;
/** A unix socket's path is at most 107 bytes. */
const MAX_SOCKET_PATH_BYTES = 107;
/** Connections that have not said hello yet, at most: more are dropped (user code can connect too). */
const MAX_UNVERIFIED = 4;
/** Lets a 1 MiB frame or four be in flight, as on the bridge. */
const HIGH_WATER_MARK = 4 * 1024 * 1024;

/** A direct connection to the bridge's supervisor, or null when its container has no socket folder. */
export async function dialDirect(container: Docker.Container, bridge: Opened): Promise<SupervisorConnection | null> {
  const folder = await socketFolderOf(container);
  if (!folder) return null;
  const name = `${randomBytes(6).toString("hex")}.sock`;
  const hostPath = path.join(folder, name);
  if (Buffer.byteLength(hostPath) > MAX_SOCKET_PATH_BYTES) throw new Error(`the socket path ${hostPath} is too long`);
  const token = randomBytes(32);
  const server = net.createServer({ highWaterMark: HIGH_WATER_MARK });
  const accepted = acceptSupervisor(server, token, bridge.hello.boot);
  try {
    await fs.rm(hostPath, { force: true });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(hostPath, resolve);
    });
    // The supervisor runs as the sandbox user.
    await fs.chmod(hostPath, 0o666);
    const dialled = bridge.connection.request({ op: "dial", path: `${SUPERVISOR_SOCKET_MOUNT}/${name}`, token: token.toString("hex") });
    const [, connection] = await withTimeout(Promise.all([dialled, accepted]), DIAL_TIMEOUT_MS, `the supervisor did not dial back within ${DIAL_TIMEOUT_MS} ms`);
    return connection;
  } catch (error) {
    void accepted.then((late) => late.close("the dial failed"), () => {});
    throw error;
  } finally {
    server.close();
    await fs.rm(hostPath, { force: true });
  }
}

/** The first connection whose hello carries the token (and the bridge's boot: the same supervisor). */
function acceptSupervisor(server: net.Server, token: Buffer, boot: string): Promise<SupervisorConnection> {
  return new Promise((resolve) => {
    let unverified = 0;
    server.on("connection", (socket) => {
      if (unverified >= MAX_UNVERIFIED) {
        socket.destroy();
        return;
      }
      unverified++;
      const connection = new SupervisorConnection({ kind: "socket", output: socket, close: () => socket.destroy() });
      const timer = setTimeout(() => connection.close("no hello"), DIAL_TIMEOUT_MS);
      let counted = true;
      const verified = () => {
        if (counted) unverified--;
        counted = false;
        clearTimeout(timer);
      };
      socket.on("data", (chunk: Buffer) => connection.receive(chunk));
      socket.on("close", () => connection.close("the socket closed"));
      socket.on("error", () => {});
      void connection.hello.then((hello) => {
        verified();
        const presented = Buffer.from(typeof hello.token === "string" ? hello.token : "", "hex");
        if (isHello(hello) && hello.boot === boot && presented.length === token.length && timingSafeEqual(presented, token)) {
          server.close();
          resolve(connection);
        } else connection.close("not the supervisor asked");
      });
      connection.onClose(verified);
    });
  });
}

async function socketFolderOf(container: Docker.Container): Promise<string | null> {
  const info = await container.inspect();
  return info.Mounts.find((mount) => mount.Destination === SUPERVISOR_SOCKET_MOUNT)?.Source ?? null;
}
