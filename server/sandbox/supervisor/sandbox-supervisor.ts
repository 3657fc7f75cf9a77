import type Docker from "dockerode";
import { openBridge } from "./bridge";
import type { SupervisorConnection } from "./connection";
import { dialDirect } from "./direct-socket";

// This process's way to one container's supervisor: one connection, opened on
// first use and again after it ended (the container restarted, Docker closed
// it). Found from the container object the sandbox hands to every operation.
// It starts as a docker exec bridge and becomes a direct socket when the
// container has a socket folder.

export class SandboxSupervisor {
  private current: Promise<SupervisorConnection> | null = null;

  constructor(private readonly container: Docker.Container) {}

  /** An open connection; a new one when the last one ended. */
  connection(): Promise<SupervisorConnection> {
    const current = this.current;
    if (current) {
      return current.then(
        (connection) => (connection.closed ? this.reconnect(current) : connection),
        () => this.reconnect(current),
      );
    }
    return this.reconnect(null);
  }

  /** Ends the connection (the sandbox stopped, or this process is done with it). */
  close(): void {
    const current = this.current;
    this.current = null;
    void current?.then((connection) => connection.close("the sandbox stopped"), () => {});
  }

  private reconnect(stale: Promise<SupervisorConnection> | null): Promise<SupervisorConnection> {
    // Concurrent callers that saw the same dead connection share one new one.
    if (this.current !== stale && this.current) return this.current;
    const next = connect(this.container);
    this.current = next;
    next.catch(() => {
      if (this.current === next) this.current = null;
    });
    return next;
  }
}

async function connect(container: Docker.Container): Promise<SupervisorConnection> {
  const bridge = await openBridge(container);
  const direct = await dialDirect(container, bridge).catch((error: Error) => {
    // A bridge that closed meanwhile is a container that stopped, not a setup to tell about.
    if (!bridge.connection.closed) warnOnce(`Sandbox connections go through docker exec (slower): ${error.message}`);
    return null;
  });
  if (!direct) return bridge.connection;
  bridge.connection.close("replaced by the direct socket");
  return direct;
}

let warned = false;
function warnOnce(message: string): void {
  if (!warned) console.warn(message);
  warned = true;
}

const supervisors = new WeakMap<Docker.Container, SandboxSupervisor>();

/** Marks a container as supervised (its main process is the supervisor). */
export function superviseContainer(container: Docker.Container): SandboxSupervisor {
  let supervisor = supervisors.get(container);
  if (!supervisor) {
    supervisor = new SandboxSupervisor(container);
    supervisors.set(container, supervisor);
  }
  return supervisor;
}

/** The container's supervisor, or null when it has none (operations then use docker exec). */
export function supervisorOf(container: Docker.Container): SandboxSupervisor | null {
  return supervisors.get(container) ?? null;
}
