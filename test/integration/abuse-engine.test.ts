import { Readable } from "node:stream";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  DockerSandbox,
  InvalidPathError,
  InvalidSandboxOptionsError,
  PathOutsideWorkspaceError,
  SandboxInfrastructureError,
  SessionManager,
  UnsafeArchiveError,
  UploadIncompleteError,
  WorkspaceFullError,
} from "~/server/sandbox";
import {
  dumpLogs,
  makeTempDir,
  makeWorkspaceDir,
  removeTempDir,
  removeTestContainers,
  TEST_IMAGE,
  testDocker,
  testLabels,
  testLabelValue,
} from "./helpers/docker-cleanup-sandbox";

// The engine under abuse, on real Docker: hostile archives, symlinks into
// /proc as a working directory, a sandbox killed from outside, uploads that
// break off, names past the kernel's limits and a full disk.

const docker = testDocker();
const label = testLabelValue("abuse-engine");
const created: DockerSandbox[] = [];
const tempDirs: string[] = [];
let hostDir: string;
let s: DockerSandbox;

function sandbox(options: Partial<ConstructorParameters<typeof DockerSandbox>[0]> = {}): DockerSandbox {
  const made = new DockerSandbox({
    docker,
    image: TEST_IMAGE,
    labels: testLabels(label),
    limits: { memoryMb: 256, pids: 128 },
    ...options,
  });
  created.push(made);
  return made;
}

beforeAll(async () => {
  hostDir = await makeTempDir("abuse-engine");
  tempDirs.push(await makeTempDir("abuse-kill"));
  s = sandbox({ volumes: { [await makeWorkspaceDir(hostDir)]: "/workspace" } });
  await s.start();
});

afterEach(async (context) => {
  if (context.task.result?.state === "fail" && s.containerId) console.error(await dumpLogs(docker, s.name));
});

afterAll(async () => {
  await Promise.all(created.map((made) => made.stop().catch(() => {})));
  await removeTestContainers(docker, label);
  await Promise.all([hostDir, ...tempDirs].filter(Boolean).map((dir) => removeTempDir(dir)));
});

/** Engine temp files anywhere in the workspace (there must never be any left). */
async function leftovers(sb = s): Promise<string> {
  return (await sb.execute("find /workspace -name '.tidepool-*'")).stdout.trim();
}

async function exists(path: string, sb = s): Promise<boolean> {
  return (await sb.execute(`test -e '${path}' || test -L '${path}'`)).exitCode === 0;
}

// ---- tar made on the fly: headers generated, bodies streamed, nothing allocated up front ----

function tarHeader(name: string, size: number, type: "0" | "2" | "5" = "0", linkname = ""): Buffer {
  const header = Buffer.alloc(512);
  const field = (offset: number, length: number, value: string) => header.write(value, offset, length, "utf8");
  const octal = (offset: number, length: number, value: number) =>
    field(offset, length, `${value.toString(8).padStart(length - 1, "0")}\0`);
  field(0, 100, name);
  octal(100, 8, type === "5" ? 0o755 : 0o644);
  octal(108, 8, 1000);
  octal(116, 8, 1000);
  octal(124, 12, size);
  octal(136, 12, Math.floor(Date.now() / 1000));
  field(148, 8, "        ");
  field(156, 1, type);
  field(157, 100, linkname);
  field(257, 6, "ustar\0");
  field(263, 2, "00");
  let sum = 0;
  for (const byte of header) sum += byte;
  field(148, 8, `${sum.toString(8).padStart(6, "0")}\0 `);
  return header;
}

type Entry = { name: string; size?: number; type?: "0" | "2" | "5"; linkname?: string };

/** A tar stream of `entries`, file bodies of zeros made 64 KiB at a time; `sent` counts the bytes pulled. */
function tarStream(entries: Iterable<Entry>): { stream: Readable; sent: () => number } {
  let sent = 0;
  const chunk = Buffer.alloc(64 * 1024);
  function* generate(): Generator<Buffer> {
    for (const entry of entries) {
      const size = entry.size ?? 0;
      yield tarHeader(entry.name, size, entry.type, entry.linkname);
      for (let left = size; left > 0; left -= chunk.length)
        yield left >= chunk.length ? chunk : chunk.subarray(0, left);
      if (size % 512) yield Buffer.alloc(512 - (size % 512));
    }
    yield Buffer.alloc(1024);
  }
  const source = generate();
  const stream = new Readable({
    read() {
      const next = source.next();
      if (next.done) this.push(null);
      else {
        sent += next.value.length;
        this.push(next.value);
      }
    },
  });
  return { stream, sent: () => sent };
}

