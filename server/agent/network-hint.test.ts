import { describe, expect, it } from "vitest";
import { NETWORK_HINT, networkHint } from "./network-hint";

describe("networkHint", () => {
  it("recognises curl, Python, pip, npm and apt failing for lack of network", () => {
    for (const output of [
      "curl: (6) Could not resolve host: example.com",
      "sh: 1: curl: not found",
      "urllib.error.URLError: <urlopen error [Errno -3] Temporary failure in name resolution>",
      "socket.gaierror: [Errno -2] Name or service not known",
      "WARNING: Retrying (Retry(total=4)) after connection broken by 'NewConnectionError(...)': /simple/requests/",
      "npm error getaddrinfo EAI_AGAIN registry.npmjs.org",
      "Temporary failure resolving 'deb.debian.org'",
    ]) {
      expect(networkHint(output, false), output).toBe(NETWORK_HINT);
    }
  });

  it("stays quiet when the runtime has network, or the failure is something else", () => {
    expect(networkHint("curl: (6) Could not resolve host: example.com", true)).toBeUndefined();
    expect(networkHint("ZeroDivisionError: division by zero", false)).toBeUndefined();
    expect(networkHint("", false)).toBeUndefined();
  });

  it("names the real setting", () => {
    expect(NETWORK_HINT).toContain("Admin → Runtimes");
    expect(NETWORK_HINT).toContain("Sandboxes may reach the network");
  });
});
