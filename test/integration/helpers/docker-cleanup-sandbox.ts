import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import Docker from "dockerode";
import { removeContainer } from "~/server/sandbox/container-lifecycle";
import { LABELS } from "~/server/sandbox/labels";

// Cleanup for the sandbox and session tests: everything they create carries the
// test label with a per-file value, and only that is removed.

export const TEST_IMAGE = "tidepool/base:bookworm";

export function testDocker(): Docker {
  return new Docker({ socketPath: "/var/run/docker.sock" });
}

export function testLabelValue(name: string): string {
  return `${name}-${randomBytes(4).toString("hex")}`;
}

export function testLabels(value: string): Record<string, string> {
  return { [LABELS.test]: value };
}

export async function removeTestContainers(docker: Docker, value: string): Promise<number> {
  const containers = await docker.listContainers({ all: true, filters: { label: [`${LABELS.test}=${value}`] } });
  await Promise.all(containers.map((c) => removeContainer(docker, c.Id).catch(() => {})));
  return containers.length;
}

export async function countTestContainers(docker: Docker, value: string, extraLabel?: string): Promise<number> {
  const label = [`${LABELS.test}=${value}`];
  if (extraLabel) label.push(extraLabel);
  return (await docker.listContainers({ all: true, filters: { label } })).length;
}

/** A temporary folder; files in it may belong to uid 1000 (made in a container). */
export async function makeTempDir(prefix: string): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), `tidepool-${prefix}-`));
}

/** A host folder for a bind-mounted workspace, owned by the sandbox user. */
export async function makeWorkspaceDir(parent: string): Promise<string> {
  const dir = path.join(parent, "workspace");
  await fs.mkdir(dir);
  await fs.chown(dir, 1000, 1000);
  return dir;
}

export async function removeTempDir(dir: string): Promise<void> {
  await fs.rm(dir, { recursive: true, force: true });
}

export async function dumpLogs(docker: Docker, nameOrId: string): Promise<string> {
  try {
    const logs = await docker.getContainer(nameOrId).logs({ stdout: true, stderr: true, tail: 200 });
    return logs.toString("utf8");
  } catch (error) {
    return `(no logs: ${String(error)})`;
  }
}

/** Processes in a container, listed from /proc (the base image has no ps). */
export function psCommand(): string {
  return `for p in /proc/[0-9]*; do c=$(tr '\\0' ' ' < $p/cmdline 2>/dev/null); [ -n "$c" ] && echo "\${p#/proc/} $c"; done`;
}
