// Next.js calls register() once when the server starts.
export async function register() {
  // eslint-disable-next-line no-restricted-properties -- set by Next itself, not configuration
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { seedRuntimes } = await import("./server/services/runtimes");
  // The built-in runtimes and the default, in the Runtime table for the admin dashboard.
  await seedRuntimes().catch((error: unknown) => console.error("seeding the built-in runtimes failed", error));
  const { refreshRuntimeStatuses } = await import("./server/services/runtime-builds");
  void refreshRuntimeStatuses().catch((error: unknown) => console.warn("checking runtime images failed", error));
  const { startSandboxHousekeeping } = await import("./server/services/sandbox-housekeeping");
  await startSandboxHousekeeping();
  const { startTurnRecovery } = await import("./server/services/turn-recovery");
  // Turns the last run left RUNNING (it was killed mid-turn) are marked interrupted, and abandoned ones later too.
  await startTurnRecovery().catch((error: unknown) => console.error("settling interrupted agent turns failed", error));
  const { exitWithSupervisor } = await import("./server/supervisor");
  exitWithSupervisor();
}
