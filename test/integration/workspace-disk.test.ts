import fs from "node:fs/promises";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { SessionManager, type SessionManagerOptions } from "~/server/sandbox";
import { HostDiskFullError } from "~/server/sandbox/errors";
import { mountedDevice, unmountWorkspaceDisks } from "~/server/sandbox/workspace-disk";
import { makeTempDir, removeTempDir, removeTestContainers, TEST_IMAGE, testDocker, testLabels, testLabelValue } from "./helpers/docker-cleanup-sandbox";

// Disk quotas on real Docker and a real kernel: each workspace its own
// preallocated ext4 filesystem. A full workspace stops its own writes only,
// the host's free space does not move, old workspaces migrate byte for byte,
// and quotas grow live and shrink when the sandbox is idle.

const MIB = 1024 * 1024;
const docker = testDocker();
const label = testLabelValue("disk");
let root: string;
const managers: SessionManager[] = [];
const quotas = new Map<string, number | null>();

function manager(options: Partial<SessionManagerOptions> = {}): SessionManager {
  const m = new SessionManager({
    docker,
    image: TEST_IMAGE,
    workspaceRoot: root,
    scope: label,
    labels: testLabels(label),
    limits: { memoryMb: 256, pids: 128 },
    diskQuota: { bytesFor: async (id) => quotas.get(id) ?? null, hostReserveBytes: 64 * MIB },
    ...options,
  });
  managers.push(m);
  return m;
}

async function hostFreeBytes(): Promise<number> {
  const stats = await fs.statfs(root);
  return stats.bavail * stats.bsize;
}

async function sizeSeenInSandbox(m: SessionManager, id: string): Promise<number> {
  const sandbox = await m.getOrCreate(id);
  const result = await sandbox.execute("df -B1 --output=size /workspace | tail -1");
  return Number(result.stdout.trim());
}

beforeAll(async () => {
  root = await makeTempDir("disk");
});

afterEach(async () => {
  await Promise.all(managers.splice(0).map((m) => m.shutdown().catch(() => 0)));
});

afterAll(async () => {
  await removeTestContainers(docker, label);
  if (root) {
    await unmountWorkspaceDisks(root);
    await removeTempDir(root);
  }
});

