import { defineConfig } from "prisma/config";
import { createMigrationAdapter } from "./server/db-adapter";
import { env } from "./server/env";

// The JS schema engine (WebAssembly) runs migrations through a driver adapter,
// so the CLI needs no native engine download: it works fully offline.
export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  adapter: () => Promise.resolve(createMigrationAdapter(env.DATABASE_URL)),
});
