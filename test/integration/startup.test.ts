import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");
const tsx = path.join(root, "node_modules", ".bin", "tsx");
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "tidepool-startup-"));

function runScript(args: string[], env: Record<string, string>) {
  const result = spawnSync(tsx, args, { cwd: root, env: { ...process.env, DATA_DIR: scratch, ...env }, encoding: "utf8", timeout: 60_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

describe("startup", () => {
  it("stops on a malformed DATABASE_URL with a message naming the variable", () => {
    const { status, output } = runScript(["scripts/start.ts"], { DATABASE_URL: "not a url", PORT: "3999" });
    expect(status).toBe(1);
    expect(output).toContain("Invalid configuration");
    expect(output).toMatch(/DATABASE_URL: must be a postgres URL/);
    expect(output).not.toContain("Docker engine");
  });

  it("reports an unreachable Docker engine as unhealthy with what to do", () => {
    const probe = "import('./server/services/health').then(async (m) => { console.log(JSON.stringify(await m.getHealth())); process.exit(0); })";
    const { status, output } = runScript(["-e", probe], { DOCKER_HOST: "tcp://127.0.0.1:9" });
    expect(status).toBe(0);
    const health = JSON.parse(output.trim().split("\n").at(-1) ?? "{}") as { ok: boolean; checks: { docker: { ok: boolean; hint?: string } } };
    expect(health.ok).toBe(false);
    expect(health.checks.docker.ok).toBe(false);
    expect(health.checks.docker.hint).toContain("DOCKER_HOST");
  });

  it("ships a docker-compose.yml that validates", () => {
    const result = spawnSync("docker-compose", ["-f", "docker-compose.yml", "config", "-q"], {
      cwd: root,
      env: { ...process.env, AUTH_SECRET: "x".repeat(32), POSTGRES_PASSWORD: "compose-check" },
      encoding: "utf8",
    });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
  });
});
