/** Where the supervisor binary's host folder is mounted (read-only) in every supervised container. */
export const SUPERVISOR_MOUNT = "/opt/tidepool-supervisor";
export const SUPERVISOR_PATH = `${SUPERVISOR_MOUNT}/tidepool-supervisor`;