describe("workspace disks", () => {
  it("a full workspace refuses its own writes; the host's free space does not move", async () => {
    quotas.set("filler", 32 * MIB);
    const m = manager();
    const sandbox = await m.getOrCreate("filler");
    const workspace = m.workspacePath("filler")!;
    expect(await mountedDevice(workspace)).toMatch(/^\/dev\/loop/);
    // An empty disk reads as empty (ext4's own reserve is not the user's files).
    expect((await m.diskUsage("filler"))!.usedBytes).toBeLessThan(256 * 1024);
    const before = await hostFreeBytes();
    const fill = await sandbox.execute("dd if=/dev/zero of=/workspace/fill.bin bs=1M count=100 2>&1; echo exit=$?");
    expect(fill.stdout).toMatch(/No space left on device/);
    expect(fill.stdout).toMatch(/exit=1/);
    // The image was preallocated: filling it takes nothing more from the host.
    expect(Math.abs((await hostFreeBytes()) - before)).toBeLessThan(8 * MIB);
    const usage = await m.diskUsage("filler");
    expect(usage!.totalBytes).toBeGreaterThan(20 * MIB);
    expect(usage!.totalBytes).toBeLessThanOrEqual(32 * MIB);
    expect(usage!.usedBytes).toBeGreaterThan(usage!.totalBytes - MIB);
    // Freeing space works as usual, and the files in it are the user's.
    await sandbox.execute("rm /workspace/fill.bin");
    expect((await sandbox.execute("echo ok > /workspace/after.txt && ls -A /workspace")).stdout.trim()).toBe("after.txt");
  });

  it("a workspace from before quotas moves onto its disk byte for byte", async () => {
    const m = manager();
    quotas.set("legacy", null);
    const old = await m.getOrCreate("legacy");
    await old.execute(
      "mkdir -p /workspace/data/deep && head -c 3000000 /dev/urandom > /workspace/data/deep/r.bin && printf 'a,b\\n1,2\\n' > /workspace/t.csv && ln -s t.csv /workspace/link && chmod 600 /workspace/t.csv",
    );
    const digest = (await old.execute("cd /workspace && find . -type f -exec sha256sum {} + | sort && find . -type l -printf '%p -> %l\\n' && stat -c '%a %U' t.csv")).stdout;
    await m.release("legacy");
    expect(await mountedDevice(m.workspacePath("legacy")!)).toBeNull();

    quotas.set("legacy", 32 * MIB);
    const moved = await m.getOrCreate("legacy");
    expect(await mountedDevice(m.workspacePath("legacy")!)).toMatch(/^\/dev\/loop/);
    expect((await moved.execute("cd /workspace && find . -type f -exec sha256sum {} + | sort && find . -type l -printf '%p -> %l\\n' && stat -c '%a %U' t.csv")).stdout).toBe(digest);
    const sessionDir = path.dirname(m.workspacePath("legacy")!);
    expect((await fs.readdir(sessionDir)).sort()).toEqual([".disk.lock", "workspace", "workspace.img"]);
    expect((await moved.execute("ls -A /workspace")).stdout.split("\n")).not.toContain("lost+found");
  });

  it("a migration cut short by a crash resumes without loss: the verified copy wins, unverified leftovers go", async () => {
    quotas.set("crashed", 32 * MIB);
    const m = manager();
    await (await m.getOrCreate("crashed")).execute("echo kept > /workspace/a.txt");
    await m.release("crashed");
    const workspace = m.workspacePath("crashed")!;
    const sessionDir = path.dirname(workspace);
    // The state a crash leaves after the copy was verified and named, before the old folder was set aside…
    await unmountWorkspaceDisks(sessionDir);
    await fs.writeFile(path.join(workspace, "a.txt"), "kept\n");
    // …and the leftovers of a later copy that never finished.
    await fs.writeFile(path.join(sessionDir, "workspace.img.partial"), "half");
    await fs.mkdir(path.join(sessionDir, ".workspace-migrating"));

    const back = await m.getOrCreate("crashed");
    expect(await mountedDevice(workspace)).toMatch(/^\/dev\/loop/);
    expect((await back.execute("ls -A /workspace && cat /workspace/a.txt")).stdout).toBe("a.txt\nkept\n");
    expect((await fs.readdir(sessionDir)).sort()).toEqual([".disk.lock", "workspace", "workspace.img"]);
    // The old folder's copy was removed, not left hidden under the mount.
    await m.release("crashed");
    await unmountWorkspaceDisks(sessionDir);
    expect(await fs.readdir(workspace)).toEqual([]);
  });

  it("a larger quota applies at once (or at the next start where the kernel forbids online resize); a smaller one when idle and the files fit", async () => {
    quotas.set("resize", 32 * MIB);
    const m = manager();
    const before = await sizeSeenInSandbox(m, "resize");
    quotas.set("resize", 64 * MIB);
    const grow = await m.applyDiskQuota("resize");
    if (grow?.pendingQuotaBytes) {
      // Without CAP_SYS_RESOURCE ext4 cannot grow while mounted: the running sandbox keeps its size until it restarts.
      expect(grow).toEqual({ sizeBytes: 32 * MIB, pendingQuotaBytes: 64 * MIB });
      expect(await sizeSeenInSandbox(m, "resize")).toBe(before);
      await m.release("resize");
    } else {
      expect(grow).toEqual({ sizeBytes: 64 * MIB, pendingQuotaBytes: null });
    }
    expect(await sizeSeenInSandbox(m, "resize")).toBeGreaterThan(before + 24 * MIB);

    const sandbox = await m.getOrCreate("resize");
    await sandbox.execute("head -c 40000000 /dev/zero > /workspace/big.bin");
    const digest = (await sandbox.execute("sha256sum /workspace/big.bin")).stdout;
    quotas.set("resize", 32 * MIB);
    // In use: the shrink waits.
    expect(await m.applyDiskQuota("resize")).toEqual({ sizeBytes: 64 * MIB, pendingQuotaBytes: 32 * MIB });
    await m.release("resize");
    // Idle, but 40 MB do not fit in 32 MB: nothing changes, nothing is lost.
    expect(await m.applyDiskQuota("resize")).toEqual({ sizeBytes: 64 * MIB, pendingQuotaBytes: 32 * MIB });
    const back = await m.getOrCreate("resize");
    expect((await back.execute("sha256sum /workspace/big.bin")).stdout).toBe(digest);
    await back.execute("rm /workspace/big.bin && echo small > /workspace/small.txt");
    await m.release("resize");
    expect(await m.applyDiskQuota("resize")).toEqual({ sizeBytes: 32 * MIB, pendingQuotaBytes: null });
    expect(await sizeSeenInSandbox(m, "resize")).toBeLessThan(33 * MIB);
    expect((await (await m.getOrCreate("resize")).execute("cat /workspace/small.txt")).stdout).toBe("small\n");
  });

  it("a quota the host cannot hold beside its reserve is refused with a clear message", async () => {
    quotas.set("greedy", (await hostFreeBytes()) + 1024 * MIB);
    const m = manager();
    const refused = await m.getOrCreate("greedy").then(
      () => null,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(HostDiskFullError);
    expect((refused as Error).message).toMatch(/no room for a .* workspace disk .*Ask an admin to free disk space or lower the disk quota/);
    expect(await fs.readdir(path.dirname(m.workspacePath("greedy")!))).not.toContain("workspace.img");
  });
});
