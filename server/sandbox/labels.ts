// Every container and image Tidepool creates carries these labels, so it can be
// found again after a restart and cleaned up without touching anything else.
export const LABELS = {
  managed: "tidepool.managed",
  session: "tidepool.session",
  owner: "tidepool.owner",
  runtime: "tidepool.runtime",
  configHash: "tidepool.config-hash",
  /** Which SessionManager (by scope) owns a container: it adopts or removes only its own. */
  manager: "tidepool.manager",
  /** The host folder mounted as the workspace, so a restarted manager can check it. */
  workspace: "tidepool.workspace",
  /** The supervisor binary's hash, on containers whose main process is the supervisor. */
  supervisor: "tidepool.supervisor",
  /** Set by tests on what they create, so cleanup can find exactly that. */
  test: "tidepool.test",
} as const;
