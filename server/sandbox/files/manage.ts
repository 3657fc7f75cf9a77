import { posix } from "node:path";
import type Docker from "dockerode";
import { PathExistsError } from "../errors";
import { supervisorOf } from "../supervisor/sandbox-supervisor";
import { STATUS, runScript, throwForStatus } from "./file-exec";
import { fileError } from "./native";

// Folders, moves and deletes: done by the supervisor itself, or by small
// scripts (paths as arguments, never spliced) where there is none.

const MKDIR_SCRIPT = `{ [ -e "$1" ] && [ ! -d "$1" ]; } && exit ${STATUS.notADirectory}; mkdir -p -- "$1" || exit ${STATUS.denied}`;
const MOVE_SCRIPT = `{ [ -e "$1" ] || [ -L "$1" ]; } || exit ${STATUS.notFound}
{ [ -e "$2" ] || [ -L "$2" ]; } && exit ${STATUS.exists}
mkdir -p -- "$3" || exit ${STATUS.denied}
mv -- "$1" "$2" || exit ${STATUS.denied}`;
const REMOVE_SCRIPT = `{ [ -e "$1" ] || [ -L "$1" ]; } || exit ${STATUS.notFound}; rm -rf -- "$1" || exit ${STATUS.denied}`;
const TIMEOUT_MS = 60_000;

/** Creates a folder and its parents; one that exists is fine. */
export async function makeDirectory(container: Docker.Container, path: string): Promise<void> {
  const supervisor = supervisorOf(container);
  if (!supervisor) return throwForStatus(await runScript(container, MKDIR_SCRIPT, [path], { operation: "mkdir", timeoutMs: TIMEOUT_MS }), path, "mkdir");
  const connection = await supervisor.connection();
  await connection.request({ op: "mkdir", path, parents: true }).catch((error: unknown) => {
    throw fileError(error, path);
  });
}

/** Moves or renames a file or folder, making the target's folder; never overwrites (PathExistsError). */
export async function movePath(container: Docker.Container, from: string, to: string): Promise<void> {
  const supervisor = supervisorOf(container);
  if (!supervisor) {
    const result = await runScript(container, MOVE_SCRIPT, [from, to, posix.dirname(to)], { operation: "move", timeoutMs: TIMEOUT_MS });
    if (result.exitCode === STATUS.exists) throw new PathExistsError(to);
    return throwForStatus(result, from, "move");
  }
  const connection = await supervisor.connection();
  // Checked first so a missing source does not leave the target's folder made.
  await connection.request({ op: "stat", path: from, follow: false }).catch((error: unknown) => {
    throw fileError(error, from);
  });
  await connection.request({ op: "mkdir", path: posix.dirname(to), parents: true }).catch((error: unknown) => {
    throw fileError(error, posix.dirname(to));
  });
  await connection.request({ op: "move", from, to, overwrite: false }).catch((error: unknown) => {
    throw fileError(error, to);
  });
}

/** Deletes a file, link or folder with everything in it. */
export async function removePath(container: Docker.Container, path: string): Promise<void> {
  const supervisor = supervisorOf(container);
  if (!supervisor) return throwForStatus(await runScript(container, REMOVE_SCRIPT, [path], { operation: "delete", timeoutMs: TIMEOUT_MS }), path, "delete");
  const connection = await supervisor.connection();
  await connection.request({ op: "remove", path, recursive: true }).catch((error: unknown) => {
    throw fileError(error, path);
  });
}
