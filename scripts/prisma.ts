// `npm run db:* -- …`: the Prisma CLI with the project's configuration filled
// in. Without DATABASE_URL it works on the embedded database: the running
// app's, or one started just for the command.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { openAppDatabase, runningEmbeddedDatabaseUrl } from "./lib/app-database";
import { prepareLocalEnv } from "./lib/local-config";

prepareLocalEnv();
const { env } = await import("../server/env");
const running = env.DATABASE_URL ? null : runningEmbeddedDatabaseUrl(env.DATA_DIR);
const database = running ? null : await openAppDatabase(env, { onLost: () => {} });
const cli = path.join(process.cwd(), "node_modules", "prisma", "build", "index.js");
const unrefTimers = path.join(process.cwd(), "scripts", "unref-long-timers.mjs");
const result = spawnSync(process.execPath, ["--import", unrefTimers, cli, ...process.argv.slice(2)], {
  stdio: "inherit",
  env: { ...process.env, DATABASE_URL: running ?? database?.url },
});
await database?.close();
process.exit(result.status ?? 1);
