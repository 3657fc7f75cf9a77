import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { DockerSandbox, JobNotFoundError, JobsUnavailableError, LABELS, PythonKernel } from "~/server/sandbox";
import { SUPERVISOR_PATH, SUPERVISOR_SOCKET_MOUNT } from "~/server/sandbox/supervisor-mount";
import { type Opened, openBridge } from "~/server/sandbox/supervisor/bridge";
import type { SupervisorConnection } from "~/server/sandbox/supervisor/connection";
import { dialDirect } from "~/server/sandbox/supervisor/direct-socket";
import { superviseContainer } from "~/server/sandbox/supervisor/sandbox-supervisor";
import { sweepSocketFolders } from "~/server/sandbox/supervisor/socket-folder";
import { removeContainer } from "~/server/sandbox/container-lifecycle";
import { ensureRuntimeImage } from "../fixtures/runtime-sandbox";
import { psCommand, removeTestContainers, TEST_IMAGE, testDocker, testLabels, testLabelValue } from "./helpers/docker-cleanup-sandbox";

// The in-sandbox supervisor on real Docker: it is the container's main process,
// a timeout kills whatever a command started however it hid, user code cannot
// take it down, and the kernel and background jobs outlive the app process.

const docker = testDocker();
const label = testLabelValue("sandbox-supervisor");
const created: DockerSandbox[] = [];

function sandbox(options: Partial<ConstructorParameters<typeof DockerSandbox>[0]> = {}): DockerSandbox {
  const s = new DockerSandbox({ docker, image: TEST_IMAGE, labels: testLabels(label), limits: { memoryMb: 256, pids: 128 }, ...options });
  created.push(s);
  return s;
}

afterAll(async () => {
  await Promise.all(created.map((s) => s.stop().catch(() => {})));
  await removeTestContainers(docker, label);
});

/** Processes still running a given program, as `ps` in the sandbox sees them. */
async function survivors(s: DockerSandbox, pattern: RegExp): Promise<string[]> {
  const ps = (await s.execute(psCommand())).output.split("\n");
  return ps.filter((line) => pattern.test(line));
}

