import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { buffer } from "node:stream/consumers";
import iconv from "iconv-lite";
import * as tar from "tar-stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DockerSandbox,
  EditNotFoundError,
  EditNotUniqueError,
  FileNotFoundError,
  FileTooLargeError,
  InvalidPatternError,
  InvalidPathError,
  NotATextFileError,
  PathOutsideWorkspaceError,
  PermissionDeniedError,
  UnsafeArchiveError,
  WrongFileTypeError,
} from "~/server/sandbox";
import {
  makeTempDir,
  makeWorkspaceDir,
  removeTempDir,
  removeTestContainers,
  TEST_IMAGE,
  testDocker,
  testLabels,
  testLabelValue,
} from "./helpers/docker-cleanup-sandbox";

// Every file operation on real Docker, through the container as uid 1000, with
// the workspace bind-mounted from the host as the session manager does it.

const docker = testDocker();
const label = testLabelValue("sandbox-files");
let hostDir: string;
let workspace: string;
let s: DockerSandbox;
const SENTINEL = "host secret — must never be read or changed from a sandbox\n";

beforeAll(async () => {
  hostDir = await makeTempDir("sandbox-files");
  workspace = await makeWorkspaceDir(hostDir);
  // Sits next to the workspace on the host: what `ln -s ..` would reach if the
  // server ever followed a link on the host side.
  await fs.writeFile(path.join(hostDir, "sentinel.txt"), SENTINEL);
  s = new DockerSandbox({ docker, image: TEST_IMAGE, labels: testLabels(label), volumes: { [workspace]: "/workspace" }, limits: { memoryMb: 512 } });
  await s.start();
});

afterAll(async () => {
  await s?.stop().catch(() => {});
  await removeTestContainers(docker, label);
  if (hostDir) await removeTempDir(hostDir);
});

async function tarOf(entries: { name: string; type?: tar.Header["type"]; content?: string; linkname?: string }[]): Promise<Buffer> {
  const pack = tar.pack();
  for (const e of entries) {
    if (e.type && e.type !== "file") pack.entry({ name: e.name, type: e.type, linkname: e.linkname });
    else pack.entry({ name: e.name }, e.content ?? "");
  }
  pack.finalize();
  return buffer(pack);
}

async function tarNames(stream: Readable): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  const extract = tar.extract();
  extract.on("entry", (header, body, next) => {
    const chunks: Buffer[] = [];
    body.on("data", (c: unknown) => void chunks.push(c as Buffer));
    body.on("end", () => {
      files[`${header.type}:${header.name}`] = Buffer.concat(chunks).toString();
      next();
    });
  });
  const done = new Promise<void>((resolve, reject) => {
    extract.on("finish", () => resolve());
    extract.on("error", reject);
  });
  stream.pipe(extract);
  await done;
  return files;
}

