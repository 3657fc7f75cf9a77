import { describe, expect, it } from "vitest";
import { BuildOutputParser, type BuildOutputMessage } from "./build-output";

function parse(chunks: string[]): BuildOutputMessage[] {
  const messages: BuildOutputMessage[] = [];
  const parser = new BuildOutputParser((message) => messages.push(message));
  for (const chunk of chunks) parser.push(chunk);
  parser.end();
  return messages;
}

const json = (value: unknown) => `${JSON.stringify(value)}\r\n`;

describe("BuildOutputParser", () => {
  it("finds steps and log lines and drops builder bookkeeping", () => {
    const stream = [
      json({ stream: "Step 1/3 : FROM tidepool/base:bookworm\n" }),
      json({ stream: " ---> 1371bc16f066\n" }),
      json({ stream: 'Step 2/3 : RUN ["/bin/sh","-c","apt-get update"]\n' }),
      json({ stream: " ---> Running in 0e8a59853ed6\n" }),
      json({ stream: "Get:1 http://deb.debian.org/debian bookworm InRelease\n" }),
      json({ stream: "Removing intermediate container 0e8a59853ed6\n" }),
      json({ aux: { ID: "sha256:abc" } }),
      json({ stream: "Successfully built abc\n" }),
    ];
    expect(parse(stream)).toEqual([
      { kind: "step", index: 1, total: 3, instruction: "FROM tidepool/base:bookworm" },
      { kind: "step", index: 2, total: 3, instruction: 'RUN ["/bin/sh","-c","apt-get update"]' },
      { kind: "line", text: "Get:1 http://deb.debian.org/debian bookworm InRelease" },
      { kind: "image", id: "sha256:abc" },
    ]);
  });

  it("joins JSON split across chunks and text split across messages, without ANSI colours", () => {
    const whole = [
      json({ stream: "Reading package lists..." }),
      json({ stream: "\n" }),
      json({ stream: "\u001b[91mE\u001b[0m" }),
      json({ stream: "\u001b[91m: \u001b[0m" }),
      json({ stream: "\u001b[91mUnable to locate package nosuchpkg\u001b[0m" }),
      json({ stream: "\u001b[91m\n\u001b[0m" }),
      json({
        errorDetail: { code: 100, message: "The command '/bin/sh -c apt-get install' returned a non-zero code: 100" },
        error: "The command '/bin/sh -c apt-get install' returned a non-zero code: 100",
      }),
    ].join("");
    const chunks = [whole.slice(0, 7), whole.slice(7, 100), whole.slice(100)];
    expect(parse(chunks)).toEqual([
      { kind: "line", text: "Reading package lists..." },
      { kind: "line", text: "E: Unable to locate package nosuchpkg" },
      { kind: "error", message: "The command '/bin/sh -c apt-get install' returned a non-zero code: 100" },
    ]);
  });

  it("splits carriage-return progress into lines and flushes a last line without newline", () => {
    expect(parse([json({ stream: "10%\r50%\r100%\n" }), json({ stream: "tail without newline" })])).toEqual([
      { kind: "line", text: "10%" },
      { kind: "line", text: "50%" },
      { kind: "line", text: "100%" },
      { kind: "line", text: "tail without newline" },
    ]);
  });
});
