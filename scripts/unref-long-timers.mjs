// Preloaded into the Prisma CLI: its WebAssembly schema engine leaves 10 s and
// 60 s timers behind, which keep `migrate deploy` alive long after it is done.
const originalSetTimeout = globalThis.setTimeout;
globalThis.setTimeout = function setTimeoutUnrefLong(callback, delay, ...args) {
  const timer = originalSetTimeout(callback, delay, ...args);
  if (typeof delay === "number" && delay >= 5000) timer.unref?.();
  return timer;
};
