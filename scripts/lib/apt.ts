import fs from "node:fs";
import { log } from "./log";
import { run } from "./run";

/** Root on Debian/Ubuntu: the only place we install system packages ourselves. */
export function canInstallSystemPackages(): boolean {
  return process.getuid?.() === 0 && fs.existsSync("/etc/debian_version");
}

async function isInstalled(pkg: string): Promise<boolean> {
  try {
    const status = await run("dpkg-query", ["-W", "-f=${Status}", pkg]);
    return status.includes("install ok installed");
  } catch {
    return false;
  }
}

/** Installs whichever of `packages` are missing, in one apt-get run. */
export async function ensureAptPackages(packages: string[]): Promise<void> {
  const missing: string[] = [];
  for (const pkg of packages) if (!(await isInstalled(pkg))) missing.push(pkg);
  if (missing.length === 0) return;
  if (!canInstallSystemPackages()) {
    throw new Error(`Missing system packages: ${missing.join(", ")}. Install them (e.g. \`sudo apt-get install -y ${missing.join(" ")}\`) and run the command again.`);
  }
  log.step(`Installing ${missing.join(", ")} from Debian's apt (once per machine)…`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  let shown = 0;
  const onLine = (line: string) => {
    // Show package-level progress, not apt's full chatter.
    if (/^(Get:|Setting up|Unpacking)/.test(line) && shown++ % 10 === 0) log.detail(line.slice(0, 100));
  };
  await run("apt-get", ["update", "-q"], { env });
  await run("apt-get", ["install", "-y", "-q", ...missing], { env, onLine });
  log.ok(`Installed ${missing.join(", ")}`);
}
