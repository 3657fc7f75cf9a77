import type Docker from "dockerode";
import type { Env } from "../../server/env";
import { ensureBaseImage, imageExists, LOCAL_BASE_IMAGE, UPSTREAM_BASE_IMAGE } from "../../server/sandbox/base-image";
import { canInstallSystemPackages, ensureAptPackages } from "../lib/apt";
import { log, timed } from "../lib/log";

/** The base image every runtime builds on (pulled, or built from Debian packages). */
export async function ensureSandboxImages(docker: Docker, env: Env): Promise<string> {
  const present = env.BASE_IMAGE || (await imageExists(docker, LOCAL_BASE_IMAGE)) || (await imageExists(docker, UPSTREAM_BASE_IMAGE));
  // debootstrap is the fallback when no registry is reachable; have it ready.
  if (!present && canInstallSystemPackages()) await ensureAptPackages(["debootstrap"]);
  const baseImage = await timed("Sandbox base image", () =>
    ensureBaseImage(docker, { override: env.BASE_IMAGE, onProgress: (line) => log.detail(line) }),
  );
  log.detail(`base image: ${baseImage}`);
  return baseImage;
}
