import { spawn } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { finished } from "node:stream/promises";
import type Docker from "dockerode";
import { LABELS } from "./labels";

/** The image runtimes build on, when a registry is reachable. */
export const UPSTREAM_BASE_IMAGE = "debian:bookworm-slim";
/** Its local equivalent, built from Debian packages when no registry is reachable. */
export const LOCAL_BASE_IMAGE = "tidepool/base:bookworm";

export type BaseImageProgress = (line: string) => void;

export type EnsureBaseImageOptions = {
  /** Use this image as it is (e.g. from configuration); nothing is pulled or built. */
  override?: string;
  onProgress?: BaseImageProgress;
  debianMirror?: string;
  /** Tag for the debootstrap-built image (tests build under their own tag). */
  localTag?: string;
};

export class BaseImageError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "BaseImageError";
  }
}

/**
 * Returns the tag of a Debian bookworm image present on the engine: the
 * configured override, the upstream slim image (local or pulled), or a local
 * build made with debootstrap + `docker import`.
 */
export async function ensureBaseImage(docker: Docker, options: EnsureBaseImageOptions = {}): Promise<string> {
  const progress = options.onProgress ?? (() => {});
  if (options.override) {
    if (await imageExists(docker, options.override)) return options.override;
    throw new BaseImageError(`Base image ${options.override} (BASE_IMAGE) is not on the Docker engine. Pull or build it, or unset BASE_IMAGE.`);
  }
  const localTag = options.localTag ?? LOCAL_BASE_IMAGE;
  for (const tag of [localTag, UPSTREAM_BASE_IMAGE]) {
    if (await imageExists(docker, tag)) return tag;
  }
  progress(`Pulling ${UPSTREAM_BASE_IMAGE}…`);
  if (await tryPull(docker, UPSTREAM_BASE_IMAGE)) return UPSTREAM_BASE_IMAGE;
  progress(`No registry reachable; building ${localTag} from Debian packages (about a minute)…`);
  await buildWithDebootstrap(docker, localTag, options.debianMirror ?? "http://deb.debian.org/debian", progress);
  return localTag;
}

export async function imageExists(docker: Docker, tag: string): Promise<boolean> {
  try {
    await docker.getImage(tag).inspect();
    return true;
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return false;
    throw error;
  }
}

async function tryPull(docker: Docker, tag: string): Promise<boolean> {
  try {
    const stream = await docker.pull(tag);
    await new Promise<void>((resolve, reject) => {
      docker.modem.followProgress(stream, (error: Error | null) => (error ? reject(error) : resolve()));
    });
    return imageExists(docker, tag);
  } catch {
    return false;
  }
}

async function buildWithDebootstrap(docker: Docker, localTag: string, mirror: string, progress: BaseImageProgress): Promise<void> {
  const rootfs = await fs.mkdtemp(path.join(os.tmpdir(), "tidepool-rootfs-"));
  try {
    await run("debootstrap", ["--variant=minbase", "bookworm", rootfs, mirror], progress);
    // Same sources as the host's Debian, with updates and security fixes.
    await fs.writeFile(
      path.join(rootfs, "etc/apt/sources.list"),
      [
        `deb ${mirror} bookworm main`,
        `deb ${mirror} bookworm-updates main`,
        `deb ${mirror.replace(/\/debian\/?$/, "/debian-security")} bookworm-security main`,
        "",
      ].join("\n"),
    );
    await fs.rm(path.join(rootfs, "var/cache/apt/archives"), { recursive: true, force: true });
    await fs.rm(path.join(rootfs, "var/lib/apt/lists"), { recursive: true, force: true });
    await fs.mkdir(path.join(rootfs, "var/lib/apt/lists/partial"), { recursive: true });
    await fs.mkdir(path.join(rootfs, "var/cache/apt/archives/partial"), { recursive: true });
    progress(`Importing the root filesystem as ${localTag}…`);
    const tar = spawn("tar", ["-C", rootfs, "-c", "."], { stdio: ["ignore", "pipe", "inherit"] });
    const [repo, tag = "latest"] = localTag.split(":") as [string, string?];
    const response = await docker.importImage(tar.stdout, {
      repo,
      tag,
      changes: ['CMD ["bash"]', "ENV LANG=C.UTF-8", `LABEL ${LABELS.managed}=true`],
    });
    // The import reports progress as a stream; drain it to know when it is done.
    response.resume();
    await finished(response);
    if (!(await imageExists(docker, localTag))) throw new BaseImageError("docker import finished but the image is missing");
    progress(`Built ${localTag}.`);
  } finally {
    await fs.rm(rootfs, { recursive: true, force: true });
  }
}

function run(command: string, args: string[], progress: BaseImageProgress): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
    const tail: string[] = [];
    const onData = (chunk: Buffer) => {
      for (const line of chunk.toString().split("\n")) {
        if (!line.trim()) continue;
        tail.push(line);
        if (tail.length > 20) tail.shift();
        progress(line);
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("error", (error) =>
      reject(new BaseImageError(`${command} could not start (${error.message}). Install it: apt-get install -y ${command}`)),
    );
    child.on("close", (code) =>
      code === 0 ? resolve() : reject(new BaseImageError(`${command} failed (exit ${code}):\n${tail.join("\n")}`)),
    );
  });
}
