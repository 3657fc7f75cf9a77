import { createDockerClient } from "./sandbox/docker-client";
import { env } from "./env";

/** The platform's Docker client, configured from env. */
export const docker = createDockerClient({ host: env.DOCKER_HOST, socketPath: env.DOCKER_SOCKET });
