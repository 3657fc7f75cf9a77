import type Docker from "dockerode";
import type { Env } from "../../server/env";
import { ensureBaseImage, imageExists, LOCAL_BASE_IMAGE, UPSTREAM_BASE_IMAGE } from "../../server/sandbox/base-image";
import { resolveRuntime } from "../../server/sandbox/runtime";
import { defaultSupervisorCacheDir } from "../../server/sandbox/supervisor/availability";
import { ensureSupervisorBinary } from "../../server/sandbox/supervisor/binary";
import { createImageBuilder } from "../../server/services/image-builder";
import { canInstallSystemPackages, ensureAptPackages } from "../lib/apt";
import { log, timed } from "../lib/log";

/**
 * The base image every runtime builds on (pulled, or built from Debian packages), the sandbox supervisor
 * (built from source on that image once per machine), then the default runtime's image.
 */
export async function ensureSandboxImages(docker: Docker, env: Env): Promise<void> {
  const present = env.BASE_IMAGE || (await imageExists(docker, LOCAL_BASE_IMAGE)) || (await imageExists(docker, UPSTREAM_BASE_IMAGE));
  // debootstrap is the fallback when no registry is reachable; have it ready.
  if (!present && canInstallSystemPackages()) await ensureAptPackages(["debootstrap"]);
  const baseImage = await timed("Sandbox base image", () => ensureBaseImage(docker, { override: env.BASE_IMAGE, onProgress: (line) => log.detail(line) }));
  if (env.SANDBOX_SUPERVISOR_DIR !== "off") {
    await timed("Sandbox supervisor", async () => {
      const cacheDir = env.SANDBOX_SUPERVISOR_DIR ?? defaultSupervisorCacheDir();
      // Without it sandboxes still work, through docker exec (slower, and a weaker kill): say so, go on.
      await ensureSupervisorBinary(docker, { cacheDir, baseImage, onProgress: (line) => log.detail(`  ${line.slice(0, 110)}`) }).then(
        (binary) => log.detail(`${binary.dir}`),
        (error: Error) => log.fail(`The sandbox supervisor could not be built; sandboxes will use docker exec. ${error.message}`),
      );
    });
  }
  const runtime = resolveRuntime(env.DEFAULT_RUNTIME);
  const builder = createImageBuilder(docker, env);
  await timed(`Runtime ${runtime.name}`, async () => {
    let steps = 0;
    const result = await builder.ensureImage(runtime, {
      onEvent: (event) => {
        if (event.type === "start") steps = event.totalSteps;
        else if (event.type === "step") log.detail(`step ${event.index}/${steps || event.total}: ${event.title}`);
        else if (event.type === "log" && /^(Get:|Setting up|added \d+|Successfully)/.test(event.line)) log.detail(`  ${event.line.slice(0, 110)}`);
        else if (event.type === "error") log.fail(`${event.message}\n${event.logTail.slice(-10).join("\n")}`);
      },
    });
    log.detail(`${result.tag}${result.cached ? " (cached)" : ` (built in ${(result.durationMs / 1000).toFixed(0)} s)`}`);
  });
}
