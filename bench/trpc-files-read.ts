// What the platform adds to a file read: files.read through a tRPC caller
// (auth middleware with its database lookup, input validation, error
// conversion, the user's sandbox lookup) against the engine's sandbox.read on
// the same sandbox, interleaved in the same run.
//   npx tsx bench/trpc-files-read.ts [iterations]
// Needs the machine `npm test` provisions (Docker, runtime image); runs its own embedded Postgres.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { EmbeddedPostgres } from "../scripts/lib/embedded-postgres";
import { migrateDeploy } from "../scripts/lib/prisma";
import { percentile, printTable, time } from "./sandbox-stats";

const N = Number(process.argv[2] ?? 300);

async function main(): Promise<void> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "tidepool-bench-"));
  fs.chmodSync(scratch, 0o755);
  const postgres = new EmbeddedPostgres(path.join(scratch, "data"));
  const databaseUrl = await postgres.start();
  Object.assign(process.env, {
    DATABASE_URL: databaseUrl,
    AUTH_SECRET: randomBytes(32).toString("hex"),
    PRISMA_SCHEMA_URL: "postgresql://driver-adapter@localhost/unused",
    SANDBOX_SCOPE: `bench-${process.pid}`,
    WORKSPACE_ROOT: path.join(scratch, "workspaces"),
  });
  await migrateDeploy();
  const { signUp } = await import("../server/services/users");
  const { createCaller } = await import("../server/api/root");
  const { createContextInner } = await import("../server/api/trpc");
  const { sandboxFor } = await import("../server/services/sandboxes");
  const { sandboxPlatform } = await import("../server/services/sandbox-manager");
  const { db } = await import("../server/db");

  try {
    const user = await signUp({ email: "bench@example.test", password: "bench password" });
    const caller = createCaller(createContextInner({ userId: user.id }));
    await caller.files.write({ path: "notes.txt", content: "a line of text\n".repeat(20) });
    const sandbox = await sandboxFor(user.id);

    const engine: number[] = [];
    const trpc: number[] = [];
    for (let i = 0; i < 20; i++) await caller.files.read({ path: "notes.txt" }); // warm up
    for (let i = 0; i < N; i++) {
      engine.push(await time(() => sandbox.read("notes.txt")));
      trpc.push(await time(() => caller.files.read({ path: "notes.txt" })));
    }
    printTable(`files.read through tRPC vs the engine call (n=${N}, interleaved)`, [
      { name: "caller.files.read", samples: trpc, baseline: { name: "sandbox.read", samples: engine }, goal: "overhead ≤ 5 ms p50" },
    ]);
    console.log(`\noverhead p50: ${(percentile(trpc, 50) - percentile(engine, 50)).toFixed(2)} ms`);
  } finally {
    await sandboxPlatform().manager.shutdown();
    await db.$disconnect();
    await postgres.stop();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

void main().then(() => process.exit(0));
