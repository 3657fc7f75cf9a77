import type Docker from "dockerode";
import { SupervisorConnection } from "./connection";

// This process's way to one container's supervisor: one connection, opened on
// first use and again after it ended (the container restarted, Docker closed
// it). Found from the container object the sandbox hands to every operation.

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
    const next = SupervisorConnection.open(this.container);
    this.current = next;
    next.catch(() => {
      if (this.current === next) this.current = null;
    });
    return next;
  }
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
