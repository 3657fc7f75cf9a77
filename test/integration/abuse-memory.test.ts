import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/server/db";
import { docker } from "~/server/docker";
import { env } from "~/server/env";
import { LABELS } from "~/server/sandbox/labels";
import { errorResponse } from "~/server/http/error-response";
import { DomainError } from "~/server/services/errors";
import { downloadFile } from "~/server/services/file-transfer";
import { HEAVY_LIMITS, heavyOperations } from "~/server/services/heavy-operations";
import { sandboxFor } from "~/server/services/sandboxes";
import { sandboxPlatform } from "~/server/services/sandbox-manager";
import { PREVIEW_MAX_ROWS } from "~/server/services/workspace-files";
import { removeContainer } from "~/server/sandbox/container-lifecycle";
import { newUser, trpcCodeOf } from "./helpers/callers";
import { resetDatabase } from "./helpers/database";
import { pdfBomb } from "./helpers/pdf-bomb";

// Abuse that used to exhaust the server's memory, measured on the process that
// serves the calls: this one. The tRPC callers run the same procedures,
// services and engine code as the app, so this process's RSS is what the
// server's would grow by (no Next build needed). Peak RSS is sampled every
// 10 ms during the run and compared with a baseline taken just before.

const MB = 1024 * 1024;
/**
 * What these runs may add to the server's RSS. Measured before the caps (one run each): 30 reads of
 * a 1 GB file +2453 MB, 4 previews of the PDF bomb +1147 MB. After: about +5 MB and +3 MB; 30 reads
 * of a 5 MB text file (the text cap) by 3 users about +110 MB, bounded by the read slots.
 */
const RSS_BOUND_MB = 200;

async function peakRssGrowthMb<T>(work: () => Promise<T>): Promise<{ result: T; growthMb: number }> {
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  try {
    const result = await work();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { result, growthMb: Math.round((peak - baseline) / MB) };
  } finally {
    clearInterval(sampler);
  }
}

async function errorOf(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    const { code, message } = error as { code: string; message: string };
    return { code, message };
  }
  return { code: "OK", message: "" };
}

