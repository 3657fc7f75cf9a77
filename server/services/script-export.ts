import { type ConversationStep, fileStepAsPython, pythonString } from "./conversation-steps";

// A conversation as a plain Python script: a header naming the data files it
// reads, then every step in order; the conversation's text as comments.

export function buildScript(input: { title: string; steps: ConversationStep[]; dataFiles: string[] }): string {
  const out: string[] = [
    comment(`${input.title}\nExported from Tidepool. Run it in the folder with your files (the chat's /workspace).`),
  ];
  out.push(
    input.dataFiles.length > 0
      ? comment(`Data files it reads:\n${input.dataFiles.map((file) => `  ${file}`).join("\n")}`)
      : comment("It reads no data files by name."),
  );
  const shell = input.steps.some((step) => step.type === "shell");
  if (shell) out.push("import subprocess");
  for (const step of input.steps) {
    switch (step.type) {
      case "text":
        out.push(comment(step.role === "user" ? `You: ${step.text}` : step.text));
        break;
      case "python":
        out.push(step.code.replace(/\s+$/, ""));
        break;
      case "shell":
        out.push(`subprocess.run(${pythonString(step.command)}, shell=True, check=True)`);
        break;
      default:
        out.push(fileStepAsPython(step));
    }
  }
  return `${out.join("\n\n")}\n`;
}

function comment(text: string): string {
  return text
    .split("\n")
    .map((line) => (line ? `# ${line}` : "#"))
    .join("\n");
}
