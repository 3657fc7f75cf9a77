import { buffer } from "node:stream/consumers";
import * as tar from "tar-stream";
import { describe, expect, it } from "vitest";
import { UnsafeArchiveError } from "./errors";
import { checkTarEntry, repackTar } from "./tar-checks";

type Entry = Partial<tar.Header> & { name: string };

async function makeTar(entries: Entry[]): Promise<Buffer> {
  const pack = tar.pack();
  for (const e of entries) {
    if (e.type === "file" || !e.type) pack.entry(e, `content of ${e.name}`);
    else pack.entry(e);
  }
  pack.finalize();
  return buffer(pack);
}

async function listTar(data: Buffer): Promise<string[]> {
  const names: string[] = [];
  const extract = tar.extract();
  extract.on("entry", (h, s, next) => {
    names.push(`${h.type}:${h.name}:${h.mode?.toString(8)}`);
    s.on("end", next);
    s.resume();
  });
  const done = new Promise<void>((r) => extract.on("finish", () => r()));
  extract.end(data);
  await done;
  return names;
}

describe("checkTarEntry", () => {
  it("accepts clean names and normalizes them", () => {
    expect(checkTarEntry({ name: "./a/b.txt", type: "file" })).toEqual({ ok: true, name: "a/b.txt", type: "file" });
    expect(checkTarEntry({ name: "dir/", type: "directory" })).toEqual({ ok: true, name: "dir", type: "directory" });
  });
  it("refuses names past the kernel's limits (255 bytes a name, 4095 a path)", () => {
    expect(checkTarEntry({ name: `d/${"a".repeat(255)}` })).toMatchObject({ ok: true });
    expect(checkTarEntry({ name: `d/${"a".repeat(256)}` })).toEqual({ ok: false, reason: "a name is longer than 255 bytes" });
    expect(checkTarEntry({ name: Array.from({ length: 20 }, () => "b".repeat(250)).join("/") })).toMatchObject({ ok: false });
  });
  it("refuses absolute, .., links, devices, control characters", () => {
    expect(checkTarEntry({ name: "/etc/passwd", type: "file" }).ok).toBe(false);
    expect(checkTarEntry({ name: "a/../../x", type: "file" }).ok).toBe(false);
    expect(checkTarEntry({ name: "l", type: "symlink" }).ok).toBe(false);
    expect(checkTarEntry({ name: "h", type: "link" }).ok).toBe(false);
    expect(checkTarEntry({ name: "d", type: "character-device" }).ok).toBe(false);
    expect(checkTarEntry({ name: "f", type: "fifo" }).ok).toBe(false);
    expect(checkTarEntry({ name: "a\nb", type: "file" }).ok).toBe(false);
  });
});

describe("repackTar", () => {
  it("passes files and directories, with sane modes", async () => {
    const input = await makeTar([
      { name: "./dir/", type: "directory", mode: 0o777 },
      { name: "./dir/a.txt", type: "file", mode: 0o4777 },
      { name: "./b.csv", type: "file", mode: 0o600 },
    ]);
    expect(await listTar(await buffer(repackTar(input, { strict: true })))).toEqual([
      "directory:dir:755",
      "file:dir/a.txt:755",
      "file:b.csv:644",
    ]);
  });
  it("strict mode refuses a symlink entry", async () => {
    const input = await makeTar([{ name: "ok.txt" }, { name: "evil", type: "symlink", linkname: "/" }]);
    await expect(buffer(repackTar(input, { strict: true }))).rejects.toThrow(UnsafeArchiveError);
  });
  it("strict mode refuses .. and absolute names", async () => {
    await expect(buffer(repackTar(await makeTar([{ name: "../up.txt" }]), { strict: true }))).rejects.toThrow(/'\.\.'/);
    await expect(buffer(repackTar(await makeTar([{ name: "/abs.txt" }]), { strict: true }))).rejects.toThrow(/absolute/);
  });
  it("lenient mode skips refused entries and reports them", async () => {
    const skipped: string[] = [];
    const input = await makeTar([{ name: "ok.txt" }, { name: "link", type: "symlink", linkname: "/etc" }]);
    const out = await buffer(repackTar(input, { strict: false, onSkip: (n) => skipped.push(n) }));
    expect(await listTar(out)).toEqual(["file:ok.txt:644"]);
    expect(skipped).toEqual(["link"]);
  });
  it("enforces caps and rejects garbage", async () => {
    await expect(buffer(repackTar(await makeTar([{ name: "a" }, { name: "b" }]), { strict: true, maxEntries: 1 }))).rejects.toThrow(/entries/);
    await expect(buffer(repackTar(Buffer.from("not a tar at all".repeat(64)), { strict: true }))).rejects.toThrow(UnsafeArchiveError);
  });
});
