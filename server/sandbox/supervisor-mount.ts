/** Where the supervisor binary's host folder is mounted (read-only) in every supervised container. */
export const SUPERVISOR_MOUNT = "/opt/tidepool-supervisor";
export const SUPERVISOR_PATH = `${SUPERVISOR_MOUNT}/tidepool-supervisor`;

/**
 * `nobody`, not the sandbox user, so `kill -9 -1` from user code cannot reach
 * it: the keep-alive of a container without a supervisor, and the bridge
 * (`connect`) to the supervisor of one with.
 */
export const KEEPALIVE_USER = "65534:65534";

/**
 * Where a supervised container's socket folder is mounted (read-only): a host folder only the app can create
 * sockets in. The supervisor dials the app's socket there, so frames skip docker exec.
 */
export const SUPERVISOR_SOCKET_MOUNT = "/run/tidepool";