describe("the supervisor is the sandbox's main process", () => {
  const s = sandbox();

  it("runs as PID 1, as the sandbox user, from a read-only mount", async () => {
    await s.start();
    const info = await docker.getContainer(s.containerId!).inspect();
    expect(info.Config.Labels[LABELS.supervisor]).toMatch(/^[0-9a-f]{16}$/);
    expect(info.Path).toBe(SUPERVISOR_PATH);
    expect(info.HostConfig.Init).toBe(false);
    const binds = info.Mounts.filter((m) => m.Type === "bind").map((m) => [m.Destination, m.RW]);
    expect(binds.sort()).toEqual([[path.dirname(SUPERVISOR_PATH), false], [SUPERVISOR_SOCKET_MOUNT, false]]);
    const result = await s.execute("cat /proc/1/status | grep -E '^(Name|Uid)'; echo $$ $PPID");
    expect(result.output).toMatch(/Name:\ttidepool-super/);
    expect(result.output).toMatch(/Uid:\t1000/);
  });

  it.each([
    ["env -i setsid", "env -i setsid sh -c 'sleep 9991' > /dev/null 2>&1 & unset TIDEPOOL_EXEC; setsid sleep 9992 > /dev/null 2>&1 & sleep 9993", /sleep 999[123]/],
    ["double fork", "sh -c '(sleep 9994 > /dev/null 2>&1 &) ; exit 0' ; sleep 9995", /sleep 999[45]/],
    ["fork loop", "while :; do sleep 9996 > /dev/null 2>&1 & done", /sleep 9996/],
  ])("a timeout kills everything a %s left behind", async (_name, command, pattern) => {
    const result = await s.execute(command, { timeoutMs: 1000, shell: ["bash", "-c"] });
    expect(result.timedOut).toBe(true);
    expect(result.exitCode).toBe(137);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await survivors(s, pattern)).toEqual([]);
  });

  it("user code cannot take it down: kill -9 -1, and signals to PID 1", async () => {
    const before = s.containerId;
    await s.execute("kill -9 -1; kill -TERM 1; kill -INT 1; kill -HUP 1; kill -KILL 1; true");
    expect((await s.execute("echo still")).output).toBe("still\n");
    expect(s.containerId).toBe(before);
  });

  it("gives each command its own environment, folder and output, however many ran before, in turn or at once", async () => {
    await s.execute("mkdir -p a b");
    const run = (i: number) =>
      s.execute('echo "${V:-unset} $(pwd)"; echo "err $V" >&2', { cwd: i % 2 ? "a" : "b", env: i % 3 ? { V: String(i) } : undefined });
    const expected = (i: number) => `${i % 3 ? i : "unset"} /workspace/${i % 2 ? "a" : "b"}\n`;
    for (let i = 0; i < 12; i++) {
      const result = await run(i);
      expect([result.stdout, result.stderr]).toEqual([expected(i), `err ${i % 3 ? i : ""}\n`]);
    }
    const together = await Promise.all(Array.from({ length: 8 }, (_, i) => run(i)));
    expect(together.map((r) => r.stdout)).toEqual(Array.from({ length: 8 }, (_, i) => expected(i)));
  });

  it("user code that stops every process it may (kill -STOP -1) costs that command its timeout, not the sandbox", async () => {
    await s.start();
    const before = s.containerId;
    const stopped = await s.execute("kill -STOP -1; echo stopped", { timeoutMs: 2000 });
    expect(stopped.output).toBe("stopped\n");
    expect(stopped.sandboxStopped).toBeFalsy();
    expect((await s.execute("echo next")).output).toBe("next\n");
    expect(s.containerId).toBe(before);
  });

  it("answers a request made while the sandbox is paused once it is unpaused", async () => {
    await s.execute("true");
    const container = docker.getContainer(s.containerId!);
    await container.pause();
    const answer = s.execute("echo after-pause");
    await new Promise((resolve) => setTimeout(resolve, 300));
    await container.unpause();
    expect((await answer).output).toBe("after-pause\n");
  });

  it("runs background jobs whose output is read from an offset, and stops them", async () => {
    const job = await s.startJob("for i in 1 2 3; do echo line $i; done; sleep 30");
    await expect.poll(async () => (await s.jobOutput(job.id)).text, { timeout: 5000 }).toBe("line 1\nline 2\nline 3\n");
    const later = await s.jobOutput(job.id, { offset: 7 });
    expect(later).toMatchObject({ text: "line 2\nline 3\n", offset: 7, size: 21, running: true });
    expect((await s.jobs()).find((j) => j.id === job.id)).toMatchObject({ running: true });
    await s.stopJob(job.id);
    await expect.poll(async () => (await s.jobs()).find((j) => j.id === job.id)?.running, { timeout: 5000 }).toBe(false);
    expect(await survivors(s, /sleep 30/)).toEqual([]);
  });

  it("keeps the 32 most recently ended jobs and forgets older ones, so a long session's jobs cannot grow the supervisor's memory", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 36; i++) {
      const { id } = await s.startJob(`echo job ${i}`);
      ids.push(id);
      await expect.poll(async () => (await s.jobOutput(id)).running).toBe(false);
    }
    const kept = (await s.jobs()).filter((job) => !job.running).map((job) => job.id);
    expect(kept).toHaveLength(32);
    expect(kept).toEqual(expect.arrayContaining(ids.slice(-32)));
    expect((await s.jobOutput(ids.at(-1)!)).text).toBe("job 35\n");
    await expect(s.jobOutput(ids[0]!)).rejects.toBeInstanceOf(JobNotFoundError);
  });
});

describe("jobs end with their sandbox", () => {
  it("asking for a job of a stopped or removed sandbox says so and starts no container", async () => {
    const s = sandbox();
    const job = await s.startJob("sleep 300");
    await s.stop();
    await expect(s.jobOutput(job.id)).rejects.toThrow(/sandbox stopped, and its background jobs ended with it/);
    await expect(s.stopJob(job.id)).rejects.toBeInstanceOf(JobNotFoundError);
    expect(s.state).toBe("stopped");
    expect(s.containerId).toBeNull();

    // Removed behind the engine's back, as `docker rm -f` does: the same answer, still nothing started.
    const again = await s.startJob("sleep 300");
    const removed = s.containerId!;
    await removeContainer(docker, removed);
    await expect(s.jobOutput(again.id)).rejects.toBeInstanceOf(JobNotFoundError);
    expect(s.containerId).toBeNull();
    const left = await docker.listContainers({ all: true, filters: { label: [`${LABELS.session}=${s.id}`, `${LABELS.test}=${label}`] } });
    expect(left).toEqual([]);
  });
});

