// The in-sandbox supervisor against plain `docker exec` on the same container,
// in the same run, interleaved: a command (`true`), 1 KB writes and reads,
// 50 MB writes and reads (against Docker's archive API, which dockerd serves
// itself, as root: the engine may not use it, DESIGN.md's rule 2), ls and grep
// over 200 files (against find and grep run by docker exec), and commands per
// second across 10 sandboxes. Like-for-like rows beside the issue's: a 50 MB
// download as a stream against the archive stream, and readBytes against the
// archive joined into one buffer (this machine pays ~4 ms per MB the first time
// fresh memory is touched, which only the side that builds a buffer pays).
//   node_modules/.bin/tsx bench/supervisor.ts [iterations]
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Readable } from "node:stream";
import Docker from "dockerode";
import tar from "tar-stream";
import { DockerSandbox, LABELS } from "../server/sandbox";
import { startDockerExec } from "../server/sandbox/docker-exec";
import { superviseContainer } from "../server/sandbox/supervisor/sandbox-supervisor";
import { printTable, time } from "./sandbox-stats";

const IMAGE = process.env.BENCH_IMAGE ?? "tidepool/base:bookworm";
const N = Number(process.argv[2] ?? 50);
const SANDBOXES = 10;
const THROUGHPUT_MS = 8_000;
const docker = new Docker({ socketPath: "/var/run/docker.sock" });
const label = "bench-supervisor";

/** One plain docker exec as the sandbox user, to its exit code: the baseline. */
async function dockerExec(container: Docker.Container, cmd: string[], stdin?: Uint8Array): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const running = await startDockerExec(container, { cmd, stdin }, (_stream, chunk) => chunks.push(Buffer.from(chunk)));
  await running.ended;
  await running.exitCode();
  return Buffer.concat(chunks);
}

/** A plain docker exec whose output is only counted: the transport the supervisor's stream rides on. */
async function dockerExecCount(container: Docker.Container, cmd: string[]): Promise<number> {
  let size = 0;
  const running = await startDockerExec(container, { cmd }, (_stream, chunk) => (size += chunk.length));
  await running.ended;
  return size;
}

async function putArchive(container: Docker.Container, name: string, data: Buffer): Promise<void> {
  const pack = tar.pack();
  pack.entry({ name, size: data.length, uid: 1000, gid: 1000 }, data);
  pack.finalize();
  await container.putArchive(pack as unknown as Readable, { path: "/workspace" });
}

async function getArchive(container: Docker.Container, path: string, join = false): Promise<number> {
  const stream = await container.getArchive({ path });
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (join) chunks.push(chunk);
  }
  return join ? Buffer.concat(chunks, size).length : size;
}

async function drain(stream: AsyncIterable<unknown>): Promise<void> {
  for await (const _ of stream);
}

/** Commands completed across all sandboxes in THROUGHPUT_MS, one in flight per sandbox. */
async function throughput(run: (index: number) => Promise<unknown>): Promise<number> {
  const deadline = performance.now() + THROUGHPUT_MS;
  let done = 0;
  await Promise.all(
    Array.from({ length: SANDBOXES }, async (_, index) => {
      while (performance.now() < deadline) {
        await run(index);
        done++;
      }
    }),
  );
  return done / (THROUGHPUT_MS / 1000);
}

