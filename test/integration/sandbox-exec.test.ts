import { afterAll, afterEach, describe, expect, it } from "vitest";
import { DockerSandbox, InvalidPathError, LABELS, PathOutsideWorkspaceError } from "~/server/sandbox";
import { SUPERVISOR_SOCKET_MOUNT } from "~/server/sandbox/supervisor-mount";
import { removeContainer } from "~/server/sandbox/container-lifecycle";
import { dumpLogs, psCommand, removeTestContainers, TEST_IMAGE, testDocker, testLabels, testLabelValue } from "./helpers/docker-cleanup-sandbox";

// DockerSandbox on real Docker: hardening, execute() with streaming, caps and
// timeouts that really kill, and the lifecycle.

const docker = testDocker();
const label = testLabelValue("sandbox-exec");
const created: DockerSandbox[] = [];

function sandbox(options: Partial<ConstructorParameters<typeof DockerSandbox>[0]> = {}): DockerSandbox {
  const s = new DockerSandbox({ docker, image: TEST_IMAGE, labels: testLabels(label), limits: { memoryMb: 256, pids: 128 }, ...options });
  created.push(s);
  return s;
}

async function processes(s: DockerSandbox): Promise<string> {
  return (await s.execute(psCommand())).output;
}

afterAll(async () => {
  await Promise.all(created.map((s) => s.stop().catch(() => {})));
  await removeTestContainers(docker, label);
});

describe("hardened container", () => {
  const s = sandbox();
  afterEach(async (context) => {
    if (context.task.result?.state === "fail") console.error(await dumpLogs(docker, s.name));
  });

  it("runs execs as uid 1000 with no capabilities and no way to regain them", async () => {
    const result = await s.execute("id -u; id -g; grep -E '^(CapEff|CapPrm|NoNewPrivs)' /proc/self/status");
    expect(result.exitCode).toBe(0);
    const [uid, gid, ...rest] = result.stdout.trim().split("\n");
    expect(uid).toBe("1000");
    expect(gid).toBe("1000");
    expect(rest).toContain("CapEff:\t0000000000000000");
    expect(rest).toContain("CapPrm:\t0000000000000000");
    expect(rest).toContain("NoNewPrivs:\t1");
  });

  it("has only the loopback interface (no traffic leaves it)", async () => {
    const result = await s.execute("ls /sys/class/net");
    expect(result.stdout.trim().split("\n")).toEqual(["lo"]);
  });

  it("has a read-only root, a writable /tmp and work dir, and no docker socket", async () => {
    const result = await s.execute("touch /etc/x 2>&1; touch /usr/x 2>&1; touch /tmp/ok && touch /workspace/ok && echo writable; ls /var/run/docker.sock /run/docker.sock 2>&1");
    expect(result.output).toMatch(/\/etc\/x.*Read-only file system/);
    expect(result.output).toContain("writable");
    expect(result.output).toMatch(/docker\.sock.*No such file/);
  });

  it("sets the Docker limits (memory = memory+swap, CPU, pids; the supervisor is init)", async () => {
    await s.start();
    const info = await docker.getContainer(s.containerId!).inspect();
    expect(info.HostConfig.Memory).toBe(256 * 1024 * 1024);
    expect(info.HostConfig.MemorySwap).toBe(info.HostConfig.Memory);
    expect(info.HostConfig.NanoCpus).toBe(1e9);
    expect(info.HostConfig.PidsLimit).toBe(128);
    expect(info.HostConfig.Init).toBe(false);
    expect(info.HostConfig.CapDrop).toEqual(["ALL"]);
    expect(info.HostConfig.SecurityOpt).toEqual(["no-new-privileges"]);
    expect(info.HostConfig.ReadonlyRootfs).toBe(true);
    expect(info.HostConfig.NetworkMode).toBe("none");
    expect(info.HostConfig.Privileged).toBe(false);
    // Nothing of the host but the supervisor binary's folder and the sandbox's own socket folder, read-only.
    const binds = info.Mounts.filter((m) => m.Type === "bind").map((m) => [m.Destination, m.RW]);
    expect(binds.sort()).toEqual([["/opt/tidepool-supervisor", false], [SUPERVISOR_SOCKET_MOUNT, false]]);
    expect(info.Config.Labels[LABELS.managed]).toBe("true");
    expect(info.Config.Labels[LABELS.session]).toBe(s.id);
  });

  it("survives `kill -9 -1` from user code (the supervisor is PID 1, which it cannot signal)", async () => {
    await s.execute("kill -9 -1");
    expect((await s.execute("echo still")).output).toBe("still\n");
  });
});

