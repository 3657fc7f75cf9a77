// `npm run db:* -- …`: the Prisma CLI with the project's configuration filled in.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { prepareLocalEnv } from "./lib/local-config";

prepareLocalEnv();
const cli = path.join(process.cwd(), "node_modules", "prisma", "build", "index.js");
const unrefTimers = path.join(process.cwd(), "scripts", "unref-long-timers.mjs");
const result = spawnSync(process.execPath, ["--import", unrefTimers, cli, ...process.argv.slice(2)], { stdio: "inherit" });
process.exit(result.status ?? 1);