describe("write / read / edit", () => {
  it("writes text creating parents, reads it back with numbered lines", async () => {
    const content = Array.from({ length: 10 }, (_, i) => `line ${i + 1}`).join("\n") + "\n";
    await s.write("notes/deep/a.txt", content);
    expect(await s.read("notes/deep/a.txt", { limit: 3 })).toBe(
      "     1\tline 1\n     2\tline 2\n     3\tline 3\n\n[... 7 more lines. Use offset=3 to read more.]",
    );
    expect(await s.read("/workspace/notes/deep/a.txt", { offset: 8 })).toBe("     9\tline 9\n    10\tline 10");
    expect(await s.read("notes/deep/a.txt", { offset: 10 })).toBe("[End of file]");
    // Written in the container as the sandbox user.
    expect((await s.execute("stat -c %u notes/deep/a.txt")).stdout.trim()).toBe("1000");
  });

  it("a missing file is a typed error naming it", async () => {
    await expect(s.read("missing.txt")).rejects.toThrow(FileNotFoundError);
    await expect(s.read("missing.txt")).rejects.toThrow("/workspace/missing.txt");
    await expect(s.readBytes("nope/missing.bin")).rejects.toThrow(FileNotFoundError);
    await expect(s.edit("missing.txt", "a", "b")).rejects.toThrow(FileNotFoundError);
    await expect(s.read("notes")).rejects.toThrow(WrongFileTypeError);
  });

  it("edit replaces one occurrence, refuses ambiguity and absence like the seeds", async () => {
    await s.write("edit.py", "x = 1\ny = 1\nprint(x)\n");
    await expect(s.edit("edit.py", "= 1", "= 2")).rejects.toThrow(EditNotUniqueError);
    await expect(s.edit("edit.py", "= 1", "= 2")).rejects.toThrow(/found 2 times.*replaceAll/);
    await expect(s.edit("edit.py", "zzz", "q")).rejects.toThrow(EditNotFoundError);
    await expect(s.edit("edit.py", "zzz", "q")).rejects.toThrow(/not found/);
    expect(await s.edit("edit.py", "print(x)", "print(x + y)")).toEqual({ path: "/workspace/edit.py", occurrences: 1 });
    expect(await s.edit("edit.py", "= 1", "= 3", { replaceAll: true })).toEqual({ path: "/workspace/edit.py", occurrences: 2 });
    expect((await s.readText("edit.py")).text).toBe("x = 3\ny = 3\nprint(x + y)\n");
  });

  it("edit keeps a file's encoding and its mode", async () => {
    await s.write("latin.txt", iconv.encode("prix: 5 €, café\n", "windows-1252"));
    await s.execute("chmod 755 latin.txt");
    await s.edit("latin.txt", "café", "thé");
    expect(await s.readBytes("latin.txt")).toEqual(iconv.encode("prix: 5 €, thé\n", "windows-1252"));
    expect((await s.execute("stat -c %a latin.txt")).stdout.trim()).toBe("755");
  });

  it("a 50 MB binary round-trips byte for byte", async () => {
    const data = randomBytes(50 * 1024 * 1024);
    expect((await s.write("big.bin", data)).bytes).toBe(data.length);
    const back = await s.readBytes("big.bin");
    expect(back.length).toBe(data.length);
    expect(back.equals(data)).toBe(true);
    // Text reads stop at a few MB (the server buffers them); given room, a binary is still not text.
    await expect(s.read("big.bin")).rejects.toThrow(FileTooLargeError);
    await expect(s.read("big.bin", { maxBytes: 64 * 1024 * 1024 })).rejects.toThrow(NotATextFileError);
    await s.execute("rm big.bin");
  });

  it("stat gives a size; reads check it before reading; headOnly reads the first whole lines", async () => {
    await s.execute("truncate -s 1G huge.bin && printf 'a,b\\n1,é\\n2,é\\n' > lines.csv");
    expect(await s.stat("huge.bin")).toEqual({ path: "/workspace/huge.bin", type: "file", size: 1024 * 1024 * 1024 });
    expect(await s.stat(".")).toMatchObject({ path: "/workspace", type: "directory" });
    await expect(s.stat("nothing-here")).rejects.toThrow(FileNotFoundError);
    await expect(s.readBytes("huge.bin")).rejects.toThrow(FileTooLargeError);
    expect((await s.readBytes("huge.bin", { maxBytes: 10, headOnly: true })).length).toBe(10);
    // "a,b\n1,é\n2," plus the first byte of "é": cut back to the last whole line, flagged.
    const head = await s.readText("lines.csv", { maxBytes: 12, headOnly: true });
    expect(head).toMatchObject({ text: "a,b\n1,é\n", encoding: "utf-8", truncated: true });
    expect(await s.readText("lines.csv", { headOnly: true })).toMatchObject({ text: "a,b\n1,é\n2,é\n", truncated: false });
    await s.execute("rm huge.bin lines.csv");
  });

  it("reads latin-1, UTF-16 with BOM and Shift-JIS text", async () => {
    const french = "Le café crème était brûlant; à côté, un garçon mangeait une crêpe.\n";
    const japanese = "日本語のテキストファイルです。\n東京都は日本の首都です。今日はいい天気ですね。\n";
    await s.write("latin1.csv", iconv.encode(french, "latin1"));
    await s.write("utf16.txt", Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode("name,value\nα,1\n", "utf-16le")]));
    await s.write("sjis.txt", iconv.encode(japanese, "Shift_JIS"));
    expect(await s.read("latin1.csv")).toBe(`     1\t${french.trimEnd()}`);
    expect(await s.read("utf16.txt")).toBe("     1\tname,value\n     2\tα,1");
    const sjis = await s.readText("sjis.txt");
    expect(sjis.text).toBe(japanese);
    expect(sjis.encoding).toBe("shift_jis");
  });

  it("reads a PDF as text", async () => {
    const pdf = await fs.readFile(path.join(import.meta.dirname, "../fixtures/hello.pdf"));
    await s.upload("docs/report.pdf", pdf);
    const text = await s.read("docs/report.pdf");
    expect(text).toContain("Title: Tidepool test");
    expect(text).toContain("--- Page 1 ---");
    expect(text).toContain("Hello from a PDF");
    expect(text).toContain("Churn rate: 4.2 percent");
  });
});

