import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { timed } from "./log";
import { run } from "./run";

const root = process.cwd();
const INPUTS = ["app", "server", "public", "prisma/schema.prisma", "next.config.ts", "postcss.config.mjs", "tsconfig.json", "package-lock.json"];

function hashInputs(): string {
  const hash = createHash("sha256");
  const visit = (relative: string) => {
    const full = path.join(root, relative);
    if (!fs.existsSync(full)) return;
    const stat = fs.statSync(full);
    if (stat.isDirectory()) {
      for (const entry of fs.readdirSync(full).sort()) visit(path.join(relative, entry));
    } else if (!/\.test\.tsx?$/.test(relative)) {
      hash.update(relative).update(fs.readFileSync(full));
    }
  };
  for (const input of INPUTS) visit(input);
  return hash.digest("hex");
}

/** `next build`, skipped when no input changed since the last successful build. */
export async function buildIfChanged(env: NodeJS.ProcessEnv): Promise<void> {
  const distDir = path.join(root, env.NEXT_DIST_DIR ?? ".next");
  const marker = path.join(distDir, "tidepool-source-hash");
  const wanted = hashInputs();
  if (fs.existsSync(marker) && fs.readFileSync(marker, "utf8") === wanted && fs.existsSync(path.join(distDir, "BUILD_ID"))) return;
  await timed("Building the web app (next build; a minute or two the first time)", async () => {
    await run(path.join(root, "node_modules", ".bin", "next"), ["build"], {
      env: { ...env, NEXT_TELEMETRY_DISABLED: "1" },
      onLine: (line) => {
        if (/^( ?[✓○ƒ▲]|Creating|Compiled|Linting|Collecting|Generating|Finalizing)/.test(line.trim())) console.log(`    ${line.trim()}`);
      },
    });
  });
  fs.writeFileSync(marker, wanted);
}
