import path from "node:path";
import type Docker from "dockerode";
import { InvalidSandboxOptionsError } from "./errors";
import { LABELS } from "./labels";
import { KEEPALIVE_USER, SUPERVISOR_MOUNT, SUPERVISOR_PATH, SUPERVISOR_SOCKET_MOUNT } from "./supervisor-mount";

// The hardened container every sandbox runs in (DESIGN.md security rule 1).

/** Every exec (commands and file I/O) runs as this user. */
export const SANDBOX_UID = 1000;
export const SANDBOX_GID = 1000;
export const SANDBOX_USER = `${SANDBOX_UID}:${SANDBOX_GID}`;
export type SandboxLimits = {
  /** Memory limit in MiB; swap is set equal so nothing spills to swap. Default 1024. */
  memoryMb?: number;
  /** CPU cores (fractional allowed). Default 1. */
  cpus?: number;
  /** Max processes/threads in the container. Default 256. */
  pids?: number;
  /** Size of the tmpfs at /tmp in MiB (counts against memory). Default 256. */
  tmpMb?: number;
  /** Size of the tmpfs used as work dir when no volume is mounted there, in MiB. Default 1024. */
  workDirTmpMb?: number;
};

export const DEFAULT_LIMITS: Required<SandboxLimits> = { memoryMb: 1024, cpus: 1, pids: 256, tmpMb: 256, workDirTmpMb: 1024 };

export type VolumeMount = { hostPath: string; containerPath: string; readOnly?: boolean };
/** `{ "/host/path": "/container/path" }` (the seeds' shape) or a list of mounts. */
export type VolumesOption = Record<string, string> | VolumeMount[];

export type ContainerSpecInput = {
  name: string;
  image: string;
  workDir: string;
  env: Record<string, string>;
  labels: Record<string, string>;
  volumes: VolumeMount[];
  limits: Required<SandboxLimits>;
  /** Only when the runtime allows it; otherwise the container has loopback only. */
  network: boolean;
  /** The supervisor binary's host folder: it becomes the container's main process. Without it, `sleep`. */
  supervisor?: { hostDir: string; hash: string; socketFolder: string | null } | null;
};

const FORBIDDEN_HOST_PATHS = ["/", "/var/run/docker.sock", "/run/docker.sock", "/var/run", "/run", "/proc", "/sys", "/dev", "/etc"];

export function normalizeVolumes(volumes: VolumesOption | undefined): VolumeMount[] {
  if (!volumes) return [];
  const list: VolumeMount[] = Array.isArray(volumes)
    ? volumes
    : Object.entries(volumes).map(([hostPath, containerPath]) => ({ hostPath, containerPath }));
  return list.map((volume) => {
    for (const p of [volume.hostPath, volume.containerPath]) {
      if (typeof p !== "string" || !p.startsWith("/") || /[\u0000-\u001f:,]/.test(p)) {
        throw new InvalidSandboxOptionsError(`Volume path ${JSON.stringify(p)} must be absolute, without ':' ',' or control characters.`);
      }
    }
    const hostPath = path.posix.normalize(volume.hostPath).replace(/(.)\/+$/, "$1");
    const containerPath = path.posix.normalize(volume.containerPath).replace(/(.)\/+$/, "$1");
    // The docker socket or a system folder in a sandbox would be a host takeover.
    if (FORBIDDEN_HOST_PATHS.includes(hostPath) || hostPath.endsWith("docker.sock")) {
      throw new InvalidSandboxOptionsError(`Refusing to mount ${hostPath} into a sandbox.`);
    }
    if (containerPath === "/" || /^\/(proc|sys|dev)(\/|$)/.test(containerPath)) {
      throw new InvalidSandboxOptionsError(`Refusing to mount over ${containerPath} in a sandbox.`);
    }
    if ([SUPERVISOR_MOUNT, SUPERVISOR_SOCKET_MOUNT].some((own) => containerPath === own || containerPath.startsWith(`${own}/`))) {
      throw new InvalidSandboxOptionsError(`Refusing to mount over ${containerPath}: the sandbox supervisor uses it.`);
    }
    return { hostPath, containerPath, readOnly: volume.readOnly ?? false };
  });
}

