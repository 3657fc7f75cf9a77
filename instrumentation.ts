// Next.js calls register() once when the server starts.
export async function register() {
  // eslint-disable-next-line no-restricted-properties -- set by Next itself, not configuration
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startSandboxHousekeeping } = await import("./server/services/sandbox-housekeeping");
  await startSandboxHousekeeping();
}