async function main(): Promise<void> {
  // Host folders as workspaces, as the platform has: the archive API refuses a tmpfs on a read-only root.
  const root = await fs.mkdtemp(path.join(os.tmpdir(), "tidepool-bench-supervisor-"));
  const workspaces = await Promise.all(
    Array.from({ length: SANDBOXES }, async (_, index) => {
      const dir = path.join(root, String(index));
      await fs.mkdir(dir);
      await fs.chown(dir, 1000, 1000);
      return dir;
    }),
  );
  const sandboxes = workspaces.map((dir) => new DockerSandbox({ docker, image: IMAGE, labels: { [LABELS.test]: label }, volumes: { [dir]: "/workspace" } }));
  try {
    await Promise.all(sandboxes.map((s) => s.start()));
    const s = sandboxes[0]!;
    const container = docker.getContainer(s.containerId!);
    const link = (await superviseContainer(container).connection()).link.kind;
    const small = Buffer.alloc(1024, 7);
    const big = Buffer.alloc(50 * 1024 * 1024, 9);
    const rows = {
      true: { sup: [] as number[], base: [] as number[] },
      write: { sup: [] as number[], base: [] as number[] },
      read: { sup: [] as number[], base: [] as number[] },
      bigWrite: { sup: [] as number[], base: [] as number[] },
      bigRead: { sup: [] as number[], base: [] as number[] },
      bigReadJoined: { sup: [] as number[], base: [] as number[] },
      bigDownload: { sup: [] as number[], base: [] as number[] },
      bigExecCat: { sup: [] as number[], base: [] as number[] },
      ls: { sup: [] as number[], base: [] as number[] },
      grep: { sup: [] as number[], base: [] as number[] },
    };
    await s.write("small.bin", small);
    await s.execute("mkdir -p many && for i in $(seq 1 200); do echo \"row $i\" > many/f$i.txt; done");
    for (let i = 0; i < N; i++) {
      rows.true.sup.push(await time(() => s.execute("true")));
      rows.true.base.push(await time(() => dockerExec(container, ["true"])));
      rows.write.sup.push(await time(() => s.write("small.bin", small)));
      rows.write.base.push(await time(() => dockerExec(container, ["sh", "-c", "cat > /workspace/small-base.bin"], small)));
      rows.read.sup.push(await time(() => s.readBytes("small.bin")));
      rows.read.base.push(await time(() => dockerExec(container, ["cat", "/workspace/small.bin"])));
      rows.ls.sup.push(await time(() => s.ls("many")));
      rows.ls.base.push(await time(() => dockerExec(container, ["find", "/workspace/many", "-mindepth", "1", "-maxdepth", "1", "-printf", "%y\\t%s\\t%T@\\t%P\\0"])));
      rows.grep.sup.push(await time(() => s.grep("row 1[0-9]", { path: "many" })));
      rows.grep.base.push(await time(() => dockerExec(container, ["grep", "-rnIH", "--null", "-E", "row 1[0-9]", "/workspace/many"])));
    }
    for (let i = 0; i < Math.min(N, 8); i++) {
      rows.bigWrite.sup.push(await time(() => s.write("big.bin", big)));
      rows.bigWrite.base.push(await time(() => putArchive(container, "big-base.bin", big)));
      rows.bigRead.sup.push(await time(() => s.readBytes("big.bin")));
      rows.bigRead.base.push(await time(() => getArchive(container, "/workspace/big-base.bin")));
      rows.bigReadJoined.sup.push(await time(() => s.readBytes("big.bin")));
      rows.bigReadJoined.base.push(await time(() => getArchive(container, "/workspace/big-base.bin", true)));
      rows.bigDownload.sup.push(await time(async () => drain((await s.download("big.bin")).stream)));
      rows.bigDownload.base.push(await time(() => getArchive(container, "/workspace/big-base.bin")));
      rows.bigExecCat.sup.push(await time(() => dockerExecCount(container, ["cat", "/workspace/big-base.bin"])));
      rows.bigExecCat.base.push(await time(() => getArchive(container, "/workspace/big-base.bin")));
    }
    const row = (name: string, r: { sup: number[]; base: number[] }, baseName: string, goal: string) => ({
      name,
      samples: r.sup,
      baseline: { name: baseName, samples: r.base },
      goal,
    });
    printTable(`Supervisor (over its ${link} link) vs docker exec (same container, same run)`, [
      row("execute(`true`)", rows.true, "docker exec true", "≤ 0.15×"),
      row("write 1 KB", rows.write, "docker exec cat >", "≤ 0.1×"),
      row("read 1 KB", rows.read, "docker exec cat", "≤ 0.1×"),
      row("ls 200 files", rows.ls, "docker exec find", "(no goal)"),
      row("grep 200 files", rows.grep, "docker exec grep", "(no goal)"),
      row("write 50 MB", rows.bigWrite, "putArchive", "≤ 1.0×"),
      row("read 50 MB", rows.bigRead, "getArchive", "≤ 1.0×"),
      row("read 50 MB", rows.bigReadJoined, "getArchive, joined", "(like for like)"),
      row("download 50 MB", rows.bigDownload, "getArchive", "(stream, like for like)"),
      row("docker exec cat 50 MB", rows.bigExecCat, "getArchive", "(the transport alone)"),
    ]);
    const containers = sandboxes.map((x) => docker.getContainer(x.containerId!));
    const supervised = await throughput((index) => sandboxes[index]!.execute("true"));
    const plain = await throughput((index) => dockerExec(containers[index]!, ["true"]));
    console.log(`\ncommands per second across ${SANDBOXES} sandboxes (${THROUGHPUT_MS / 1000} s each): supervisor ${supervised.toFixed(0)}, docker exec ${plain.toFixed(0)}, ratio ${(supervised / plain).toFixed(1)}× (goal ≥ 8×)`);
  } finally {
    await Promise.all(sandboxes.map((x) => x.stop().catch(() => {})));
    await fs.rm(root, { recursive: true, force: true });
  }
}

await main();
