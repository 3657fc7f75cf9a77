// `npm run build:python`: regenerates the TypeScript modules that carry the
// sandbox Python programs (scripts/lib/python-programs.ts) from their .py files.
// The output is committed; test/unit/python-programs.test.ts fails when it is stale.
import fs from "node:fs";
import path from "node:path";
import { log } from "./lib/log";
import { PYTHON_PROGRAMS, renderProgram } from "./lib/python-programs";

const root = process.cwd();
for (const program of PYTHON_PROGRAMS) {
  const target = path.join(root, program.output);
  const text = renderProgram(program, root);
  if (fs.existsSync(target) && fs.readFileSync(target, "utf8") === text) continue;
  fs.writeFileSync(target, text);
  log.ok(`wrote ${program.output}`);
}