// Answered by the supervisor natively, and by find/grep over docker exec where there is none: the same answers.
describe.each([
  { way: "supervisor", supervised: true },
  { way: "docker exec", supervised: false },
])("ls / glob / grep ($way)", ({ supervised }) => {
  let box: DockerSandbox;
  let execHostDir: string | undefined;
  beforeAll(async () => {
    if (supervised) box = s;
    else {
      execHostDir = await makeTempDir("sandbox-files-exec");
      const volumes = { [await makeWorkspaceDir(execHostDir)]: "/workspace" };
      box = new DockerSandbox({ docker, image: TEST_IMAGE, labels: testLabels(label), volumes, supervisor: false });
    }
    await box.execute(
      "mkdir -p proj/src/util proj/.hidden lines && cd proj && echo 'import os' > src/main.py && echo 'def f(): return 42' > src/util/helpers.py && echo 'a,b' > data.csv && echo 'import secret' > .hidden/x.py && printf '\\0\\1import os' > blob.bin" +
        " && : > .tidepool-write-0123456789abcdef && seq -f 'line %g' 1 9 > ../lines/nine.txt",
    );
  });
  afterAll(async () => {
    if (supervised) return;
    await box?.stop().catch(() => {});
    if (execHostDir) await removeTempDir(execHostDir);
  });

  it("ls lists a folder, folders first, with types, sizes and times, never the engine's temp files", async () => {
    const { entries, truncated } = await box.ls("proj");
    expect(truncated).toBe(false);
    expect(entries.map((e) => `${e.type}:${e.name}`)).toEqual(["directory:.hidden", "directory:src", "file:blob.bin", "file:data.csv"]);
    expect(entries.find((e) => e.name === "data.csv")).toMatchObject({ path: "/workspace/proj/data.csv", size: 4, isDir: false });
    expect(Math.abs(entries.find((e) => e.name === "data.csv")!.modifiedMs - Date.now())).toBeLessThan(10 * 60_000);
    await expect(box.ls("proj/data.csv")).rejects.toThrow(WrongFileTypeError);
    await expect(box.ls("nope")).rejects.toThrow(FileNotFoundError);
  });

  it("ls caps its result", async () => {
    await box.execute("mkdir -p many && cd many && for i in $(seq 1 30); do : > f$i; done");
    const { entries, truncated } = await box.ls("many", { maxEntries: 10 });
    expect(entries).toHaveLength(10);
    expect(truncated).toBe(true);
  });

  it("glob matches by name and by path, skipping hidden folders", async () => {
    expect((await box.glob("*.py", { path: "proj" })).entries.map((e) => e.path)).toEqual([
      "/workspace/proj/src/main.py",
      "/workspace/proj/src/util/helpers.py",
    ]);
    expect((await box.glob("src/util/*.py", { path: "proj" })).entries.map((e) => e.name)).toEqual(["helpers.py"]);
    expect((await box.glob("**/*.py", { path: "proj", includeHidden: true })).entries).toHaveLength(3);
    expect((await box.glob("**/.tidepool-*", { path: "proj", includeHidden: true })).entries).toEqual([]);
    const capped = await box.glob("f*", { path: "many", maxResults: 5 });
    expect(capped.entries).toHaveLength(5);
    expect(capped.truncated).toBe(true);
  });

  it("grep finds lines with file and line number, skipping binary and hidden files", async () => {
    const { matches } = await box.grep("import (os|sys)", { path: "proj" });
    expect(matches).toEqual([{ path: "/workspace/proj/src/main.py", lineNumber: 1, line: "import os" }]);
    expect((await box.grep("RETURN", { path: "proj", ignoreCase: true, glob: "*.py" })).matches.map((m) => m.lineNumber)).toEqual([1]);
    const withHidden = await box.grep("import", { path: "proj", includeHidden: true, glob: "*.py" });
    expect(withHidden.matches.map((m) => m.path).sort()).toEqual(["/workspace/proj/.hidden/x.py", "/workspace/proj/src/main.py"]);
    expect((await box.grep("(", { path: "proj", fixedStrings: true })).matches.map((m) => m.line)).toEqual(["def f(): return 42"]);
    expect((await box.grep("line 7", { path: "lines/nine.txt" })).matches).toEqual([{ path: "/workspace/lines/nine.txt", lineNumber: 7, line: "line 7" }]);
    expect((await box.grep("no such text", { path: "proj" })).matches).toEqual([]);
    const capped = await box.grep("line", { path: "lines", maxMatches: 3 });
    expect(capped.matches.map((m) => m.lineNumber)).toEqual([1, 2, 3]);
    expect(capped.truncated).toBe(true);
    await expect(box.grep("(unclosed", { path: "proj" })).rejects.toThrow(InvalidPatternError);
    await expect(box.grep("x", { path: "nope" })).rejects.toThrow(FileNotFoundError);
  });
});

