import type Docker from "dockerode";

// CPU and memory of live sandbox containers right now, for the admin's table.
// One non-streaming stats call per container (Docker samples twice, ~1 s
// apart, so CPU is a rate), in parallel, each capped by a timeout, and cached
// briefly so several admins polling do not multiply the cost.

export type ContainerUsage = { cpuPercent: number; memoryBytes: number; memoryLimitBytes: number | null };

type StatsSample = {
  cpu_stats?: { cpu_usage?: { total_usage?: number; percpu_usage?: number[] }; system_cpu_usage?: number; online_cpus?: number };
  precpu_stats?: { cpu_usage?: { total_usage?: number }; system_cpu_usage?: number };
  memory_stats?: { usage?: number; limit?: number; stats?: Record<string, number> };
};

const CACHE_MS = 4_000;
const cache = new Map<string, { at: number; usage: Promise<ContainerUsage | null> }>();

/** CPU % (100 = one core busy) and memory in use (page cache excluded), from one stats sample. */
export function usageFromStats(stats: StatsSample): ContainerUsage {
  const cpu = stats.cpu_stats;
  const pre = stats.precpu_stats;
  const cpuDelta = (cpu?.cpu_usage?.total_usage ?? 0) - (pre?.cpu_usage?.total_usage ?? 0);
  const systemDelta = (cpu?.system_cpu_usage ?? 0) - (pre?.system_cpu_usage ?? 0);
  const cpus = cpu?.online_cpus || cpu?.cpu_usage?.percpu_usage?.length || 1;
  const cpuPercent = cpuDelta > 0 && systemDelta > 0 && pre?.system_cpu_usage ? (cpuDelta / systemDelta) * cpus * 100 : 0;
  const memory = stats.memory_stats;
  // cgroup v2 reports inactive_file, v1 total_inactive_file or cache: reclaimable, so not "in use".
  const reclaimable = memory?.stats?.inactive_file ?? memory?.stats?.total_inactive_file ?? memory?.stats?.cache ?? 0;
  const memoryBytes = Math.max(0, (memory?.usage ?? 0) - reclaimable);
  const limit = memory?.limit;
  return {
    cpuPercent: Math.round(cpuPercent * 10) / 10,
    memoryBytes,
    // A limit near 2^63 means "none".
    memoryLimitBytes: limit && limit < 2 ** 60 ? limit : null,
  };
}

async function sample(docker: Docker, containerId: string, timeoutMs: number): Promise<ContainerUsage | null> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    // dockerode passes abortSignal to the request; its types do not list it.
    const options = { stream: false, abortSignal: controller.signal } as { stream: false };
    const stats = (await docker.getContainer(containerId).stats(options)) as StatsSample;
    return usageFromStats(stats);
  } catch {
    return null; // gone, paused mid-call or slow: the table shows "—"
  } finally {
    clearTimeout(timer);
  }
}

/** Usage per container id (null when it could not be read in time). */
export async function containerUsage(docker: Docker, containerIds: string[], timeoutMs = 3_000): Promise<Map<string, ContainerUsage | null>> {
  const now = Date.now();
  for (const [id, entry] of cache) if (now - entry.at > CACHE_MS) cache.delete(id);
  const results = await Promise.all(
    containerIds.map(async (id) => {
      let entry = cache.get(id);
      if (!entry) {
        entry = { at: now, usage: sample(docker, id, timeoutMs) };
        cache.set(id, entry);
      }
      return [id, await entry.usage] as const;
    }),
  );
  return new Map(results);
}
