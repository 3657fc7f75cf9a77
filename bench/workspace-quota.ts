// What a disk quota costs: the same writes in a workspace on its own quota disk
// (a loop-mounted ext4 image) and in a plain workspace folder, in the same run,
// interleaved. Big sequential writes (dd with fsync), many small files, and
// the engine's own write() of 1 MB; plus the time to make a new quota disk.
//   node_modules/.bin/tsx bench/workspace-quota.ts [iterations]
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import Docker from "dockerode";
import { LABELS, SessionManager } from "../server/sandbox";
import { removeContainer } from "../server/sandbox/container-lifecycle";
import { unmountWorkspaceDisks } from "../server/sandbox/workspace-disk";
import { printTable, time } from "./sandbox-stats";

const IMAGE = process.env.BENCH_IMAGE ?? "tidepool/base:bookworm";
const N = Number(process.argv[2] ?? 10);
const MIB = 1024 * 1024;
const docker = new Docker({ socketPath: "/var/run/docker.sock" });
const label = "bench-quota";

async function main(): Promise<void> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), "tidepool-bench-quota-"));
  const quotas = new Map<string, number | null>([
    ["plain", null],
    ["quota", 1024 * MIB],
  ]);
  const manager = new SessionManager({
    docker,
    image: IMAGE,
    workspaceRoot: root,
    scope: label,
    labels: { [LABELS.test]: label },
    diskQuota: { bytesFor: async (id) => quotas.get(id) ?? null },
  });
  try {
    const plain = await manager.getOrCreate("plain");
    const quota = await manager.getOrCreate("quota");
    const rows = [
      { name: "dd 256 MB + fsync", command: "dd if=/dev/zero of=/workspace/w.bin bs=1M count=256 conv=fsync status=none && rm /workspace/w.bin" },
      { name: "2,000 files of 4 KB", command: "mkdir -p /workspace/m && cd /workspace/m && for i in $(seq 2000); do head -c 4096 /dev/zero > f$i; done && sync && cd / && rm -r /workspace/m" },
    ];
    const samples = new Map<string, { plain: number[]; quota: number[] }>();
    for (const row of [...rows.map((r) => r.name), "write() 1 MB"]) samples.set(row, { plain: [], quota: [] });
    const payload = Buffer.alloc(MIB, 7);
    for (let i = 0; i < N; i++) {
      for (const [name, sandbox] of [
        ["plain", plain],
        ["quota", quota],
      ] as const) {
        for (const row of rows) samples.get(row.name)![name].push(await time(() => sandbox.execute(row.command)));
        samples.get("write() 1 MB")![name].push(await time(() => sandbox.write("/workspace/one.bin", payload)));
      }
    }
    // Making a quota disk: the first start of a new user's workspace (fallocate, mkfs, mount), against a plain folder.
    const created = { plain: [] as number[], quota: [] as number[] };
    for (let i = 0; i < Math.min(N, 5); i++) {
      for (const kind of ["plain", "quota"] as const) {
        const id = `${kind}-new-${i}`;
        quotas.set(id, kind === "quota" ? 1024 * MIB : null);
        created[kind].push(await time(() => manager.getOrCreate(id)));
        await manager.release(id);
      }
    }
    printTable(`Workspace on a 1 GB quota disk vs a plain folder (same run, interleaved, n=${N})`, [
      ...[...samples.entries()].map(([name, s]) => ({ name, samples: s.quota, baseline: { name: "plain folder", samples: s.plain } })),
      { name: "new sandbox + workspace", samples: created.quota, baseline: { name: "plain folder", samples: created.plain } },
    ]);
  } finally {
    await manager.shutdown();
    const containers = await docker.listContainers({ all: true, filters: { label: [`${LABELS.test}=${label}`] } });
    await Promise.all(containers.map((c) => removeContainer(docker, c.Id).catch(() => {})));
    await unmountWorkspaceDisks(root);
    await fs.rm(root, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
