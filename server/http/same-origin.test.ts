import { describe, expect, it } from "vitest";
import { isCrossSiteRequest } from "./same-origin";

const request = (headers: Record<string, string>) => new Request("http://127.0.0.1:3000/api/trpc/x", { method: "POST", headers });

describe("isCrossSiteRequest", () => {
  it("allows same-origin browser requests and header-less clients", () => {
    expect(isCrossSiteRequest(request({ "sec-fetch-site": "same-origin", origin: "http://127.0.0.1:3000", host: "127.0.0.1:3000" }))).toBe(false);
    expect(isCrossSiteRequest(request({ host: "127.0.0.1:3000" }))).toBe(false);
  });

  it("rejects what the browser marks cross-site, and foreign origins", () => {
    expect(isCrossSiteRequest(request({ "sec-fetch-site": "cross-site", host: "127.0.0.1:3000" }))).toBe(true);
    expect(isCrossSiteRequest(request({ origin: "https://evil.example", host: "127.0.0.1:3000" }))).toBe(true);
    expect(isCrossSiteRequest(request({ origin: "null", host: "127.0.0.1:3000" }))).toBe(true);
  });
});
