import type Docker from "dockerode";
import { startDockerExec } from "./docker-exec";

// The kill for sandboxes without a supervisor (docker exec has no kill): every
// process started through docker exec carries a marker in its environment; a
// second exec finds every process that inherited it, stops them so they cannot
// fork further, and kills them with their process groups. A process that clears
// its environment escapes this sweep; the supervisor's subreaper does not let it.

export const MARKER_VARIABLE = "TIDEPOOL_EXEC";

// Builtins only inside the loops: under a fork bomb there may be no pid left for
// an external command. Rounds repeat until no marked process is left.
const KILL_SCRIPT = `
m="${MARKER_VARIABLE}=$1"; self=$$
for round in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
  found=""; groups=""
  for e in /proc/[0-9]*/environ; do
    p=\${e#/proc/}; p=\${p%/environ}
    [ "$p" = "$self" ] && continue
    while IFS= read -r -d '' v; do
      if [ "$v" = "$m" ]; then
        found="$found $p"
        if read -r stat < "/proc/$p/stat"; then set -- \${stat##*) }; groups="$groups -$3"; fi
        break
      fi
    done < "$e"
  done 2>/dev/null
  [ -z "$found" ] && exit 0
  kill -STOP $found 2>/dev/null
  kill -KILL $found 2>/dev/null
  [ -n "$groups" ] && kill -KILL -- $groups 2>/dev/null
done
exit 1
`;

/**
 * Kills every process carrying the marker; true once none is left. Retries
 * briefly: under pid pressure the exec itself may fail to start.
 */
export async function killMarked(container: Docker.Container, marker: string): Promise<boolean> {
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const running = await startDockerExec(container, { cmd: ["bash", "-c", KILL_SCRIPT, "kill", marker] }, () => {});
      await running.ended;
      if ((await running.exitCode()) === 0) return true;
    } catch {
      // The next attempt may find a free pid.
    }
    await sleep(100 * (attempt + 1));
  }
  return false;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
