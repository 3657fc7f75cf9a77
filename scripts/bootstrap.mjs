// Entry point of `npm start` and `npm test` on a fresh machine.
// It runs on whatever Node the machine has (Node 20 here), so it stays plain
// JavaScript without dependencies: install packages when the lockfile changed,
// then hand over to the TypeScript script on the project's own Node 24.
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const scripts = { start: "scripts/start.ts", test: "scripts/test.ts" };
const command = process.argv[2];
const script = scripts[command];
if (!script) {
  console.error(`usage: node scripts/bootstrap.mjs ${Object.keys(scripts).join("|")} [args…]`);
  process.exit(2);
}

const binDir = path.join(root, "node_modules", ".bin");
const marker = path.join(root, "node_modules", ".tidepool-installed");

function lockHash() {
  const hash = createHash("sha256");
  for (const file of ["package.json", "package-lock.json"]) {
    const full = path.join(root, file);
    if (fs.existsSync(full)) hash.update(fs.readFileSync(full));
  }
  return hash.digest("hex");
}

const wanted = lockHash();
const installed = fs.existsSync(marker) ? fs.readFileSync(marker, "utf8").trim() : "";
if (installed !== wanted || !fs.existsSync(path.join(binDir, "node"))) {
  console.log("▸ Installing dependencies (npm install; the first time takes a minute or two)…");
  // `npm ci` refuses this registry's lockfile (it lacks other platforms' optional
  // builds); `npm install --no-save` honours the lockfile all the same.
  const result = spawnSync("npm", ["install", "--no-save", "--no-audit", "--no-fund", "--loglevel=error"], {
    cwd: root,
    stdio: "inherit",
  });
  if (result.status !== 0) {
    console.error("✗ npm install failed. Check that the npm registry is reachable, then run the command again.");
    process.exit(result.status ?? 1);
  }
  fs.writeFileSync(marker, wanted);
}

const node = path.join(binDir, "node");
// tsx as a loader in the same process, not its CLI: the CLI's own signal relay
// SIGKILLs a script that takes more than a few milliseconds to acknowledge
// SIGTERM, and a clean stop (web server, then database) takes longer.
const child = spawn(node, ["--import", "tsx", path.join(root, script), ...process.argv.slice(3)], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, PATH: `${binDir}${path.delimiter}${process.env.PATH ?? ""}` },
});
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => child.kill(signal));
}
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
