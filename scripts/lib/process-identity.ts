import fs from "node:fs";

// A pid alone can be reused by an unrelated process after a crash; a pid
// together with the process's start time (Linux: field 22 of /proc/<pid>/stat)
// names one process for good.

export type ProcessIdentity = { pid: number; startTicks: string | null };

/** Fields 3 onwards of /proc/<pid>/stat (the command name, field 2, may hold spaces and parentheses). */
function statFields(pid: number): string[] | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return null;
  }
}

function startTicks(pid: number): string | null {
  return statFields(pid)?.[19] ?? null;
}

export function identify(pid: number): ProcessIdentity {
  return { pid, startTicks: startTicks(pid) };
}

/** True while that very process runs (a zombie has ended; where /proc is missing: while its pid answers). */
export function isRunning(identity: ProcessIdentity): boolean {
  try {
    process.kill(identity.pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  const fields = statFields(identity.pid);
  if (fields?.[0] === "Z") return false;
  if (identity.startTicks === null) return true;
  return fields?.[19] === identity.startTicks;
}