describe("upload / download", () => {
  it.each([
    ["a small file (one read by the supervisor)", 3 * 1024 * 1024],
    ["a large file (streamed by cat)", 9 * 1024 * 1024 + 7],
  ])("uploads a stream and downloads %s as a stream", async (_kind, size) => {
    const data = randomBytes(size);
    await s.upload("up/stream.bin", Readable.from([data.subarray(0, 1000), data.subarray(1000)]));
    const download = await s.download("up/stream.bin");
    expect(download.kind).toBe("file");
    expect((await buffer(download.stream)).equals(data)).toBe(true);
    await expect(s.download("up/missing.bin")).rejects.toThrow(FileNotFoundError);
  });

  it("a file replaced while it downloads comes whole, as it was when the download began", async () => {
    const before = randomBytes(13 * 1024 * 1024);
    await s.write("up/changing.bin", before);
    const download = await s.download("up/changing.bin");
    const reader = download.stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    const chunks = [(await reader.next()).value as Buffer];
    await s.write("up/changing.bin", randomBytes(13 * 1024 * 1024));
    for (let step = await reader.next(); !step.done; step = await reader.next()) chunks.push(step.value);
    expect(Buffer.concat(chunks).equals(before)).toBe(true);
  });

  it("downloads a folder as a checked tar (links left out)", async () => {
    await s.execute("mkdir -p pack/sub && echo one > pack/a.txt && echo two > pack/sub/b.txt && ln -s /etc/passwd pack/link");
    const download = await s.download("pack");
    expect(download.kind).toBe("directory");
    const files = await tarNames(download.stream);
    expect(files["file:a.txt"]).toBe("one\n");
    expect(files["file:sub/b.txt"]).toBe("two\n");
    expect(Object.keys(files).some((k) => k.includes("link"))).toBe(false);
    expect(download.kind === "directory" && download.skipped).toEqual(["./link"]);
  });

  it("extracts an uploaded tar into a folder", async () => {
    await s.uploadArchive("unpacked", await tarOf([{ name: "x/y.txt", content: "why" }, { name: "z.txt", content: "zed" }]));
    expect((await s.readText("unpacked/x/y.txt")).text).toBe("why");
    expect((await s.execute("stat -c %u unpacked/z.txt")).stdout.trim()).toBe("1000");
  });

  it("refuses archives with links, absolute paths or ..", async () => {
    await expect(s.uploadArchive("evil", await tarOf([{ name: "ok.txt" }, { name: "l", type: "symlink", linkname: "/" }]))).rejects.toThrow(UnsafeArchiveError);
    await expect(s.uploadArchive("evil", await tarOf([{ name: "../../escape.txt", content: "x" }]))).rejects.toThrow(UnsafeArchiveError);
    await expect(s.uploadArchive("evil", await tarOf([{ name: "/abs.txt", content: "x" }]))).rejects.toThrow(UnsafeArchiveError);
    expect((await s.execute("ls /workspace/escape.txt /escape.txt 2>&1; ls evil 2>&1")).output).not.toMatch(/^\/(workspace\/)?escape\.txt$/m);
  });
});

