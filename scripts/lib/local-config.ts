import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/**
 * Fills in what a zero-configuration local run needs before server/env.ts
 * validates process.env: a persistent AUTH_SECRET (generated once, kept under
 * DATA_DIR) and the placeholder the Prisma CLI wants for the schema's url.
 */
export function prepareLocalEnv(): void {
  const dataDir = path.resolve(process.env.DATA_DIR || "data");
  if (!process.env.AUTH_SECRET) {
    const secretFile = path.join(dataDir, "auth-secret");
    if (!fs.existsSync(secretFile)) {
      fs.mkdirSync(dataDir, { recursive: true });
      fs.writeFileSync(secretFile, randomBytes(32).toString("hex"), { mode: 0o600 });
    }
    process.env.AUTH_SECRET = fs.readFileSync(secretFile, "utf8").trim();
  }
  process.env.PRISMA_SCHEMA_URL ??= "postgresql://driver-adapter@localhost/unused";
}
