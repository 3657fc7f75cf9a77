import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { BUILD_RECIPE, readSupervisorSources, SUPERVISOR_SOURCE_DIR, supervisorHash } from "./binary";

const file = (name: string, content: string) => ({ name, content: Buffer.from(content) });

describe("supervisorHash", () => {
  const sources = [file("go.mod", "module tidepool/supervisor\n"), file("main.go", "package main\n")];

  it("is 16 hex chars and stable for the same sources in any order", () => {
    const hash = supervisorHash(sources);
    expect(hash).toMatch(/^[0-9a-f]{16}$/);
    expect(supervisorHash([...sources].reverse())).toBe(hash);
  });

  it("changes when a source, a file name or the recipe changes", () => {
    const hash = supervisorHash(sources);
    expect(supervisorHash([sources[0]!, file("main.go", "package main // changed\n")])).not.toBe(hash);
    expect(supervisorHash([sources[0]!, file("other.go", "package main\n")])).not.toBe(hash);
    expect(supervisorHash([...sources, file("extra.go", "")])).not.toBe(hash);
    expect(supervisorHash(sources, `${BUILD_RECIPE}\n`)).not.toBe(hash);
  });

  it("keeps file boundaries apart", () => {
    expect(supervisorHash([file("a.go", "xy"), file("b.go", "z")])).not.toBe(
      supervisorHash([file("a.go", "x"), file("b.go", "yz")]),
    );
  });
});

describe("readSupervisorSources", () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  it("reads go.mod and *.go only, sorted, and the hash follows a source edit", async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), "supervisor-src-"));
    await fs.writeFile(path.join(dir, "main.go"), "package main\n");
    await fs.writeFile(path.join(dir, "go.mod"), "module tidepool/supervisor\n");
    await fs.writeFile(path.join(dir, "README.md"), "not a source\n");
    await fs.writeFile(path.join(dir, "main_test.go"), "package main\n");
    const before = await readSupervisorSources(dir);
    expect(before.map((source) => source.name)).toEqual(["go.mod", "main.go"]);

    await fs.writeFile(path.join(dir, "README.md"), "edited\n");
    expect(supervisorHash(await readSupervisorSources(dir))).toBe(supervisorHash(before));
    await fs.writeFile(path.join(dir, "main.go"), "package main\n\nfunc main() {}\n");
    expect(supervisorHash(await readSupervisorSources(dir))).not.toBe(supervisorHash(before));
  });

  it("refuses a folder without go.mod", async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), "supervisor-src-"));
    await expect(readSupervisorSources(dir)).rejects.toThrow(/go\.mod/);
  });

  it("finds the real sources from the repository root", async () => {
    const names = (await readSupervisorSources(SUPERVISOR_SOURCE_DIR)).map((source) => source.name);
    expect(names).toContain("go.mod");
    expect(names).toContain("main.go");
  });
});