function* emptyFiles(count: number, dir = "many"): Generator<Entry> {
  for (let i = 0; i < count; i++) yield { name: `${dir}/f${i}` };
}

describe("archives are checked whole before anything is extracted", () => {
  it("refuses 100 001 entries with nothing written, quickly", async () => {
    const started = performance.now();
    const { stream } = tarStream(emptyFiles(100_001));
    await expect(s.uploadArchive("many-default", stream)).rejects.toThrow(/more than 100000 entries/);
    const seconds = (performance.now() - started) / 1000;
    console.log(`100 001-entry archive refused in ${seconds.toFixed(1)} s`);
    expect(seconds).toBeLessThan(45);
    expect(await exists("/workspace/many-default")).toBe(false);
    expect(await leftovers()).toBe("");
  });

  it("checks the count before the first entry is extracted (limit lowered)", async () => {
    await expect(s.uploadArchive("many", tarStream(emptyFiles(11)).stream, { maxEntries: 10 })).rejects.toThrow(
      UnsafeArchiveError,
    );
    expect(await exists("/workspace/many")).toBe(false);
    expect(await leftovers()).toBe("");
    // At the limit it goes through.
    await s.uploadArchive("many", tarStream(emptyFiles(10)).stream, { maxEntries: 10 });
    expect((await s.execute("ls many/many | wc -l")).stdout.trim()).toBe("10");
  });

  it("refuses a header claiming more than maxBytes at the header, before its body is read", async () => {
    const lying = tarStream([
      { name: "small.txt", size: 100 },
      { name: "huge.bin", size: 1024 * 1024 * 1024 },
    ]);
    await expect(s.uploadArchive("huge", lying.stream, { maxBytes: 1024 * 1024 })).rejects.toThrow(
      /more than 1048576 bytes/,
    );
    // Far less than the 1 GiB the header announced was ever pulled from the stream.
    expect(lying.sent()).toBeLessThan(8 * 1024 * 1024);
    expect(await exists("/workspace/huge")).toBe(false);
    expect(await leftovers()).toBe("");
  });

  it("refuses three 1 MiB files over a 2.5 MiB limit with nothing left behind", async () => {
    const three = tarStream([1, 2, 3].map((i) => ({ name: `part${i}.bin`, size: 1024 * 1024 })));
    await expect(s.uploadArchive("three", three.stream, { maxBytes: 2.5 * 1024 * 1024 })).rejects.toThrow(
      UnsafeArchiveError,
    );
    expect(await exists("/workspace/three")).toBe(false);
    expect(await leftovers()).toBe("");
  });

  it("a bad entry after good ones leaves no file and no target folder", async () => {
    const archive = tarStream([
      { name: "a.txt", size: 10 },
      { name: "sub/b.txt", size: 20_000 },
      { name: "link", type: "2", linkname: "/proc/self/fd/7" },
    ]);
    await expect(s.uploadArchive("deep/target", archive.stream)).rejects.toThrow(/symlink entries are not allowed/);
    expect(await exists("/workspace/deep")).toBe(false);
    expect(await leftovers()).toBe("");
  });

  it("merges into an existing folder: same names replaced, other files kept", async () => {
    await s.write("merge/keep.txt", "kept");
    await s.write("merge/sub/replace.txt", "old");
    await s.uploadArchive(
      "merge",
      tarStream([
        { name: "sub/replace.txt", size: 3 },
        { name: "new.txt", size: 1 },
      ]).stream,
    );
    expect((await s.readText("merge/keep.txt")).text).toBe("kept");
    expect((await s.readBytes("merge/sub/replace.txt")).equals(Buffer.alloc(3))).toBe(true);
    expect(await exists("/workspace/merge/new.txt")).toBe(true);
    expect(await leftovers()).toBe("");
    // A folder in the archive where the existing folder has a file: a clear refusal, no temp files.
    await expect(s.uploadArchive("merge", tarStream([{ name: "keep.txt/inner.txt", size: 1 }]).stream)).rejects.toThrow(
      /clashes with what is already in/,
    );
    expect((await s.readText("merge/keep.txt")).text).toBe("kept");
    expect(await leftovers()).toBe("");
  });
});