export function resolveLimits(...layers: (SandboxLimits | undefined)[]): Required<SandboxLimits> {
  const merged: Required<SandboxLimits> = { ...DEFAULT_LIMITS };
  for (const layer of layers) {
    for (const [key, value] of Object.entries(layer ?? {}) as [keyof SandboxLimits, number | undefined][]) {
      if (value === undefined) continue;
      if (!Number.isFinite(value) || value <= 0) throw new InvalidSandboxOptionsError(`Limit ${key} must be a positive number.`);
      merged[key] = value;
    }
  }
  return merged;
}

export function buildContainerSpec(input: ContainerSpecInput): Docker.ContainerCreateOptions {
  const { limits } = input;
  const memory = Math.round(limits.memoryMb * 1024 * 1024);
  const tmpfs: Record<string, string> = {
    "/tmp": `rw,exec,nosuid,nodev,size=${Math.round(limits.tmpMb)}m,mode=1777`,
  };
  // The root filesystem is read-only: without a volume on the work dir, give it a
  // tmpfs owned by the sandbox user (files then live as long as the container).
  if (!input.volumes.some((v) => v.containerPath === input.workDir)) {
    tmpfs[input.workDir] = `rw,exec,nosuid,nodev,size=${Math.round(limits.workDirTmpMb)}m,uid=${SANDBOX_UID},gid=${SANDBOX_GID},mode=0755`;
  }
  const supervisor = input.supervisor ?? null;
  return {
    name: input.name,
    Image: input.image,
    // The supervisor is PID 1 (so user code cannot kill it: init ignores signals it does not handle and
    // SIGKILL from inside) and reaps. Without one, tini reaps and the keep-alive is `sleep` as `nobody`.
    ...(supervisor
      ? { Entrypoint: [SUPERVISOR_PATH, "serve"], Cmd: [], User: SANDBOX_USER }
      : { Cmd: ["sleep", "infinity"], User: KEEPALIVE_USER }),
    WorkingDir: input.workDir,
    Hostname: "sandbox",
    Env: Object.entries({ HOME: "/tmp", LANG: "C.UTF-8", ...input.env }).map(([k, v]) => `${k}=${v}`),
    Labels: supervisor ? { ...input.labels, [LABELS.supervisor]: supervisor.hash } : input.labels,
    AttachStdin: false,
    AttachStdout: false,
    AttachStderr: false,
    Tty: false,
    HostConfig: {
      Init: !supervisor,
      CapDrop: ["ALL"],
      SecurityOpt: ["no-new-privileges"],
      Privileged: false,
      ReadonlyRootfs: true,
      Tmpfs: tmpfs,
      Memory: memory,
      MemorySwap: memory,
      NanoCpus: Math.round(limits.cpus * 1e9),
      PidsLimit: Math.round(limits.pids),
      NetworkMode: input.network ? "bridge" : "none",
      IpcMode: "private",
      RestartPolicy: { Name: "no" },
      LogConfig: { Type: "json-file", Config: { "max-size": "1m", "max-file": "1" } },
      Mounts: [
        ...input.volumes.map((v) => ({
          Type: "bind" as const,
          Source: v.hostPath,
          Target: v.containerPath,
          ReadOnly: v.readOnly ?? false,
          BindOptions: { Propagation: "rprivate" as const },
        })),
        ...(supervisor ? [{ Type: "bind" as const, Source: supervisor.hostDir, Target: SUPERVISOR_MOUNT, ReadOnly: true }] : []),
        ...(supervisor?.socketFolder ? [{ Type: "bind" as const, Source: supervisor.socketFolder, Target: SUPERVISOR_SOCKET_MOUNT, ReadOnly: true }] : []),
      ],
    },
  };
}
