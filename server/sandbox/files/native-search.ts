import { FileNotFoundError, PermissionDeniedError, WrongFileTypeError } from "../errors";
import { SupervisorRequestError } from "../supervisor/connection";
import type { SandboxSupervisor } from "../supervisor/sandbox-supervisor";
import { fileError } from "./native";

// ls, glob and grep answered by the supervisor itself (no find or grep
// started): records come back in the shapes find and grep print, so the
// callers parse one format whichever way they were made.

export type NativeSearch =
  | {
      op: "walk";
      path: string;
      depth: number;
      filesOnly: boolean;
      hidden: boolean;
      skip: string[];
      max: number;
      timeoutMs: number;
    }
  | {
      op: "grep";
      path: string;
      pattern: string;
      ignoreCase: boolean;
      fixed: boolean;
      hidden: boolean;
      include?: string;
      skip: string[];
      max: number;
      timeoutMs: number;
    };

/** The records (concatenated) and whether the supervisor stopped at `max` or the deadline. */
export async function supervisorSearch(
  supervisor: SandboxSupervisor,
  search: NativeSearch,
  onInvalidPattern?: (detail: string) => Error,
): Promise<{ records: Buffer; truncated: boolean }> {
  const connection = await supervisor.connection();
  const parts: Buffer[] = [];
  try {
    const { header } = await connection.request(search, undefined, ({ header: event, data }) => {
      if (event.ev === "records") parts.push(data);
    });
    return { records: Buffer.concat(parts), truncated: header.truncated === true };
  } catch (error) {
    if (!(error instanceof SupervisorRequestError)) throw error;
    switch (error.code) {
      case "invalid_pattern":
        throw onInvalidPattern?.(error.message) ?? error;
      case "not_found":
        throw new FileNotFoundError(search.path);
      case "not_a_directory":
        throw new WrongFileTypeError(search.path, "directory");
      case "denied":
        throw new PermissionDeniedError(search.path);
      default:
        throw fileError(error, search.path);
    }
  }
}
