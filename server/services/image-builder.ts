import fs from "node:fs";
import type Docker from "dockerode";
import { ensureBaseImage } from "../sandbox/base-image";
import { ImageBuilder } from "../sandbox/runtime";
import type { Env } from "../env";

const DEBIAN_CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt";

/** The CA bundle builds should trust: configured, Node's extra CAs, or the host's own bundle. */
function buildCaCertificates(env: Pick<Env, "BUILD_CA_CERTS_FILE" | "NODE_EXTRA_CA_CERTS">): string | undefined {
  const file = env.BUILD_CA_CERTS_FILE ?? env.NODE_EXTRA_CA_CERTS ?? (fs.existsSync(DEBIAN_CA_BUNDLE) ? DEBIAN_CA_BUNDLE : undefined);
  return file ? fs.readFileSync(file, "utf8") : undefined;
}

/** One builder per process: concurrent requests for the same runtime share one build. */
export function createImageBuilder(docker: Docker, env: Pick<Env, "BASE_IMAGE" | "BUILD_CA_CERTS_FILE" | "NODE_EXTRA_CA_CERTS">): ImageBuilder {
  return new ImageBuilder({
    docker,
    baseImage: () => ensureBaseImage(docker, { override: env.BASE_IMAGE }),
    caCertificates: buildCaCertificates(env),
  });
}