describe("the engine's link to the supervisor", () => {
  const s = sandbox();

  it("is a socket the supervisor dials back, in a folder user code can neither write nor keep anything in", async () => {
    await s.start();
    const connection = await superviseContainer(docker.getContainer(s.containerId!)).connection();
    expect(connection.link.kind).toBe("socket");
    const touch = await s.execute(`touch ${SUPERVISOR_SOCKET_MOUNT}/planted; ls -A ${SUPERVISOR_SOCKET_MOUNT} | wc -l`);
    expect(touch.output).toMatch(/Read-only file system\n0\n$/);
    // Nothing in the sandbox may read the supervisor's memory or open its sockets through /proc/1 (one stream: in order).
    const proc1 = await s.execute("exec 2>&1; cat /proc/1/environ > /dev/null && echo environ; ls /proc/1/fd > /dev/null && echo fd; cat /proc/1/comm");
    expect(proc1.output).toMatch(/Permission denied[^]*Permission denied[^]*\ntidepool-superv\n$/);
  });

  it("takes only the supervisor it asked: one dialled in with another token is dropped", async () => {
    await s.start();
    const container = docker.getContainer(s.containerId!);
    const bridge = await openBridge(container);
    let asked: string | null = null;
    let imposter: Promise<unknown> = Promise.resolve();
    // User code can ask its supervisor to dial any socket it sees, with a token of its own: let it win the race.
    const racing: Opened = {
      hello: bridge.hello,
      connection: {
        request: async (header: { path: string; token: string }) => {
          asked = header.token;
          imposter = bridge.connection.request({ ...header, token: randomBytes(32).toString("hex") });
          await imposter;
          return bridge.connection.request(header);
        },
      } as unknown as SupervisorConnection,
    };
    const direct = await dialDirect(container, racing);
    await imposter;
    expect(asked).toMatch(/^[0-9a-f]{64}$/);
    expect((await direct!.hello).token).toBe(asked);
    expect((await direct!.request({ op: "stat", path: "/workspace" })).header.ok).toBe(true);
    direct!.close();
    bridge.connection.close();
  });

  it("has a socket folder of its own, which goes with its container", async () => {
    const other = sandbox();
    await Promise.all([s.start(), other.start()]);
    const folderOf = async (id: string) => (await docker.getContainer(id).inspect()).Mounts.find((m) => m.Destination === SUPERVISOR_SOCKET_MOUNT)!.Source;
    const [mine, theirs] = [await folderOf(s.containerId!), await folderOf(other.containerId!)];
    expect(mine).not.toBe(theirs);
    await other.stop();
    await expect(fs.stat(theirs)).rejects.toMatchObject({ code: "ENOENT" });
    await expect(fs.stat(mine)).resolves.toBeTruthy();
  });

  it("sweeps the folders of containers removed behind its back, not a live one's or one just made", async () => {
    await s.start();
    const live = (await docker.getContainer(s.containerId!).inspect()).Mounts.find((m) => m.Destination === SUPERVISOR_SOCKET_MOUNT)!.Source;
    const root = path.dirname(live);
    const [orphan, young] = [path.join(root, randomBytes(8).toString("hex")), path.join(root, randomBytes(8).toString("hex"))];
    await Promise.all([fs.mkdir(orphan), fs.mkdir(young)]);
    const anHourAgo = new Date(Date.now() - 3_600_000);
    await Promise.all([fs.utimes(orphan, anHourAgo, anHourAgo), fs.utimes(live, anHourAgo, anHourAgo)]);
    await sweepSocketFolders(docker, root);
    await expect(fs.stat(orphan)).rejects.toMatchObject({ code: "ENOENT" });
    await expect(fs.stat(live)).resolves.toBeTruthy();
    await expect(fs.stat(young)).resolves.toBeTruthy();
    await fs.rmdir(young);
  });

  it("falls back to docker exec when the socket folder is gone", async () => {
    await s.start();
    const info = await docker.getContainer(s.containerId!).inspect();
    await fs.rm(info.Mounts.find((m) => m.Destination === SUPERVISOR_SOCKET_MOUNT)!.Source, { recursive: true });
    const warned = vi.spyOn(console, "warn").mockImplementation(() => {});
    const connection = await superviseContainer(docker.getContainer(s.containerId!)).connection();
    expect(connection.link.kind).toBe("docker-exec");
    expect((await connection.request({ op: "stat", path: "/workspace" })).header.ok).toBe(true);
    warned.mockRestore();
    connection.close();
  });
});