describe("server memory under abuse", () => {
  let admin: Awaited<ReturnType<typeof newUser>>;
  let mallory: Awaited<ReturnType<typeof newUser>>;
  let trudy: Awaited<ReturnType<typeof newUser>>;

  beforeAll(async () => {
    await resetDatabase();
    admin = await newUser("admin"); // the first account is the admin
    mallory = await newUser("mallory");
    trudy = await newUser("trudy");
    const bomb = await pdfBomb(200 * MB);
    for (const user of [mallory, trudy]) {
      const sandbox = await sandboxFor(user.id);
      await sandbox.execute("truncate -s 1G /workspace/s.bin && truncate -s 1G /workspace/s.txt");
      await sandbox.upload("bomb.pdf", bomb);
    }
    const sandbox = await sandboxFor(mallory.id);
    await sandbox.execute(
      '{ echo "id,name,score"; yes "1,alice,3.5"; } | head -c 50000000 > big.csv; mkdir -p folder && head -c 20000000 /dev/urandom > folder/a.bin && head -c 20000000 /dev/urandom > folder/b.bin; echo hello > small.txt',
    );
  });

  afterAll(async () => {
    await sandboxPlatform().manager.shutdown();
    for (const user of [admin, mallory, trudy]) {
      const containers = await docker.listContainers({
        all: true,
        filters: { label: [`${LABELS.session}=${user.id}`, `${LABELS.manager}=${env.SANDBOX_SCOPE}`] },
      });
      await Promise.all(containers.map((c) => removeContainer(docker, c.Id).catch(() => {})));
    }
    await db.$disconnect();
  });

  it("previews of a PDF bomb are refused with a clear message, the server's memory bounded", async () => {
    const { result: errors, growthMb } = await peakRssGrowthMb(() =>
      Promise.all(
        [mallory, trudy, mallory, trudy].map((user) => errorOf(user.caller.files.preview({ path: "bomb.pdf" }))),
      ),
    );
    console.log(`4 previews of a PDF bomb: peak RSS +${growthMb} MB; answers ${JSON.stringify(errors)}`);
    expect(growthMb).toBeLessThan(RSS_BOUND_MB);
    for (const error of errors) {
      expect(error.code === "PAYLOAD_TOO_LARGE" || error.code === "SERVICE_UNAVAILABLE").toBe(true);
    }
    expect(errors.map((e) => e.message)).toContain("This PDF is too complex to preview; download it instead.");
  });
  it("30 concurrent reads of a 1 GB file are refused without buffering it", async () => {
    const { result: codes, growthMb } = await peakRssGrowthMb(() =>
      Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          trpcCodeOf(mallory.caller.files.read({ path: i % 2 ? "s.bin" : "s.txt" })),
        ),
      ),
    );
    console.log(`30 reads of a 1 GB file: peak RSS +${growthMb} MB; answers ${JSON.stringify(count(codes))}`);
    expect(growthMb).toBeLessThan(RSS_BOUND_MB);
    // Each answer is "too large" (or "busy" past the per-user limit): never a buffered gigabyte.
    expect(codes.every((code) => code === "PAYLOAD_TOO_LARGE" || code === "SERVICE_UNAVAILABLE")).toBe(true);
    expect(codes).toContain("PAYLOAD_TOO_LARGE");
  });

  it("reads just under the text cap, from a crowd, stay within the bound too", async () => {
    for (const user of [mallory, trudy, admin]) {
      await (await sandboxFor(user.id)).execute("yes 'é,some text on a line,12345' | head -c 5000000 > near-cap.csv");
    }
    const { result: codes, growthMb } = await peakRssGrowthMb(() =>
      Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          trpcCodeOf([mallory, trudy, admin][i % 3]!.caller.files.read({ path: "near-cap.csv", offset: 1000 })),
        ),
      ),
    );
    console.log(
      `30 reads of a 5 MB text file by 3 users: peak RSS +${growthMb} MB; answers ${JSON.stringify(count(codes))}`,
    );
    expect(growthMb).toBeLessThan(RSS_BOUND_MB);
    expect(codes.every((code) => code === "OK" || code === "SERVICE_UNAVAILABLE")).toBe(true);
  });

  it("a huge CSV still previews: its first rows, marked as cut", async () => {
    const preview = await mallory.caller.files.preview({ path: "big.csv" });
    expect(preview.kind).toBe("table");
    if (preview.kind !== "table") return;
    expect(preview.table.columns).toEqual(["id", "name", "score"]);
    expect(preview.table.rows.length).toBe(PREVIEW_MAX_ROWS);
    expect(preview.table.rows[0]).toEqual(["1", "alice", "3.5"]);
    expect(preview.table.truncated).toBe(true);
    // Read as text in one go it is too large (the read cap), with a message saying what to do.
    const tooLarge = await errorOf(mallory.caller.files.read({ path: "big.csv" }));
    expect(tooLarge.code).toBe("PAYLOAD_TOO_LARGE");
    expect(tooLarge.message).toMatch(/Read it in parts with a command, or download it/);
  });

  it("answers busy, after a short wait, past a user's limit of concurrent reads", async () => {
    const held = await Promise.all(
      Array.from({ length: HEAVY_LIMITS.read.perUser }, () => heavyOperations.acquire(mallory.id, "read")),
    );
    try {
      const started = Date.now();
      const refused = await errorOf(mallory.caller.files.read({ path: "small.txt" }));
      expect(refused.code).toBe("SERVICE_UNAVAILABLE");
      expect(refused.message).toMatch(/try again in a moment/i);
      expect(Date.now() - started).toBeLessThan(15_000);
      // Another user is not held up by mallory's reads.
      await expect(
        trudy.caller.files.preview({ path: "bomb.pdf" }).catch((error: Error) => error.message),
      ).resolves.toMatch(/too complex/);
    } finally {
      for (const release of held) release();
    }
    await expect(mallory.caller.files.read({ path: "small.txt" })).resolves.toContain("hello");
  });

  it("refuses a download over the admin's limit up front, with a 413 naming the limit", async () => {
    await admin.caller.admin.settings.updateFileLimits({ downloadMaxMb: 1 });
    try {
      const error = await downloadFile(mallory.id, "s.bin", false).then(
        () => null,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(DomainError);
      const response = errorResponse(error);
      expect(response.status).toBe(413);
      expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(
        /larger than the 1 MB download limit/,
      );
      // Under the limit, a file downloads whole.
      const small = await downloadFile(mallory.id, "small.txt", false);
      expect(Buffer.concat(await small.body.toArray()).toString()).toBe("hello\n");
      expect(heavyOperations.usage("download", mallory.id)).toBe(0);
    } finally {
      await admin.caller.admin.settings.updateFileLimits({ downloadMaxMb: 2048 });
    }
  });

  it("cuts a folder's tar when it passes the limit: the stream fails, the tar in the sandbox ends, the slot is freed", async () => {
    await admin.caller.admin.settings.updateFileLimits({ downloadMaxMb: 1 });
    try {
      const download = await downloadFile(mallory.id, "folder", false);
      let received = 0;
      const failure = await new Promise<unknown>((resolve) => {
        download.body.on("data", (chunk: Buffer) => (received += chunk.length));
        download.body.on("error", resolve);
        download.body.on("end", () => resolve(null));
      });
      expect(failure).toBeInstanceOf(DomainError);
      expect((failure as DomainError).message).toMatch(/1 MB download limit/);
      expect(received).toBeLessThanOrEqual(1024 * 1024);
      expect(heavyOperations.usage("download", mallory.id)).toBe(0);
      // The `tar` feeding the stream does not linger in the sandbox.
      const sandbox = await sandboxFor(mallory.id);
      let tars = -1;
      for (let attempt = 0; attempt < 50 && tars !== 0; attempt++) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 100));
        const listing = await sandbox.execute(
          "for p in /proc/[0-9]*; do tr '\\0' ' ' < $p/cmdline 2>/dev/null; echo; done",
        );
        tars = listing.stdout.split("\n").filter((line) => /^tar -c/.test(line)).length;
      }
      expect(tars).toBe(0);
    } finally {
      await admin.caller.admin.settings.updateFileLimits({ downloadMaxMb: 2048 });
    }
  });

  it("the download limit is an admin setting, validated", async () => {
    expect(await admin.caller.admin.settings.fileLimits()).toEqual({ downloadMaxMb: 2048 });
    expect(await trpcCodeOf(admin.caller.admin.settings.updateFileLimits({ downloadMaxMb: 0 }))).toBe("BAD_REQUEST");
    expect(await trpcCodeOf(admin.caller.admin.settings.updateFileLimits({ downloadMaxMb: 1.5 }))).toBe("BAD_REQUEST");
    expect(await trpcCodeOf(mallory.caller.admin.settings.updateFileLimits({ downloadMaxMb: 10 }))).toBe("FORBIDDEN");
    expect(await admin.caller.admin.settings.updateFileLimits({ downloadMaxMb: 4096 })).toEqual({
      downloadMaxMb: 4096,
    });
    await admin.caller.admin.settings.updateFileLimits({ downloadMaxMb: 2048 });
  });
});

function count(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}
