import type Docker from "dockerode";
import { startProcess } from "./container-process";
import { containerStoppedSince } from "./docker-exec";

// Why a long-lived process in a sandbox went away. Exit code 137 alone cannot
// tell the memory limit from a `kill -9` or from the whole sandbox stopping:
// the container's state can. Docker 20.10 on cgroup v1 leaves State.OOMKilled
// false when the OOM killer picks an exec'd process rather than the
// container's init, so the cgroup's own count of OOM kills is the primary
// witness (compared with the count taken when the work started), and
// State.OOMKilled the fallback where that count cannot be read.

export type ExitCause =
  /** The process exited by itself (sys.exit, os._exit, a crash). */
  | { kind: "exited"; code: number }
  /** The container's memory limit was reached and the kernel's OOM killer chose it. */
  | { kind: "out-of-memory" }
  /** A signal from inside the sandbox (e.g. `kill -9`), not the memory limit. */
  | { kind: "killed"; signal: number }
  /** The sandbox itself stopped, was removed or restarted under the process. */
  | { kind: "sandbox-stopped" }
  /** Docker could not say (no exit code) and nothing else explains it. */
  | { kind: "unknown" };

export type ExitFacts = {
  /** The exit code docker reports, null when it does not know. */
  code: number | null;
  /** The container stopped, vanished or started again since the process started. */
  containerStopped: boolean;
  /** The cgroup's OOM kill count when the work started and now (null when unreadable). */
  oomKillsBefore: number | null;
  oomKillsAfter: number | null;
  /** Docker's State.OOMKilled. */
  oomKilledFlag: boolean;
};

/** Pure: the cause from what was observed. */
export function classifyExit(facts: ExitFacts): ExitCause {
  if (facts.containerStopped) return { kind: "sandbox-stopped" };
  const byCode = facts.code === null || facts.code === 137;
  if (byCode) {
    const counted = facts.oomKillsBefore !== null && facts.oomKillsAfter !== null;
    const oom = counted ? facts.oomKillsAfter! > facts.oomKillsBefore! : facts.oomKilledFlag;
    if (oom) return { kind: "out-of-memory" };
  }
  if (facts.code === null) return { kind: "unknown" };
  if (facts.code > 128 && facts.code < 160) return { kind: "killed", signal: facts.code - 128 };
  return { kind: "exited", code: facts.code };
}

/** `oom_kill N` from cgroup v2's memory.events or cgroup v1's memory.oom_control. */
export function parseOomKills(text: string): number | null {
  const match = /^oom_kill (\d+)$/m.exec(text);
  return match ? Number(match[1]) : null;
}

const OOM_FILES = ["/sys/fs/cgroup/memory.events", "/sys/fs/cgroup/memory/memory.oom_control"];

/** The container's OOM kill count, read inside it (an exec as the sandbox user); null when unreadable. */
export async function readOomKills(container: Docker.Container): Promise<number | null> {
  let text = "";
  try {
    const running = await startProcess(container, { cmd: ["cat", ...OOM_FILES] }, (_stream, chunk) => {
      if (text.length < 4096) text += chunk.toString("latin1");
    });
    await running.ended;
  } catch {
    return null;
  }
  return parseOomKills(text);
}

/** Finds out why a process that started at `startedAtMs` (epoch ms) exited with `code`. */
export async function exitCauseOf(
  container: Docker.Container,
  { code, startedAtMs, oomKillsBefore }: { code: number | null; startedAtMs: number; oomKillsBefore: number | null },
): Promise<ExitCause> {
  const containerStopped = await containerStoppedSince(container, startedAtMs);
  if (containerStopped) return classifyExit({ code, containerStopped, oomKillsBefore, oomKillsAfter: null, oomKilledFlag: false });
  const [oomKillsAfter, oomKilledFlag] = await Promise.all([readOomKills(container), oomKilledFlagOf(container)]);
  return classifyExit({ code, containerStopped, oomKillsBefore, oomKillsAfter, oomKilledFlag });
}

async function oomKilledFlagOf(container: Docker.Container): Promise<boolean> {
  try {
    return (await container.inspect()).State.OOMKilled;
  } catch {
    return false;
  }
}
