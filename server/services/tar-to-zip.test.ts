import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { buffer } from "node:stream/consumers";
import * as tar from "tar-stream";
import { afterAll, describe, expect, it } from "vitest";
import { tarToZip } from "./tar-to-zip";
import { ZipWriter } from "./zip-writer";

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

  it("past 65,535 entries writes ZIP64 end records that unzip and Python read", () => {
    const writer = new ZipWriter();
    const parts: Buffer[] = [writer.directory("many", new Date())];
    const count = 70_000;
    for (let index = 0; index < count; index++) {
      const data = Buffer.from(`file ${index}\n`);
      parts.push(
        writer.startFile(`many/f${index}.txt`, new Date(), 0o644, data.length),
        writer.fileData(data),
        writer.endFile(),
      );
    }
    parts.push(writer.finish());
    const zip = Buffer.concat(parts);
    // The zip64 end record (56 bytes) and its locator (20) sit before the classic end record, which says "see zip64".
    expect(zip.readUInt32LE(zip.length - 22 - 20 - 56)).toBe(0x06064b50);
    expect(Number(zip.readBigUInt64LE(zip.length - 22 - 20 - 56 + 32))).toBe(count + 1);
    expect(zip.readUInt16LE(zip.length - 22 + 10)).toBe(0xffff);
    const file = path.join(work, "many.zip");
    writeFileSync(file, zip);
    expect(execFileSync("unzip", ["-tqq", file], { encoding: "utf8" })).toBe("");
    const script = `
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
print(len(z.infolist()), z.testzip(), z.read("many/f69999.txt").decode().strip())`;
    expect(execFileSync("python3", ["-c", script, file], { encoding: "utf8" }).trim()).toBe(
      `${count + 1} None file 69999`,
    );
  }, 60_000);

  it("a file over 4 GB and an entry beyond 4 GB get ZIP64 sizes and offsets a reader follows", () => {
    // The zip is written sparse: only headers, descriptors and the small file's bytes land on disk;
    // the 4 GB of zeros are a hole. Python then reads the directory and the entry past 4 GB
    // (checking its CRC), which needs every zip64 size, offset and end record to be right.
    const file = path.join(work, "large.zip");
    const fd = openSync(file, "w");
    let position = 0;
    const put = (buffer: Buffer, onDisk = true) => {
      if (onDisk) writeSync(fd, buffer, 0, buffer.length, position);
      position += buffer.length;
    };
    try {
      const writer = new ZipWriter();
      const zeros = Buffer.alloc(8 << 20);
      const big = 0x100000000 + 16;
      put(writer.startFile("big.bin", new Date()));
      for (let written = 0; written < big; written += zeros.length)
        put(writer.fileData(zeros.subarray(0, Math.min(zeros.length, big - written))), false);
      put(writer.endFile());
      const after = Buffer.from("past four gigabytes\n");
      put(writer.startFile("after.txt", new Date(), 0o644, after.length));
      put(writer.fileData(after));
      put(writer.endFile());
      put(writer.directory("folder", new Date()));
      put(writer.finish());
    } finally {
      closeSync(fd);
    }
    const script = `
import sys, zipfile, json
z = zipfile.ZipFile(sys.argv[1])
print(json.dumps({"entries": {i.filename: [i.file_size, i.header_offset] for i in z.infolist()}, "after": z.read("after.txt").decode()}))`;
    const read = JSON.parse(execFileSync("python3", ["-c", script, file], { encoding: "utf8" })) as {
      entries: Record<string, [number, number]>;
      after: string;
    };
    expect(read.after).toBe("past four gigabytes\n");
    expect(read.entries["big.bin"]).toEqual([0x100000000 + 16, 0]);
    expect(read.entries["after.txt"]![1]).toBeGreaterThan(0xffffffff);
    expect(read.entries["folder/"]![1]).toBeGreaterThan(0xffffffff);
    expect(execFileSync("unzip", ["-l", file], { encoding: "utf8" })).toMatch(/4294967312\s.*big\.bin/);
  }, 60_000);

  it("a broken tar fails the zip stream", async () => {
    const broken = Readable.from([Buffer.alloc(512, 7)]);
    await expect(buffer(tarToZip(broken, "x", (reason) => new Error(reason)))).rejects.toThrow();
  });
});
