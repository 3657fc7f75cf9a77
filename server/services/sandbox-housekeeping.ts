import { db } from "../db";
import { sandboxPlatform } from "./sandbox-manager";

/**
 * At server start: re-adopt this deployment's running sandboxes (removing
 * orphans), mark database rows whose container is gone as asleep, and start
 * the idle reaper. On shutdown, leave containers running for the next process.
 */
export async function startSandboxHousekeeping(): Promise<void> {
  const { manager } = sandboxPlatform();
  try {
    const { adopted, removed } = await manager.recover();
    const live = manager.list().map((session) => session.sessionId);
    const { count } = await db.sandboxSession.updateMany({
      where: { stoppedAt: null, status: { in: ["RUNNING", "PAUSED", "STARTING"] }, userId: { notIn: live } },
      data: { status: "STOPPED" },
    });
    if (adopted || removed || count) console.log(`sandboxes: adopted ${adopted}, removed ${removed} orphan(s), ${count} marked asleep`);
  } catch (error) {
    console.error("sandbox recovery failed; sandboxes will start on demand", error);
  }
  manager.startCleanupLoop(30_000);
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      void manager.shutdown({ keepContainers: true }).finally(() => process.exit(0));
    });
  }
}