describe("working directories through symlinks", () => {
  beforeAll(async () => {
    await s.execute(
      "ln -sfn /proc/self/fd/7 fd7 && ln -sfn /proc/self proc-self && ln -sfn /etc etc-link && mkdir -p real && ln -sfn real inside",
    );
  });

  it("execute refuses a cwd that resolves into /proc or outside the workspace", async () => {
    for (const cwd of ["fd7", "proc-self", "etc-link", "/workspace/proc-self/root/etc"]) {
      await expect(s.execute("pwd", { cwd }), cwd).rejects.toThrow(PathOutsideWorkspaceError);
    }
    await expect(s.execute("pwd", { cwd: "proc-self" })).rejects.toThrow(
      /resolves to \/proc\/\d+ through a symbolic link/,
    );
    expect((await s.execute("pwd", { cwd: "inside" })).stdout.trim()).toBe("/workspace/real");
  });

  it("spawn refuses them too", async () => {
    for (const cwd of ["fd7", "proc-self", "etc-link"]) {
      await expect(s.spawn(["cat"], { cwd }), cwd).rejects.toThrow(PathOutsideWorkspaceError);
    }
    const process = await s.spawn(["sh", "-c", "pwd"], { cwd: "inside" });
    const chunks: Buffer[] = [];
    process.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
    await process.exited;
    expect(Buffer.concat(chunks).toString().trim()).toBe("/workspace/real");
  });

  it("a work dir in /proc, /sys or /dev is refused at construction", () => {
    for (const workDir of ["/proc/self/fd/7", "/sys/kernel", "/dev/shm"]) {
      expect(() => sandbox({ workDir }), workDir).toThrow(InvalidSandboxOptionsError);
    }
  });
});

