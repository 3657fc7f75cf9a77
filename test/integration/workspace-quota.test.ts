import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/server/db";
import { uploadFile } from "~/server/services/file-transfer";
import { sandboxPlatform } from "~/server/services/sandbox-manager";
import { newUser } from "./helpers/callers";
import { resetDatabase } from "./helpers/database";

// Disk quotas as users and admins meet them, through the platform's API on
// real Postgres and Docker: one user filling their quota cannot stop a
// neighbour's upload, they see their usage and a clear message at the limit,
// and an admin's per-user and default quotas take effect.

const MIB = 1024 * 1024;

function bytesStream(size: number): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      const chunk = Math.min(MIB, size - sent);
      if (chunk === 0) return controller.close();
      controller.enqueue(new Uint8Array(chunk).fill(7));
      sent += chunk;
    },
  });
}

async function run(user: Awaited<ReturnType<typeof newUser>>, command: string): Promise<string> {
  let output = "";
  for await (const event of await user.caller.sandbox.execute({ command })) if (event.type === "output") output += event.text;
  return output;
}

describe("workspace disk quotas", () => {
  let admin: Awaited<ReturnType<typeof newUser>>;
  let alice: Awaited<ReturnType<typeof newUser>>;
  let bob: Awaited<ReturnType<typeof newUser>>;

  beforeAll(async () => {
    await resetDatabase();
    admin = await newUser("admin");
    alice = await newUser("alice");
    bob = await newUser("bob");
  });

  afterAll(async () => {
    await Promise.all([alice, bob].map((user) => sandboxPlatform().manager.release(user.id).catch(() => false)));
    await db.$disconnect();
  });

  it("this server enforces quotas (the default configuration runs as root)", async () => {
    const defaults = await admin.caller.admin.users.diskQuota();
    expect(defaults.support).toEqual({ enforced: true });
  });

  it("user A fills their quota and sees it; user B's upload still succeeds", async () => {
    await admin.caller.admin.users.setLimits({ userId: alice.id, memoryMb: null, cpus: null, diskMb: 32 });
    expect(await alice.caller.files.usage()).toBeNull(); // no workspace yet
    const fill = await run(alice, "dd if=/dev/zero of=/workspace/fill.bin bs=1M count=200 2>&1");
    expect(fill).toMatch(/No space left on device/);

    const usage = await alice.caller.files.usage();
    expect(usage!.totalBytes).toBeLessThanOrEqual(32 * MIB);
    expect(usage!.totalBytes - usage!.usedBytes).toBeLessThan(MIB);
    await expect(alice.caller.files.write({ path: "notes.txt", content: "x".repeat(2 * MIB) })).rejects.toMatchObject({
      message: "Your workspace is full: delete files to make room, or ask an admin for a larger disk quota.",
    });
    await expect(uploadFile(alice.id, "/workspace/more.bin", bytesStream(4 * MIB), 4 * MIB)).rejects.toMatchObject({
      message: "Your workspace is full: delete files to make room, or ask an admin for a larger disk quota.",
    });
    expect(await run(alice, "ls -A /workspace")).toBe("fill.bin\n");

    const upload = await uploadFile(bob.id, "/workspace/data.bin", bytesStream(20 * MIB), 20 * MIB);
    expect(upload.path).toBe("/workspace/data.bin");
    expect(await run(bob, "stat -c %s /workspace/data.bin")).toBe(`${20 * MIB}\n`);

    const listed = await admin.caller.admin.users.list();
    const row = listed.find((user) => user.id === alice.id)!;
    expect(row.diskQuotaMb).toBe(32);
    expect(row.disk!.usedBytes).toBe(usage!.usedBytes);
  });

  it("an admin's larger quota frees the full user (at once, or at the sandbox's restart)", async () => {
    const result = await admin.caller.admin.users.setLimits({ userId: alice.id, memoryMb: null, cpus: null, diskMb: 96 });
    if (result.diskPending) await alice.caller.sandbox.restart();
    expect((await alice.caller.files.usage())!.totalBytes).toBeGreaterThan(80 * MIB);
    expect(await run(alice, "head -c 10000000 /dev/zero > /workspace/more.bin && stat -c %s /workspace/more.bin")).toBe("10000000\n");
  });

  it("a new default quota reaches users without their own at their sandbox's next start", async () => {
    await admin.caller.admin.users.setDefaultDiskQuota({ defaultMb: 48 });
    expect((await admin.caller.admin.users.diskQuota()).defaultMb).toBe(48);
    await bob.caller.sandbox.restart();
    const usage = await bob.caller.files.usage();
    expect(usage!.totalBytes).toBeGreaterThan(36 * MIB);
    expect(usage!.totalBytes).toBeLessThanOrEqual(48 * MIB);
    // bob's 20 MB file is intact after the shrink.
    expect(await run(bob, "stat -c %s /workspace/data.bin")).toBe(`${20 * MIB}\n`);
  });
});
