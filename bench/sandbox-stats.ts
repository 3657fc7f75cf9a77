// Small helpers shared by the sandbox and session benchmarks: timing, percentiles, a table.

export async function time<T>(fn: () => Promise<T>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

export type Row = { name: string; samples: number[]; baseline?: { name: string; samples: number[] }; goal?: string };

export function printTable(title: string, rows: Row[]): void {
  const fmt = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : "-");
  const lines: string[][] = [["measure", "n", "p50 ms", "p95 ms", "baseline", "base p50", "base p95", "ratio p50", "goal"]];
  for (const row of rows) {
    const p50 = percentile(row.samples, 50);
    const b50 = row.baseline ? percentile(row.baseline.samples, 50) : Number.NaN;
    lines.push([
      row.name,
      String(row.samples.length),
      fmt(p50),
      fmt(percentile(row.samples, 95)),
      row.baseline?.name ?? "",
      fmt(b50),
      row.baseline ? fmt(percentile(row.baseline.samples, 95)) : "-",
      row.baseline ? `${(p50 / b50).toFixed(2)}×` : "-",
      row.goal ?? "",
    ]);
  }
  const widths = lines[0]!.map((_, i) => Math.max(...lines.map((l) => l[i]!.length)));
  console.log(`\n${title}`);
  for (const [i, line] of lines.entries()) {
    console.log(line.map((cell, j) => (j === 0 || j === 4 || j === 8 ? cell.padEnd(widths[j]!) : cell.padStart(widths[j]!))).join("  "));
    if (i === 0) console.log(widths.map((w) => "-".repeat(w)).join("  "));
  }
}
