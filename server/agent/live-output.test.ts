import { describe, expect, it } from "vitest";
import type { OutputChunk } from "~/server/sandbox";
import { withLiveOutput } from "./live-output";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("withLiveOutput", () => {
  it("yields the output so far while the work runs, then the result", async () => {
    const values: string[] = [];
    const work = async (onOutput: (chunk: OutputChunk) => void) => {
      onOutput({ stream: "stdout", text: "a" });
      await sleep(70);
      onOutput({ stream: "stderr", text: "b" });
      await sleep(70);
      return "final";
    };
    for await (const value of withLiveOutput(work, (live) => `${live.stdout}|${live.stderr}`, 40)) values.push(value);
    expect(values.at(-1)).toBe("final");
    expect(values).toContain("a|");
    expect(values).toContain("a|b");
  });

  it("yields only the result for quick work or work without output", async () => {
    const values: string[] = [];
    for await (const value of withLiveOutput(() => sleep(100).then(() => "done"), () => "partial", 20)) values.push(value);
    expect(values).toEqual(["done"]);
  });
});
