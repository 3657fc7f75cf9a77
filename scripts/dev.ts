// `npm run dev`: the app with hot reload, on an already provisioned machine,
// with the same database as `npm start` (embedded unless DATABASE_URL is set).
import { spawn } from "node:child_process";
import { openAppDatabase } from "./lib/app-database";
import { prepareLocalEnv } from "./lib/local-config";
import { generateClientIfChanged, migrateDeploy } from "./lib/prisma";

prepareLocalEnv();
const { env } = await import("../server/env");
const database = await openAppDatabase(env, { onLost: (reason) => console.error(reason) });
process.env.DATABASE_URL = database.url;
if (database.embeddedDir) process.env.EMBEDDED_DATABASE_DIR = database.embeddedDir;
await generateClientIfChanged();
await migrateDeploy();
const next = spawn("next", ["dev", "-H", env.HOST, "-p", String(env.PORT)], { stdio: "inherit" });
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => next.kill(signal));
next.on("exit", (code) => void database.close().finally(() => process.exit(code ?? 0)));
