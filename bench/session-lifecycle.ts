// SessionManager lifecycle costs, each beside a raw dockerode baseline measured
// in the same run:
//   new session → first command   vs raw create+start (same hardened spec) + exec `true`
//   getOrCreate on a live session vs a raw container inspect
//   first command after a pause   vs a command on a live session (and raw unpause+exec)
//   wake after reap → first cmd   vs raw create+start + exec `true`
//   npx tsx bench/session-lifecycle.ts [iterations]
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import Docker from "dockerode";
import { LABELS, SessionManager } from "../server/sandbox";
import { buildContainerSpec, resolveLimits } from "../server/sandbox/container-spec";
import { printTable, time } from "./sandbox-stats";

const IMAGE = process.env.BENCH_IMAGE ?? "tidepool/base:bookworm";
const N = Number(process.argv[2] ?? 15);
const docker = new Docker({ socketPath: "/var/run/docker.sock" });
const TEST = { [LABELS.test]: "bench-session" };

async function rawExecTrue(container: Docker.Container): Promise<void> {
  const exec = await container.exec({ Cmd: ["true"], AttachStdout: true, AttachStderr: true, User: "1000:1000" });
  const stream = (await exec.start({ hijack: true, stdin: false }));
  stream.resume();
  await new Promise<void>((resolve) => stream.on("end", () => resolve()));
  await exec.inspect();
}

async function rawNewContainer(i: number, workspace: string): Promise<Docker.Container> {
  const spec = buildContainerSpec({
    name: `tidepool-bench-raw-${process.pid}-${i}`,
    image: IMAGE,
    workDir: "/workspace",
    env: {},
    labels: TEST,
    volumes: [{ hostPath: workspace, containerPath: "/workspace" }],
    limits: resolveLimits(),
    network: false,
  });
  const container = await docker.createContainer(spec);
  await container.start();
  return container;
}

async function main(): Promise<void> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), "tidepool-bench-sessions-"));
  const rawWorkspace = path.join(root, "raw");
  await fs.mkdir(rawWorkspace);
  await fs.chown(rawWorkspace, 1000, 1000);
  const manager = new SessionManager({ docker, image: IMAGE, workspaceRoot: root, scope: `bench-${process.pid}`, labels: TEST, maxSessions: 1000 });
  const raws: Docker.Container[] = [];
  try {
    await manager.recover();
    const fresh: number[] = [];
    const rawFresh: number[] = [];
    for (let i = 0; i < N; i++) {
      rawFresh.push(
        await time(async () => {
          const c = await rawNewContainer(i, rawWorkspace);
          raws.push(c);
          await rawExecTrue(c);
        }),
      );
      fresh.push(
        await time(async () => {
          const s = await manager.getOrCreate(`bench-${i}`);
          await s.execute("true");
        }),
      );
    }

    const live: number[] = [];
    const rawInspect: number[] = [];
    const probe = raws[0]!;
    for (let i = 0; i < 200; i++) {
      rawInspect.push(await time(() => probe.inspect()));
      live.push(await time(() => manager.getOrCreate(`bench-${i % N}`)));
    }

    const liveCommand: number[] = [];
    const resumed: number[] = [];
    const rawLive: number[] = [];
    const rawResumed: number[] = [];
    for (let i = 0; i < N; i++) {
      const s = await manager.getOrCreate(`bench-${i}`);
      liveCommand.push(await time(() => s.execute("true")));
      await s.pause();
      resumed.push(await time(async () => (await manager.getOrCreate(`bench-${i}`)).execute("true")));
      const c = raws[i]!;
      rawLive.push(await time(() => rawExecTrue(c)));
      await c.pause();
      rawResumed.push(
        await time(async () => {
          await c.unpause();
          await rawExecTrue(c);
        }),
      );
    }

    await manager.cleanupIdle(0);
    await Promise.all(raws.splice(0).map((c) => c.remove({ force: true })));
    const woke: number[] = [];
    const rawWake: number[] = [];
    for (let i = 0; i < N; i++) {
      rawWake.push(
        await time(async () => {
          const c = await rawNewContainer(i, rawWorkspace);
          raws.push(c);
          await rawExecTrue(c);
        }),
      );
      woke.push(await time(async () => (await manager.getOrCreate(`bench-${i}`)).execute("true")));
    }

    const p50 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.ceil(xs.length / 2) - 1]!;
    printTable(`SessionManager vs raw dockerode (${IMAGE}, same run)`, [
      { name: "new session → first command", samples: fresh, baseline: { name: "raw create+start+exec", samples: rawFresh }, goal: "p50 ≤ 300 ms" },
      { name: "getOrCreate (live session)", samples: live, baseline: { name: "raw inspect", samples: rawInspect }, goal: "≤ 10 ms" },
      { name: "command on a live session", samples: liveCommand, baseline: { name: "raw exec true", samples: rawLive } },
      { name: "first command after pause", samples: resumed, baseline: { name: "raw unpause+exec", samples: rawResumed }, goal: "≤ live + 20 ms" },
      { name: "wake after reap → first command", samples: woke, baseline: { name: "raw create+start+exec", samples: rawWake }, goal: "≤ 300 ms" },
    ]);
    console.log(`\nresume cost over a live command (p50): ${(p50(resumed) - p50(liveCommand)).toFixed(1)} ms (raw: ${(p50(rawResumed) - p50(rawLive)).toFixed(1)} ms)`);
  } finally {
    await manager.shutdown();
    await Promise.all(raws.map((c) => c.remove({ force: true }).catch(() => {})));
    await fs.rm(root, { recursive: true, force: true });
  }
}

await main();
