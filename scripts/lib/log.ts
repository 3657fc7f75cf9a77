// Console output for the start and test commands: one line per step, so the
// same text reads well in a terminal and in a CI log.
const color = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code: number, text: string) => (color ? `\x1b[${code}m${text}\x1b[0m` : text);

export const log = {
  step: (message: string) => console.log(`${paint(36, "▸")} ${message}`),
  ok: (message: string) => console.log(`${paint(32, "✓")} ${message}`),
  warn: (message: string) => console.log(`${paint(33, "!")} ${message}`),
  fail: (message: string) => console.error(`${paint(31, "✗")} ${message}`),
  detail: (message: string) => console.log(paint(2, `  ${message}`)),
};

/** Times a step and reports its duration, so slow first runs explain themselves. */
export async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  log.step(`${label}…`);
  const result = await work();
  log.ok(`${label} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return result;
}
