import { describe, expect, it } from "vitest";
import { normalizeVolumes } from "./container-spec";
import { InvalidSandboxOptionsError } from "./errors";

describe("normalizeVolumes", () => {
  it("takes a host folder for the workspace, trailing slashes dropped", () => {
    expect(normalizeVolumes({ "/srv/ws/u1/": "/workspace/" })).toEqual([{ hostPath: "/srv/ws/u1", containerPath: "/workspace", readOnly: false }]);
  });

  it.each([
    ["the docker socket", { "/var/run/docker.sock": "/workspace/d" }, /Refusing to mount \/var\/run\/docker.sock/],
    ["/proc", { "/srv/x": "/proc/x" }, /Refusing to mount over \/proc\/x/],
    ["the supervisor's binary folder", { "/srv/x": "/opt/tidepool-supervisor" }, /the sandbox supervisor uses it/],
    ["the supervisor's socket folder", { "/srv/x": "/run/tidepool/" }, /Refusing to mount over \/run\/tidepool: the sandbox supervisor uses it/],
    ["a folder inside it", { "/srv/x": "/run/tidepool/a" }, /the sandbox supervisor uses it/],
  ])("refuses %s", (_name, volumes, message) => {
    expect(() => normalizeVolumes(volumes)).toThrow(InvalidSandboxOptionsError);
    expect(() => normalizeVolumes(volumes)).toThrow(message);
  });

  it("allows a folder whose name only starts like the supervisor's", () => {
    expect(normalizeVolumes({ "/srv/x": "/run/tidepool2" })).toHaveLength(1);
  });
});
