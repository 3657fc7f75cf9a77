// run_python round trip on the persistent kernel vs a fresh interpreter per
// call (what execute costs), same container, same run, interleaved.
//   npx tsx bench/kernel-roundtrip.ts [iterations]
import { PythonKernel } from "../server/sandbox";
import { benchSandbox } from "./kernel-sandbox";
import { percentile, printTable, time } from "./sandbox-stats";

const N = Number(process.argv[2] ?? 200);

async function main(): Promise<void> {
  const sandbox = await benchSandbox();
  try {
    const kernel = new PythonKernel(sandbox);
    const startMs = await time(() => kernel.run("1+1"));
    for (let i = 0; i < 10; i++) {
      await kernel.run("1+1");
      await sandbox.execute('python3 -c "print(1+1)"');
    }
    const kernelSamples: number[] = [];
    const execSamples: number[] = [];
    for (let i = 0; i < N; i++) {
      kernelSamples.push(await time(() => kernel.run("1+1")));
      if (i % 2 === 0) execSamples.push(await time(() => sandbox.execute('python3 -c "print(1+1)"')));
    }
    printTable("run_python `1+1` on the persistent kernel vs execute(`python3 -c \"print(1+1)\"`) (python-datascience, same container)", [
      { name: "kernel.run(`1+1`)", samples: kernelSamples, baseline: { name: "execute python3 -c", samples: execSamples }, goal: "p50 ≤ 5 ms" },
    ]);
    const p50 = percentile(kernelSamples, 50);
    console.log(`\nkernel p50 ${p50.toFixed(2)} ms, p95 ${percentile(kernelSamples, 95).toFixed(2)} ms — ${(percentile(execSamples, 50) / p50).toFixed(0)}× faster than a fresh interpreter per call`);
    console.log(`first run (kernel start included): ${startMs.toFixed(0)} ms`);
    console.log(p50 <= 5 ? "goal met: p50 ≤ 5 ms" : "GOAL MISSED: p50 > 5 ms");
  } finally {
    await sandbox.stop();
  }
}

await main();
