import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { buffer } from "node:stream/consumers";
import * as tar from "tar-stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/server/db";
import { downloadFile, uploadFolderArchive } from "~/server/services/file-transfer";
import { sandboxPlatform } from "~/server/services/sandbox-manager";
import { newUser } from "./helpers/callers";
import { resetDatabase } from "./helpers/database";

// A folder goes in as the browser sends it (a tar, through the engine's checked
// archive path) and comes back out as a zip, on real Docker and Postgres.

const FILES: Record<string, Buffer> = {
  "proj/readme.md": Buffer.from("# Project\n"),
  "proj/data/values.csv": Buffer.from("x,y\n1,2\n3,4\n"),
  "proj/data/deep/blob.bin": randomBytes(200_000),
  "proj/données.txt": Buffer.from("é à ü\n"),
};

async function tarStream(
  files: Record<string, Buffer>,
  extra?: (pack: tar.Pack) => void,
): Promise<ReadableStream<Uint8Array>> {
  const pack = tar.pack();
  for (const [name, data] of Object.entries(files)) pack.entry({ name, mode: 0o644 }, data);
  extra?.(pack);
  pack.finalize();
  const bytes = await buffer(pack);
  return new Blob([bytes]).stream();
}

describe("files in bulk", () => {
  let alice: Awaited<ReturnType<typeof newUser>>;
  const work = mkdtempSync(path.join(tmpdir(), "files-bulk-"));

  beforeAll(async () => {
    await resetDatabase();
    alice = await newUser("alice");
  });

  afterAll(async () => {
    rmSync(work, { recursive: true, force: true });
    await sandboxPlatform()
      .manager.release(alice.id)
      .catch(() => false);
    await db.$disconnect();
  });

  it("uploads a folder as a tar and downloads it as a zip, byte for byte", async () => {
    await uploadFolderArchive(alice.id, "/workspace", await tarStream(FILES), null);
    const listed = await alice.caller.files.list({ path: "/workspace/proj/data/deep" });
    expect(JSON.stringify(listed)).toContain("blob.bin");

    const download = await downloadFile(alice.id, "/workspace/proj", false, "zip");
    expect(download.headers["Content-Type"]).toBe("application/zip");
    expect(download.headers["Content-Disposition"]).toContain('filename="proj.zip"');
    const file = path.join(work, "proj.zip");
    writeFileSync(file, await buffer(download.body));
    expect(execFileSync("unzip", ["-t", file], { encoding: "utf8" })).toMatch(/No errors detected/);
    const script = `
import sys, zipfile, json, base64
z = zipfile.ZipFile(sys.argv[1])
print(json.dumps({i.filename: base64.b64encode(z.read(i)).decode() for i in z.infolist() if not i.is_dir()}))`;
    const read = JSON.parse(execFileSync("python3", ["-c", script, file], { encoding: "utf8" })) as Record<
      string,
      string
    >;
    expect(Object.keys(read).sort()).toEqual(Object.keys(FILES).sort());
    for (const [name, data] of Object.entries(FILES))
      expect(Buffer.from(read[name] ?? "", "base64").equals(data), name).toBe(true);
  });

  it("the whole workspace downloads as workspace.zip", async () => {
    const download = await downloadFile(alice.id, "/workspace", false, "zip");
    expect(download.headers["Content-Disposition"]).toContain('filename="workspace.zip"');
    const file = path.join(work, "workspace.zip");
    writeFileSync(file, await buffer(download.body));
    const names = execFileSync("unzip", ["-Z1", file], { encoding: "utf8" }).split("\n");
    expect(names).toContain("workspace/proj/data/deep/blob.bin");
  });

  it("refuses a folder tar with a link in it, and writes nothing", async () => {
    const upload = uploadFolderArchive(
      alice.id,
      "/workspace",
      await tarStream({ "evil/ok.txt": Buffer.from("ok") }, (pack) =>
        pack.entry({ name: "evil/link", type: "symlink", linkname: "/etc/passwd" }),
      ),
      null,
    );
    await expect(upload).rejects.toThrow();
    const root = await alice.caller.files.list({ path: "/workspace" });
    expect(JSON.stringify(root)).not.toContain('"evil"');
  });
});