describe("without a supervisor (docker exec)", () => {
  const s = sandbox({ supervisor: false });

  it("still runs commands, files and timeouts", async () => {
    await s.write("a.txt", "hello");
    expect((await s.execute("cat a.txt")).output).toBe("hello");
    const result = await s.execute("sleep 30", { timeoutMs: 500 });
    expect(result.timedOut).toBe(true);
    const info = await docker.getContainer(s.containerId!).inspect();
    expect(info.Config.Labels[LABELS.supervisor]).toBeUndefined();
    expect(info.HostConfig.Init).toBe(true);
    // Said plainly, with what to do: not the fixed message of an infrastructure failure.
    await expect(s.startJob("true")).rejects.toBeInstanceOf(JobsUnavailableError);
    await expect(s.jobs()).rejects.toThrow("Background jobs are not available in this sandbox: it runs without the sandbox supervisor. Restart the sandbox");
  });
});

describe("an app restart", () => {
  it("keeps the kernel's variables and a running background job", { timeout: 240_000 }, async () => {
    const image = await ensureRuntimeImage("python-minimal");
    const id = `restart-${label}`.slice(0, 60);
    const child = spawn(process.execPath, ["--import", "tsx", path.resolve("test/fixtures/supervised-app.ts"), image, id, label], { stdio: ["ignore", "pipe", "inherit"] });
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on("exit", (_code, sig) => resolve(sig)));
    expect(signal).toBe("SIGKILL");
    const before = JSON.parse(stdout.trim().split("\n").at(-1)!) as { containerId: string; printed: string; job: string };
    expect(before.printed).toBe("42");

    // The new app process finds the same container, kernel and job.
    const s = new DockerSandbox({ docker, image, id, labels: testLabels(label) });
    created.push(s);
    const kernel = new PythonKernel(s);
    // Before a turn: the kernel is found with its variables, so the agent is not told they are gone.
    expect(await kernel.resume()).toBe(false);
    const result = await kernel.run("print(survivor)");
    expect(s.containerId).toBe(before.containerId);
    expect(result.restarted).toBe(false);
    expect(result.stdout).toBe("42\n");
    const first = await s.jobOutput(before.job);
    expect(first.running).toBe(true);
    expect(first.text).toMatch(/^tick 0\ntick 1\n/);
    await expect.poll(async () => (await s.jobOutput(before.job)).size, { timeout: 5000 }).toBeGreaterThan(first.size);
    await s.stopJob(before.job);
  });

  it("tells the agent once when the kernel really restarted (it died, or the sandbox was recreated)", { timeout: 240_000 }, async () => {
    const s = sandbox({ image: await ensureRuntimeImage("python-minimal") });
    await new PythonKernel(s).run("kept = 1");
    // A later app process's kernel object finds it.
    const kernel = new PythonKernel(s);
    expect(await kernel.resume()).toBe(false);
    expect((await kernel.run("kept")).result).toBe("1");

    // Died while idle: resume() says so, and the next run does not say it again.
    await s.execute(`kill -9 ${kernel.info!.pid}`);
    await expect.poll(() => kernel.stateLost, { timeout: 10_000 }).toBe(true);
    expect(await kernel.resume()).toBe(true);
    expect(await kernel.run("'kept' in globals()")).toMatchObject({ result: "False", restarted: false });

    // The sandbox was recreated (stopped by the reaper or an admin): the same.
    await kernel.run("kept = 2");
    await s.stop();
    expect(await kernel.resume()).toBe(true);
    expect(await kernel.run("'kept' in globals()")).toMatchObject({ result: "False", restarted: false });
  });
});