describe("execute", () => {
  const s = sandbox();

  it("returns output, exit code, and stdout/stderr both merged and apart", async () => {
    const result = await s.execute("echo out; echo err >&2; exit 7");
    expect(result.exitCode).toBe(7);
    expect(result.stdout).toBe("out\n");
    expect(result.stderr).toBe("err\n");
    expect(result.output).toContain("out\n");
    expect(result.output).toContain("err\n");
    expect(result.truncated).toBe(false);
    expect(result.timedOut).toBe(false);
  });

  it("streams output while the command runs", async () => {
    const chunks: { stream: string; text: string; at: number }[] = [];
    const started = Date.now();
    const result = await s.execute("echo first; sleep 1; echo second >&2", {
      onOutput: (chunk) => chunks.push({ ...chunk, at: Date.now() - started }),
    });
    expect(result.exitCode).toBe(0);
    expect(chunks.map((c) => `${c.stream}:${c.text}`)).toEqual(["stdout:first\n", "stderr:second\n"]);
    // The first line arrived well before the command ended.
    expect(chunks[1]!.at - chunks[0]!.at).toBeGreaterThan(500);
  });

  it("uses cwd and env, and refuses a cwd outside the work dir", async () => {
    await s.execute("mkdir -p sub");
    const result = await s.execute('pwd; echo "$GREETING"', { cwd: "sub", env: { GREETING: "héllo" } });
    expect(result.stdout).toBe("/workspace/sub\nhéllo\n");
    expect(() => s.execute("pwd", { cwd: "../etc" })).toThrow(PathOutsideWorkspaceError);
    expect(() => s.execute("pwd", { cwd: "a\u0000b" })).toThrow(InvalidPathError);
  });

  it("a non-zero exit and a missing command are data, not errors", async () => {
    const result = await s.execute("no-such-command-here");
    expect(result.exitCode).toBe(127);
    expect(result.output).toMatch(/not found/);
  });

  it("`sleep 30` with a 1 s timeout returns in under 3 s, timedOut, nothing left running", async () => {
    const started = Date.now();
    const result = await s.execute("sleep 30", { timeoutMs: 1000 });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(result.timedOut).toBe(true);
    expect(result.exitCode).toBe(137);
    expect(await processes(s)).not.toMatch(/sleep 30/);
  });

  it("kills a background setsid spinner too", async () => {
    const started = Date.now();
    const result = await s.execute("setsid sh -c 'while :; do :; done' & setsid sleep 300 > /dev/null 2>&1 & sleep 30", { timeoutMs: 1000 });
    expect(result.timedOut).toBe(true);
    expect(Date.now() - started).toBeLessThan(5000);
    const ps = await processes(s);
    expect(ps).not.toMatch(/while/);
    expect(ps).not.toMatch(/sleep (30|300)/);
  });

  it("an abort signal kills the command", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const result = await s.execute("sleep 20", { signal: controller.signal });
    expect(result.aborted).toBe(true);
    expect(result.timedOut).toBe(false);
  });

  it("`yes` is truncated at 100 000 bytes and killed", async () => {
    const started = Date.now();
    const result = await s.execute("yes", { timeoutMs: 60_000 });
    expect(result.truncated).toBe(true);
    expect(Buffer.byteLength(result.output)).toBe(100_000);
    expect(result.timedOut).toBe(false);
    expect(result.exitCode).toBe(137);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(await processes(s)).not.toMatch(/\byes\b/);
  });

  it("a custom output cap applies to stdout and stderr together", async () => {
    const result = await s.execute("printf 'aaaaaaaaaa'; printf 'bbbbbbbbbb' >&2; printf 'cccccccccc'", { maxOutputBytes: 15 });
    expect(result.truncated).toBe(true);
    expect(Buffer.byteLength(result.output)).toBe(15);
    expect(result.exitCode).toBe(0);
  });

  it("a fork bomb fails inside and the sandbox still answers", async () => {
    const result = await s.execute("bomb() { bomb | bomb & }; bomb; sleep 5", { timeoutMs: 3000, shell: ["bash", "-c"] });
    expect(result.timedOut).toBe(true);
    expect(result.output).toMatch(/Resource temporarily unavailable|fork/);
    expect((await s.execute("echo alive")).output).toBe("alive\n");
    expect(await processes(s)).not.toMatch(/bomb/);
  });

  it("allocating past the memory limit gives exit 137 and the sandbox still answers", async () => {
    const result = await s.execute(`perl -e '$x = "x" x (600 * 1024 * 1024); print length($x), "\\n"'`, { timeoutMs: 60_000 });
    expect(result.exitCode).toBe(137);
    expect(result.timedOut).toBe(false);
    expect((await s.execute("echo alive")).output).toBe("alive\n");
  });
});

