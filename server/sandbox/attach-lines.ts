import type Docker from "dockerode";

// A throwaway container's merged (TTY) output, line by line: for build and
// smoke-check containers whose log the user watches as it happens.

export type AttachedLines = {
  /** Waits for the stream to close (at most `graceMs` after the container exited), then hands on the last partial line. */
  drain(graceMs?: number): Promise<void>;
};

/** Attach before `container.start()` so no output is missed. */
export async function attachLines(container: Docker.Container, onLine: (line: string) => void): Promise<AttachedLines> {
  const stream = await container.attach({ stream: true, stdout: true, stderr: true });
  let pending = "";
  const ended = new Promise<void>((resolve) => {
    stream.on("data", (chunk: Buffer) => {
      const lines = (pending + chunk.toString()).split(/\r\n|\r|\n/);
      pending = lines.pop() ?? "";
      for (const line of lines) onLine(line);
    });
    stream.on("end", resolve);
    stream.on("close", resolve);
    stream.on("error", () => resolve());
  });
  return {
    async drain(graceMs = 1000) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([ended, new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
      clearTimeout(timer);
      onLine(pending);
      pending = "";
    },
  };
}
