import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { PYTHON_PROGRAMS, compileCheckArgs, programSource, pythonSources, renderProgram } from "~/scripts/lib/python-programs";
import { MAX_HEADER_BYTES } from "~/server/sandbox/supervisor/frames";

// The Python shipped into sandboxes lives in .py files; the engine ships the
// generated modules. These fail when a .py file does not compile or when a
// generated module was not rebuilt after a .py file changed. Without python3
// on the host, kernel-python.test.ts runs the same compile check in a sandbox.

const root = path.resolve(import.meta.dirname, "../..");
const hostPython = spawnSync("python3", ["--version"]).status === 0;

describe("sandbox Python programs", () => {
  it.skipIf(!hostPython)("every .py file and every joined program compiles", () => {
    const run = spawnSync("python3", compileCheckArgs(pythonSources(root)), { encoding: "utf8" });
    expect(run.stdout + run.stderr).toBe("");
    expect(run.status).toBe(0);
  });

  it.each(PYTHON_PROGRAMS.map((program) => [program.output, program] as const))("%s is fresh (run `npm run build:python`)", (output, program) => {
    const committed = fs.readFileSync(path.join(root, output), "utf8");
    expect(committed === renderProgram(program, root), `${output} is stale: run \`npm run build:python\` and commit it`).toBe(true);
  });

  it("each program fits in one argv entry of a supervisor request (its JSON header is capped) and of Linux (128 KiB)", () => {
    for (const program of PYTHON_PROGRAMS) {
      const source = programSource(program, root);
      expect(Buffer.byteLength(source)).toBeLessThan(128 * 1024);
      // Room left for the rest of the request (env, cwd, the other arguments).
      expect(Buffer.byteLength(JSON.stringify(source))).toBeLessThan(MAX_HEADER_BYTES - 8 * 1024);
    }
  });

  it.skipIf(!hostPython)("the compile check catches a syntax error", () => {
    const run = spawnSync("python3", compileCheckArgs([["broken.py", "def f(:\n  pass\n"]]), { encoding: "utf8" });
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^broken\.py:1: /);
  });
});
