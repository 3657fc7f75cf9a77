import { describe, expect, it } from "vitest";
import { canonicalJson, configHash, imageTag } from "./image-tag";
import { parseRuntimeConfig } from "./schema";

const BASE = "tidepool/base:bookworm";
const base = { name: "jq-tools", packages: ["jq"], envVars: { A: "1", B: "2" } };

describe("imageTag", () => {
  it("is tidepool/runtime:<name>-<12 hex>", () => {
    expect(imageTag(parseRuntimeConfig(base), BASE)).toMatch(/^tidepool\/runtime:jq-tools-[0-9a-f]{12}$/);
  });

  it("does not depend on key order", () => {
    const reordered = { envVars: { B: "2", A: "1" }, packages: ["jq"], name: "jq-tools" };
    expect(imageTag(parseRuntimeConfig(reordered), BASE)).toBe(imageTag(parseRuntimeConfig(base), BASE));
  });

  it("changes with what goes into the image", () => {
    const tag = imageTag(parseRuntimeConfig(base), BASE);
    const variants = [
      { ...base, packages: ["jq", "curl"] },
      { ...base, envVars: { A: "1", B: "3" } },
      { ...base, setupCommands: ["true"] },
      { ...base, workDir: "/data" },
      { ...base, user: { uid: 1001 } },
      { ...base, smokeCheck: "jq --version" },
      { ...base, packageManager: "npm" as const },
      { ...base, baseImage: "debian:bookworm-slim" },
    ];
    const tags = variants.map((variant) => imageTag(parseRuntimeConfig(variant), BASE));
    expect(new Set([tag, ...tags]).size).toBe(variants.length + 1);
    expect(imageTag(parseRuntimeConfig(base), "debian:bookworm-slim")).not.toBe(tag);
  });

  it("ignores what only matters when a container starts", () => {
    const tag = imageTag(parseRuntimeConfig(base), BASE);
    const variants = [
      { ...base, description: "edited" },
      { ...base, network: true },
      { ...base, limits: { memoryMb: 512 } },
      { ...base, cacheImage: false },
      { ...base, displayPackages: ["jq"] },
    ];
    for (const variant of variants) expect(imageTag(parseRuntimeConfig(variant), BASE)).toBe(tag);
  });

  it("is the image itself for a ready-made image", () => {
    expect(imageTag(parseRuntimeConfig({ name: "x", image: "team/tools:1" }), BASE)).toBe("team/tools:1");
  });

  it("hashes with sha256", () => {
    expect(configHash(parseRuntimeConfig(base), BASE)).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe("canonicalJson", () => {
  it("sorts keys at every level and keeps array order", () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: null } })).toBe('{"a":{"c":null,"d":[2,1]},"b":1}');
  });
});
