import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type Docker from "dockerode";
import { canInstallSystemPackages, ensureAptPackages } from "../lib/apt";
import { log } from "../lib/log";

async function answers(docker: Docker): Promise<boolean> {
  try {
    await docker.ping();
    return true;
  } catch {
    return false;
  }
}

/**
 * Makes sure a Docker engine answers. As root on Debian/Ubuntu with no engine
 * running, installs docker.io and starts dockerd in the background (machines
 * like this one have no systemd); anywhere else, says what to do.
 */
export async function ensureDockerEngine(docker: Docker, options: { logDir: string; remote: boolean }): Promise<void> {
  if (await answers(docker)) return;
  if (options.remote || !canInstallSystemPackages()) {
    throw new Error(
      options.remote
        ? "The Docker engine at DOCKER_HOST does not answer. Start it or fix DOCKER_HOST."
        : "No Docker engine answers at the Docker socket. Install Docker (https://docs.docker.com/engine/install/) and start it, or set DOCKER_HOST.",
    );
  }
  await ensureAptPackages(["docker.io"]);
  log.step("Starting the Docker engine (dockerd) in the background…");
  fs.mkdirSync(options.logDir, { recursive: true });
  const logFile = fs.openSync(path.join(options.logDir, "dockerd.log"), "a");
  const dockerd = spawn("dockerd", [], { detached: true, stdio: ["ignore", logFile, logFile] });
  dockerd.unref();
  fs.closeSync(logFile);
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (await answers(docker)) {
      log.ok(`Docker engine started (pid ${dockerd.pid}; log: ${path.join(options.logDir, "dockerd.log")})`);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`dockerd did not answer within 60 s; see ${path.join(options.logDir, "dockerd.log")}`);
}
