import Docker from "dockerode";

export type DockerConnection = {
  /** tcp://host:port or unix:///path; wins over socketPath. */
  host?: string;
  socketPath?: string;
};

/** A dockerode client. The API version stays unset: pinning ≥1.43 fails on engine 20.10. */
export function createDockerClient(connection: DockerConnection = {}): Docker {
  if (connection.host) {
    const url = new URL(connection.host);
    if (url.protocol === "unix:") return new Docker({ socketPath: url.pathname });
    return new Docker({ host: url.hostname, port: Number(url.port || 2375), protocol: "http" });
  }
  return new Docker({ socketPath: connection.socketPath ?? "/var/run/docker.sock" });
}
