import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { run } from "./run";

const root = process.cwd();
const cli = path.join(root, "node_modules", "prisma", "build", "index.js");
const unrefTimers = path.join(root, "scripts", "unref-long-timers.mjs");

/** Runs the Prisma CLI on the project's Node, without the schema engine's lingering timers. */
export function prisma(args: string[], options: { env?: NodeJS.ProcessEnv; echo?: boolean } = {}): Promise<string> {
  return run(process.execPath, ["--import", unrefTimers, cli, ...args], { env: options.env ?? process.env, echo: options.echo });
}

/** Regenerates the client only when the schema or Prisma itself changed. */
export async function generateClientIfChanged(): Promise<boolean> {
  const hash = createHash("sha256")
    .update(fs.readFileSync(path.join(root, "prisma", "schema.prisma")))
    .update(fs.readFileSync(path.join(root, "node_modules", "@prisma", "client", "package.json")))
    .digest("hex");
  const marker = path.join(root, "node_modules", ".prisma", "tidepool-schema-hash");
  if (fs.existsSync(marker) && fs.readFileSync(marker, "utf8") === hash) return false;
  await prisma(["generate"]);
  fs.writeFileSync(marker, hash);
  return true;
}

export async function migrateDeploy(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  await prisma(["migrate", "deploy"], { env });
}
