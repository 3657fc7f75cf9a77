import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { buffer } from "node:stream/consumers";
import * as tar from "tar-stream";
import { afterAll, describe, expect, it } from "vitest";
import { tarToZip } from "./tar-to-zip";
import { ZipLimitError, ZipWriter } from "./zip-writer";

// The zip is checked by tools that did not write it: `unzip -t` (CRCs) and Python's zipfile (names, bytes).

const work = mkdtempSync(path.join(tmpdir(), "zip-test-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

type Entry = { name: string; type: "file" | "directory"; data?: Buffer };

function tarOf(entries: Entry[]): Readable {
  const pack = tar.pack();
  for (const entry of entries)
    pack.entry(
      { name: entry.name, type: entry.type, mode: 0o644 },
      entry.type === "file" ? (entry.data ?? Buffer.alloc(0)) : "",
    );
  pack.finalize();
  return pack as unknown as Readable;
}

function readWithPython(file: string): Record<string, string | null> {
  const script = `
import sys, zipfile, json, base64
z = zipfile.ZipFile(sys.argv[1])
print(json.dumps({i.filename: (None if i.is_dir() else base64.b64encode(z.read(i)).decode()) for i in z.infolist()}))`;
  return JSON.parse(execFileSync("python3", ["-c", script, file], { encoding: "utf8" })) as Record<
    string,
    string | null
  >;
}

describe("tarToZip", () => {
  it("writes a zip that unzip and Python read back byte for byte, UTF-8 names and empty folders included", async () => {
    const binary = randomBytes(300_000);
    const entries: Entry[] = [
      { name: "./", type: "directory" },
      { name: "notes.txt", type: "file", data: Buffer.from("hello\n") },
      { name: "empty/", type: "directory" },
      { name: "données/", type: "directory" },
      { name: "données/température.csv", type: "file", data: Buffer.from("a,b\n1,2\n") },
      { name: "données/blob.bin", type: "file", data: binary },
      { name: "zero.txt", type: "file", data: Buffer.alloc(0) },
    ];
    const zip = await buffer(tarToZip(tarOf(entries), "data", (reason) => new Error(reason)));
    const file = path.join(work, "out.zip");
    writeFileSync(file, zip);
    expect(execFileSync("unzip", ["-t", file], { encoding: "utf8" })).toMatch(/No errors detected/);
    const read = readWithPython(file);
    expect(Object.keys(read).sort()).toEqual(
      [
        "data/notes.txt",
        "data/empty/",
        "data/données/",
        "data/données/température.csv",
        "data/données/blob.bin",
        "data/zero.txt",
      ].sort(),
    );
    expect(Buffer.from(read["data/données/blob.bin"] ?? "", "base64").equals(binary)).toBe(true);
    expect(Buffer.from(read["data/notes.txt"] ?? "", "base64").toString()).toBe("hello\n");
    expect(read["data/zero.txt"]).toBe("");
    expect(read["data/empty/"]).toBeNull();
  });

  it("an empty folder gives a valid empty zip", async () => {
    const zip = await buffer(tarToZip(tarOf([{ name: "./", type: "directory" }]), "x", (reason) => new Error(reason)));
    const file = path.join(work, "empty.zip");
    writeFileSync(file, zip);
    expect(readWithPython(file)).toEqual({});
  });

  it("fails the stream with the caller's error past ZIP's entry limit", () => {
    const writer = new ZipWriter();
    for (let index = 0; index < 0xffff; index++) writer.directory(`d${index}`, new Date());
    expect(() => writer.directory("one-too-many", new Date())).toThrow(ZipLimitError);
  });

  it("a broken tar fails the zip stream", async () => {
    const broken = Readable.from([Buffer.alloc(512, 7)]);
    await expect(buffer(tarToZip(broken, "x", (reason) => new Error(reason)))).rejects.toThrow();
  });
});