describe("path rules and symlinks", () => {
  it("refuses ../etc/passwd, absolute paths elsewhere, NUL and control characters", async () => {
    expect(() => s.read("../etc/passwd")).toThrow(PathOutsideWorkspaceError);
    expect(() => s.read("/etc/passwd")).toThrow(PathOutsideWorkspaceError);
    expect(() => s.write("a\u0000b", "x")).toThrow(InvalidPathError);
    expect(() => s.write("a\rb", "x")).toThrow(InvalidPathError);
    expect(() => s.download("../")).toThrow(/outside the workspace/);
  });

  it("links planted in the workspace never let the server touch host files", async () => {
    expect((await s.execute("ln -s / r && ln -s .. parent")).exitCode).toBe(0);
    const sentinelInContainer = `r${hostDir}/sentinel.txt`;
    // Through `parent` (= the host folder holding the sentinel, if followed on the host):
    await expect(s.read("parent/sentinel.txt")).rejects.toThrow(FileNotFoundError);
    await expect(s.readBytes(sentinelInContainer)).rejects.toThrow(FileNotFoundError);
    await expect(s.download("parent/sentinel.txt")).rejects.toThrow(FileNotFoundError);
    await expect(s.write("parent/sentinel.txt", "pwned")).rejects.toThrow(PermissionDeniedError);
    await expect(s.uploadArchive("parent", await tarOf([{ name: "sentinel.txt", content: "pwned" }]))).rejects.toThrow(PermissionDeniedError);
    // The container's own /tmp is writable: this lands there, not on the host.
    await s.write(sentinelInContainer, "pwned");
    await expect(s.edit(sentinelInContainer, "pwned", "again")).resolves.toMatchObject({ occurrences: 1 });
    const tmp = await s.download(`r${hostDir}`);
    expect(Object.keys(await tarNames(tmp.stream))).toEqual(["file:sentinel.txt"]);
    // Reads of the container's root go as uid 1000: /etc/shadow stays closed.
    await expect(s.readBytes("r/etc/shadow")).rejects.toThrow(PermissionDeniedError);
    expect(await fs.readFile(path.join(hostDir, "sentinel.txt"), "utf8")).toBe(SENTINEL);
    expect((await fs.readdir(hostDir)).sort()).toEqual(["sentinel.txt", "workspace"]);
  });
});
