import path from "node:path";
import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "~/server/env";

const secret = "x".repeat(32);

function errorOf(source: Record<string, string>): EnvError {
  try {
    parseEnv(source);
  } catch (error) {
    if (error instanceof EnvError) return error;
    throw error;
  }
  throw new Error("parseEnv accepted invalid configuration");
}

describe("parseEnv", () => {
  it("fills defaults for a zero-configuration local run", () => {
    const env = parseEnv({ AUTH_SECRET: secret });
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.PORT).toBe(3000);
    expect(env.HOST).toBe("127.0.0.1");
    expect(env.DATA_DIR).toBe(path.resolve("data"));
    expect(env.WORKSPACE_ROOT).toBe(path.resolve("data", "workspaces"));
    expect(env.DEFAULT_RUNTIME).toBe("python-datascience");
  });

  it("accepts a Postgres URL and coerces numbers", () => {
    const env = parseEnv({ AUTH_SECRET: secret, DATABASE_URL: "postgresql://u:p@db:5432/tidepool", PORT: "8080", SANDBOX_CPUS: "1.5" });
    expect(env.DATABASE_URL).toBe("postgresql://u:p@db:5432/tidepool");
    expect(env.PORT).toBe(8080);
    expect(env.SANDBOX_CPUS).toBe(1.5);
  });

  it("names a malformed DATABASE_URL and says what it should look like", () => {
    const error = errorOf({ AUTH_SECRET: secret, DATABASE_URL: "mysql://nope" });
    expect(error.message).toContain("DATABASE_URL");
    expect(error.message).toContain("postgresql://");
  });

  it("names every bad variable at once", () => {
    const error = errorOf({ AUTH_SECRET: "short", PORT: "99999", ADMIN_EMAIL: "not-an-email" });
    expect(error.issues.map((issue) => issue.split(":")[0]).sort()).toEqual(["ADMIN_EMAIL", "AUTH_SECRET", "PORT"]);
  });

  it("requires AUTH_SECRET", () => {
    expect(errorOf({}).message).toContain("AUTH_SECRET");
  });

  it("treats empty strings as unset", () => {
    expect(parseEnv({ AUTH_SECRET: secret, DATABASE_URL: "" }).DATABASE_URL).toBeUndefined();
  });
});
