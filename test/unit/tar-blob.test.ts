import { Readable } from "node:stream";
import * as tar from "tar-stream";
import { describe, expect, it } from "vitest";
import { splitUstarPath, tarBlob } from "~/app/workspace/_lib/tar-blob";

// The browser's tar writer, read back by tar-stream (the parser the server's checks use).

/** Each entry's content, or its type for anything but a file. */
async function entries(blob: Blob): Promise<Record<string, string>> {
  const extract = tar.extract();
  const found: Record<string, string> = {};
  extract.on("entry", (header, stream, next) => {
    const chunks: Buffer[] = [];
    stream.on("data", (chunk) => chunks.push(chunk as Buffer));
    stream.on("end", () => {
      found[header.name] = header.type === "file" ? Buffer.concat(chunks).toString("utf8") : `<${header.type}>`;
      next();
    });
  });
  Readable.from([Buffer.from(await blob.arrayBuffer())]).pipe(extract);
  await new Promise<void>((resolve, reject) => extract.on("finish", () => resolve()).on("error", reject));
  return found;
}

describe("tarBlob", () => {
  it("writes files with their relative paths, long UTF-8 ones through the prefix field", async () => {
    const long = `${"dossier-é/".repeat(12)}fichier.csv`;
    const { blob, ends } = tarBlob([
      { path: "top/a.txt", file: new File(["hello"], "a.txt") },
      { path: "top/sub/empty.txt", file: new File([], "empty.txt") },
      { path: long, file: new File(["x".repeat(1000)], "fichier.csv") },
    ]);
    expect(Buffer.byteLength(long)).toBeGreaterThan(100);
    expect(await entries(blob)).toEqual({ "top/a.txt": "hello", "top/sub/empty.txt": "", [long]: "x".repeat(1000) });
    expect(ends).toEqual([517, 1536, 3048]);
  });

  it("writes folders as entries of their own, so empty ones arrive; progress counts files only", async () => {
    const { blob, ends } = tarBlob([
      { path: "top", file: null },
      { path: "top/empty", file: null },
      { path: "top/a.txt", file: new File(["hello"], "a.txt") },
    ]);
    expect(await entries(blob)).toEqual({ "top/": "<directory>", "top/empty/": "<directory>", "top/a.txt": "hello" });
    expect(ends).toEqual([1024 + 517]);
  });

  it("refuses paths that ustar can't hold", () => {
    expect(splitUstarPath(`${"a".repeat(200)}/b`)).toBeNull();
    expect(() => tarBlob([{ path: `top/${"n".repeat(120)}`, file: new File([], "x") }])).toThrow(/too long/);
  });
});
