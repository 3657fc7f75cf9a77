// Turns the engine's build stream (newline-delimited JSON from the classic
// builder) into steps, log lines, the image id and the error, if any. A failed
// build is a message carrying `error`, not a failed request.

export type BuildOutputMessage =
  | { kind: "step"; index: number; total: number; instruction: string }
  | { kind: "line"; text: string }
  | { kind: "image"; id: string }
  | { kind: "error"; message: string };

const STEP = /^Step (\d+)\/(\d+) : (.*)$/;
// Builder bookkeeping that means nothing to someone watching a build.
const NOISE = /^(?: ---> |Removing intermediate container |Successfully (?:built|tagged) )/;
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;

export class BuildOutputParser {
  private pendingJson = "";
  private pendingText = "";

  constructor(private readonly emit: (message: BuildOutputMessage) => void) {}

  push(chunk: Buffer | string): void {
    this.pendingJson += chunk.toString();
    const lines = this.pendingJson.split("\n");
    this.pendingJson = lines.pop() ?? "";
    for (const line of lines) this.handleJson(line);
  }

  /** Flushes a final line that had no newline. */
  end(): void {
    if (this.pendingJson.trim()) this.handleJson(this.pendingJson);
    this.pendingJson = "";
    this.flushText(true);
  }

  private handleJson(line: string): void {
    if (!line.trim()) return;
    let message: { stream?: unknown; error?: unknown; errorDetail?: { message?: unknown }; aux?: { ID?: unknown } };
    try {
      message = JSON.parse(line) as typeof message;
    } catch {
      this.handleText(`${line}\n`);
      return;
    }
    if (typeof message.stream === "string") this.handleText(message.stream);
    if (typeof message.aux?.ID === "string") this.emit({ kind: "image", id: message.aux.ID });
    if (message.error !== undefined || message.errorDetail !== undefined) {
      this.flushText(true);
      const text = message.errorDetail?.message ?? message.error;
      this.emit({ kind: "error", message: typeof text === "string" ? text : "build failed" });
    }
  }

  private handleText(text: string): void {
    this.pendingText += text.replace(ANSI, "");
    this.flushText(false);
  }

  private flushText(all: boolean): void {
    const lines = this.pendingText.split(/\r\n|\r|\n/);
    this.pendingText = all ? "" : (lines.pop() ?? "");
    for (const raw of lines) {
      const line = raw.trimEnd();
      if (!line.trim() || NOISE.test(line)) continue;
      const step = STEP.exec(line);
      if (step) this.emit({ kind: "step", index: Number(step[1]), total: Number(step[2]), instruction: step[3] ?? "" });
      else this.emit({ kind: "line", text: line });
    }
  }
}
