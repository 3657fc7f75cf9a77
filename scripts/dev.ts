// `npm run dev`: the app with hot reload, on an already provisioned machine.
import { spawn } from "node:child_process";
import { prepareLocalEnv } from "./lib/local-config";
import { generateClientIfChanged, migrateDeploy } from "./lib/prisma";

prepareLocalEnv();
const { env } = await import("../server/env");
await generateClientIfChanged();
await migrateDeploy();
const next = spawn("next", ["dev", "-H", env.HOST, "-p", String(env.PORT)], { stdio: "inherit" });
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => next.kill(signal));
next.on("exit", (code) => process.exit(code ?? 0));