describe("lifecycle", () => {
  it("starts lazily, has a deterministic name and labels, stops idempotently", async () => {
    const s = sandbox({ id: `lc-${label}`, owner: "user-42" });
    expect(s.name).toBe(`tidepool-lc-${label}`);
    expect(s.state).toBe("new");
    expect(await s.isAlive()).toBe(false);
    expect(await docker.listContainers({ all: true, filters: { name: [s.name] } })).toHaveLength(0);
    await s.write("hello.txt", "hi");
    expect(s.state).toBe("running");
    expect(await s.isAlive()).toBe(true);
    const [info] = await docker.listContainers({ all: true, filters: { name: [s.name] } });
    expect(info?.Labels[LABELS.owner]).toBe("user-42");
    expect(info?.Labels[LABELS.session]).toBe(`lc-${label}`);
    expect(await s.stop()).toBe(true);
    expect(await s.stop()).toBe(false);
    expect(await s.isAlive()).toBe(false);
    expect(await docker.listContainers({ all: true, filters: { name: [s.name] } })).toHaveLength(0);
  });

  it("start() prewarms; a stopped sandbox starts again on next use", async () => {
    const s = sandbox();
    await s.start();
    const first = s.containerId;
    expect(first).toBeTruthy();
    await s.stop();
    expect((await s.execute("echo back")).output).toBe("back\n");
    expect(s.containerId).not.toBe(first);
  });

  it("a container removed behind its back is recreated on next use", async () => {
    const s = sandbox();
    await s.start();
    await removeContainer(docker, s.containerId!);
    expect((await s.execute("echo recreated")).output).toBe("recreated\n");
  });

  it("pauses and resumes transparently, keeping processes", async () => {
    const s = sandbox();
    await s.execute("sleep 1000 > /dev/null 2>&1 &");
    expect(await s.pause()).toBe(true);
    expect(s.state).toBe("paused");
    expect((await docker.getContainer(s.containerId!).inspect()).State.Paused).toBe(true);
    expect(await processes(s)).toMatch(/sleep 1000/);
    expect(s.state).toBe("running");
  });

  it("a second sandbox with the same id adopts the running container", async () => {
    const a = sandbox({ id: `adopt-${label}` });
    await a.start();
    const b = sandbox({ id: `adopt-${label}` });
    await b.start();
    expect(b.containerId).toBe(a.containerId);
  });

  it("refuses ids that are not safe in names and paths", () => {
    expect(() => new DockerSandbox({ docker, image: TEST_IMAGE, id: "../x" })).toThrow(/invalid/);
  });
});
