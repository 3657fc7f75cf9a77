import type Docker from "dockerode";
import { statusCodeOf } from "./docker-exec";
import { SandboxNotRunningError } from "./errors";
import { LABELS } from "./labels";
import { removeSocketFolder } from "./supervisor/socket-folder";
import { SUPERVISOR_SOCKET_MOUNT } from "./supervisor-mount";

// Container operations that tolerate the races a spawner meets: a name already
// taken (adopt it or replace it), removal of something already gone (404) or
// already being removed (409).

/** `supervised`: its main process is the supervisor (it carries the supervisor label). */
export type CreatedContainer = { container: Docker.Container; id: string; adopted: boolean; supervised: boolean };

/**
 * Creates and starts the container, or adopts a running/paused one that already
 * has this name, the managed label and the same image. Anything else under the
 * name (exited, foreign image) is removed and replaced.
 */
export async function createOrAdopt(docker: Docker, spec: Docker.ContainerCreateOptions): Promise<CreatedContainer> {
  const name = spec.name!;
  for (let attempt = 0; attempt < 3; attempt++) {
    let container: Docker.Container;
    try {
      container = await docker.createContainer(spec);
    } catch (error) {
      const status = statusCodeOf(error);
      if (status === 404) {
        throw new SandboxNotRunningError(`Image ${spec.Image} is not on the Docker engine. Build the runtime first.`, { cause: error });
      }
      if (status !== 409) throw new SandboxNotRunningError(`Could not create the sandbox container: ${messageOf(error)}`, { cause: error });
      const existing = docker.getContainer(name);
      // Only a container Docker describes is ever replaced: an inspect that fails (a busy engine) says nothing about it.
      const info = await existing.inspect().catch((inspectError: unknown) => {
        if (statusCodeOf(inspectError) === 404) return null;
        throw new SandboxNotRunningError(`Could not inspect the sandbox container: ${messageOf(inspectError)}`, { cause: inspectError });
      });
      if (!info) continue; // Gone since the conflict: create again.
      if (info.Config.Labels?.[LABELS.managed] === "true" && info.Config.Image === spec.Image && (info.State.Running || info.State.Paused)) {
        if (info.State.Paused) await existing.unpause().catch(() => {});
        return { container: docker.getContainer(info.Id), id: info.Id, adopted: true, supervised: Boolean(info.Config.Labels?.[LABELS.supervisor]) };
      }
      await removeContainer(docker, name);
      continue;
    }
    try {
      await container.start();
    } catch (error) {
      await removeContainer(docker, container.id);
      throw new SandboxNotRunningError(`Could not start the sandbox container: ${messageOf(error)}`, { cause: error });
    }
    return { container, id: container.id, adopted: false, supervised: Boolean(spec.Labels?.[LABELS.supervisor]) };
  }
  throw new SandboxNotRunningError(`Could not create container ${name}: the name stays taken.`);
}

/** Force-removes (kills) a container, and its supervisor's socket folder. True if it existed. */
export async function removeContainer(docker: Docker, idOrName: string): Promise<boolean> {
  try {
    const container = docker.getContainer(idOrName);
    const socketFolder = (await container.inspect()).Mounts.find((mount) => mount.Destination === SUPERVISOR_SOCKET_MOUNT)?.Source;
    await container.remove({ force: true, v: false });
    if (socketFolder) await removeSocketFolder(socketFolder);
    return true;
  } catch (error) {
    const status = statusCodeOf(error);
    if (status === 404) return false;
    if (status === 409) return true; // already being removed
    throw error;
  }
}

export type ContainerStatus = "running" | "paused" | "stopped" | "gone";

export async function containerStatus(docker: Docker, idOrName: string): Promise<ContainerStatus> {
  try {
    const info = await docker.getContainer(idOrName).inspect();
    if (info.State.Paused) return "paused";
    return info.State.Running ? "running" : "stopped";
  } catch (error) {
    if (statusCodeOf(error) === 404) return "gone";
    throw error;
  }
}

/** A container's labels, or null when it is gone. */
export async function containerLabels(docker: Docker, idOrName: string): Promise<Record<string, string> | null> {
  try {
    return (await docker.getContainer(idOrName).inspect()).Config.Labels ?? {};
  } catch (error) {
    if (statusCodeOf(error) === 404) return null;
    throw error;
  }
}

export function messageOf(error: unknown): string {
  return String((error as { message?: string } | null)?.message ?? error).replace(/^\(HTTP code \d+\)\s*\w*\s*-\s*/, "");
}
