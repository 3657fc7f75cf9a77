// DockerSandbox overhead against raw dockerode, measured in the same run on the
// same container: execute(`true`) vs a bare exec, and write/read of 1 KB and
// 50 MB vs the archive API (putArchive/getArchive, which the sandbox does not use
// because it runs as root; shown as the engine's own speed for the same bytes, on
// a plain container since the archive API refuses a read-only rootfs).
//   npx tsx bench/sandbox-exec.ts [iterations]
import { randomBytes } from "node:crypto";
import Docker from "dockerode";
import * as tar from "tar-stream";
import { DockerSandbox, LABELS } from "../server/sandbox";
import { printTable, time } from "./sandbox-stats";

const IMAGE = process.env.BENCH_IMAGE ?? "tidepool/base:bookworm";
const N = Number(process.argv[2] ?? 60);
const docker = new Docker({ socketPath: "/var/run/docker.sock" });

async function rawExecTrue(container: Docker.Container): Promise<void> {
  const exec = await container.exec({ Cmd: ["true"], AttachStdout: true, AttachStderr: true, User: "1000:1000" });
  const stream = (await exec.start({ hijack: true, stdin: false }));
  stream.resume();
  await new Promise<void>((resolve) => stream.on("end", () => resolve()));
  await exec.inspect();
}

async function tarOf(name: string, data: Buffer): Promise<Buffer> {
  const pack = tar.pack();
  pack.entry({ name, size: data.length }, data);
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function rawGetArchive(container: Docker.Container, path: string): Promise<void> {
  const stream = await container.getArchive({ path });
  for await (const chunk of stream) void chunk;
}

async function main(): Promise<void> {
  const sandbox = new DockerSandbox({ docker, image: IMAGE, labels: { [LABELS.test]: "bench-sandbox" }, limits: { memoryMb: 1024 } });
  const cleanup: (() => Promise<unknown>)[] = [];
  try {
    await sandbox.start();
    const container = docker.getContainer(sandbox.containerId!);
    for (let i = 0; i < 5; i++) {
      await rawExecTrue(container);
      await sandbox.execute("true");
    }
    const raw: number[] = [];
    const ours: number[] = [];
    for (let i = 0; i < N; i++) {
      // Interleaved so both see the same engine conditions.
      raw.push(await time(() => rawExecTrue(container)));
      ours.push(await time(() => sandbox.execute("true")));
    }

    // The archive API refuses a read-only rootfs: its baseline runs on a plain container of the same image.
    const plain = await docker.createContainer({ Image: IMAGE, Cmd: ["sleep", "infinity"], Labels: { [LABELS.test]: "bench-sandbox" }, HostConfig: { Init: true } });
    await plain.start();
    cleanup.push(() => plain.remove({ force: true }));
    const small = randomBytes(1024);
    const big = randomBytes(50 * 1024 * 1024);
    const smallTar = await tarOf("raw-small.bin", small);
    const bigTar = await tarOf("raw-big.bin", big);
    const m = { w1: [] as number[], r1: [] as number[], pw1: [] as number[], pr1: [] as number[], w50: [] as number[], r50: [] as number[], pw50: [] as number[], pr50: [] as number[] };
    for (let i = 0; i < Math.min(N, 30); i++) {
      m.pw1.push(await time(() => plain.putArchive(smallTar, { path: "/tmp" })));
      m.w1.push(await time(() => sandbox.write("small.bin", small)));
      m.pr1.push(await time(() => rawGetArchive(plain, "/tmp/raw-small.bin")));
      m.r1.push(await time(() => sandbox.readBytes("small.bin")));
    }
    for (let i = 0; i < 5; i++) {
      m.pw50.push(await time(() => plain.putArchive(bigTar, { path: "/tmp" })));
      m.w50.push(await time(() => sandbox.write("big.bin", big)));
      m.pr50.push(await time(() => rawGetArchive(plain, "/tmp/raw-big.bin")));
      let back: Buffer | null = null;
      m.r50.push(await time(async () => (back = await sandbox.readBytes("big.bin"))));
      if (!back || !(back as Buffer).equals(big)) throw new Error("50 MB round trip differs");
    }
    printTable(`DockerSandbox vs raw dockerode (${IMAGE}, same container, same run)`, [
      { name: "execute(`true`)", samples: ours, baseline: { name: "raw exec true", samples: raw }, goal: "≤ 1.15×" },
      { name: "write 1 KB", samples: m.w1, baseline: { name: "putArchive 1 KB", samples: m.pw1 } },
      { name: "readBytes 1 KB", samples: m.r1, baseline: { name: "getArchive 1 KB", samples: m.pr1 } },
      { name: "write 50 MB", samples: m.w50, baseline: { name: "putArchive 50 MB", samples: m.pw50 } },
      { name: "readBytes 50 MB", samples: m.r50, baseline: { name: "getArchive 50 MB", samples: m.pr50 } },
    ]);
  } finally {
    for (const fn of cleanup) await fn().catch(() => {});
    await sandbox.stop();
  }
}

await main();
