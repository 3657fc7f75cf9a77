import { describe, expect, it } from "vitest";
import { usageFromStats } from "./container-stats";

describe("usageFromStats", () => {
  it("computes CPU % from the two samples and memory without the reclaimable page cache (cgroup v2)", () => {
    const usage = usageFromStats({
      cpu_stats: { cpu_usage: { total_usage: 3_000_000_000 }, system_cpu_usage: 20_000_000_000, online_cpus: 4 },
      precpu_stats: { cpu_usage: { total_usage: 2_000_000_000 }, system_cpu_usage: 16_000_000_000 },
      memory_stats: { usage: 300 * 1024 * 1024, limit: 2048 * 1024 * 1024, stats: { inactive_file: 100 * 1024 * 1024 } },
    });
    // 1 s of CPU over 4 s of system time on 4 cores = one core busy.
    expect(usage).toEqual({ cpuPercent: 100, memoryBytes: 200 * 1024 * 1024, memoryLimitBytes: 2048 * 1024 * 1024 });
  });

  it("reads cgroup v1's cache and reports no CPU without a previous sample", () => {
    const usage = usageFromStats({
      cpu_stats: { cpu_usage: { total_usage: 5, percpu_usage: [1, 2] }, system_cpu_usage: 10 },
      precpu_stats: {},
      memory_stats: { usage: 1000, limit: 2 ** 62, stats: { cache: 400 } },
    });
    expect(usage).toEqual({ cpuPercent: 0, memoryBytes: 600, memoryLimitBytes: null });
  });

  it("never reports negative memory", () => {
    expect(usageFromStats({ memory_stats: { usage: 10, stats: { inactive_file: 50 } } }).memoryBytes).toBe(0);
  });
});
