import fs from "node:fs";
import { ensureAptPackages } from "../lib/apt";

const CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

/** Playwright cannot download browsers here: use the system's Chromium. */
export async function ensureChromium(): Promise<string> {
  const found = CANDIDATES.find((candidate) => fs.existsSync(candidate));
  if (found) return found;
  await ensureAptPackages(["chromium"]);
  if (!fs.existsSync("/usr/bin/chromium")) throw new Error("chromium was installed but /usr/bin/chromium is missing");
  return "/usr/bin/chromium";
}