describe("a sandbox killed from outside", () => {
  it("the next calls recover (or say clearly what happened), never a raw Docker error", async () => {
    const k = sandbox({ volumes: { [await makeWorkspaceDir(tempDirs[0]!)]: "/workspace" } });
    await k.write("kept.txt", "still here");
    for (let round = 0; round < 2; round++) {
      const killing = docker
        .getContainer(k.containerId!)
        .kill()
        .catch(() => {});
      // Calls made while Docker is still taking the container down, and after.
      const outcomes: string[] = [];
      for (let call = 0; call < 6; call++) {
        try {
          outcomes.push((await k.execute("cat kept.txt")).output);
        } catch (error) {
          expect(error).not.toBeInstanceOf(SandboxInfrastructureError);
          outcomes.push(String(error));
        }
      }
      await killing;
      expect(
        outcomes.filter(
          // A command the supervisor had started when the kill landed says so (after what it printed); one that never started is retried.
          (outcome) =>
            outcome !== "still here" &&
            !/Your sandbox restarted; your files are intact/.test(outcome) &&
            !/^(still here\n)?\[The sandbox stopped while this command ran \(it was killed or restarted\); files in \/workspace are intact\. Run the command again\.\]\n$/.test(outcome),
        ),
      ).toEqual([]);
      expect(outcomes.at(-1)).toBe("still here");
    }
  });

  it("through the session manager too: the user's next call works and the files are there", async () => {
    const root = await makeTempDir("abuse-sessions");
    tempDirs.push(root);
    const manager = new SessionManager({
      docker,
      image: TEST_IMAGE,
      workspaceRoot: root,
      scope: label,
      labels: testLabels(label),
      limits: { memoryMb: 256 },
    });
    try {
      await (await manager.getOrCreate("killed-user")).write("kept.txt", "still here");
      const containerId = (await manager.getOrCreate("killed-user")).containerId!;
      const killing = docker
        .getContainer(containerId)
        .kill()
        .catch(() => {});
      const outcomes: string[] = [];
      const started = performance.now();
      while (performance.now() - started < 2_000) {
        try {
          const sandbox = await manager.getOrCreate("killed-user");
          outcomes.push((await sandbox.readText("kept.txt")).text);
        } catch (error) {
          outcomes.push(String(error));
        }
      }
      await killing;
      expect(outcomes.filter((outcome) => outcome !== "still here" && !/Your sandbox restarted/.test(outcome))).toEqual(
        [],
      );
      expect(outcomes.at(-1)).toBe("still here");
    } finally {
      await manager.shutdown();
    }
  });

  it("a command running when the sandbox dies says so; one that kills itself is a plain 137", async () => {
    const k = sandbox();
    await k.start();
    const running = k.execute("echo started; sleep 30");
    await new Promise((resolve) => setTimeout(resolve, 500));
    await docker.getContainer(k.containerId!).kill();
    const result = await running;
    expect(result.exitCode).toBe(137);
    expect(result.sandboxLost).toBe(true);
    expect(result.output).toMatch(
      /started\n\[The sandbox stopped while this command ran \(it was killed or restarted\); files in \/workspace are intact/,
    );

    const self = await k.execute("echo bye; kill -9 $$");
    expect(self.exitCode).toBe(137);
    expect(self.sandboxLost).toBeUndefined();
    expect(self.output).toBe("bye\n");
  });
});

describe("temp files never outlive a failed write", () => {
  it("an upload that breaks off leaves the old file and no temp file", async () => {
    await s.write("upload/target.bin", "old content");
    // Breaking off at once, after a little, after a lot.
    for (const chunks of [0, 1, 19]) {
      let pushed = 0;
      const breaking = new Readable({
        read() {
          if (pushed++ < chunks) this.push(Buffer.alloc(64 * 1024, 1));
          else this.destroy(new Error("client went away"));
        },
      });
      await expect(s.upload("upload/target.bin", breaking), `after ${chunks} chunks`).rejects.toThrow(
        UploadIncompleteError,
      );
      expect((await s.readText("upload/target.bin")).text).toBe("old content");
      expect(await leftovers()).toBe("");
    }
  });

  it("temp names are hidden from listings and swept when the container starts again", async () => {
    await s.execute(
      "mkdir -p sweep/inner && touch sweep/.tidepool-write-0123 sweep/inner/.tidepool-spool-4567 && mkdir sweep/.tidepool-extract-89ab && touch sweep/shown",
    );
    expect((await s.ls("sweep")).entries.map((e) => e.name)).toEqual(["inner", "shown"]);
    expect((await s.glob("**/*", { path: "sweep", includeHidden: true })).entries.map((e) => e.name)).toEqual([
      "shown",
    ]);
    await s.stop();
    await s.start();
    expect(await leftovers()).toBe("");
    expect(await exists("/workspace/sweep/shown")).toBe(true);
  });
});

describe("limits of names and of the disk", () => {
  it("a 256-byte name is a clear invalid-path error, before anything runs", async () => {
    const long = "n".repeat(256);
    expect(() => s.write(long, "x")).toThrow(InvalidPathError);
    expect(() => s.write(long, "x")).toThrow(/longer than 255 bytes/);
    expect(() => s.execute("true", { cwd: long })).toThrow(/longer than 255 bytes/);
    await expect(s.write("n".repeat(255), "ok")).resolves.toMatchObject({ bytes: 2 });
  });

  it("a full workspace is a typed workspace_full error; the old file stays, no temp file", async () => {
    const small = sandbox({ limits: { memoryMb: 256, workDirTmpMb: 4 } });
    await small.write("keep.txt", "original");
    const error = await small.write("keep.txt", Buffer.alloc(6 * 1024 * 1024, 7)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(WorkspaceFullError);
    expect((error as WorkspaceFullError).code).toBe("workspace_full");
    expect((error as WorkspaceFullError).message).toMatch(/Your workspace is full: delete files to make room/);
    expect((await small.readText("keep.txt")).text).toBe("original");
    expect(await leftovers(small)).toBe("");
    // A stream of unknown length, and an archive, fail the same way.
    await expect(
      small.upload("big.bin", Readable.from([Buffer.alloc(3 * 1024 * 1024), Buffer.alloc(3 * 1024 * 1024)])),
    ).rejects.toThrow(WorkspaceFullError);
    await expect(
      small.uploadArchive("unpacked", tarStream([{ name: "a.bin", size: 6 * 1024 * 1024 }]).stream),
    ).rejects.toThrow(WorkspaceFullError);
    expect(await exists("/workspace/unpacked", small)).toBe(false);
    expect(await exists("/workspace/big.bin", small)).toBe(false);
    expect(await leftovers(small)).toBe("");
  });
});
