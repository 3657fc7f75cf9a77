import { afterAll, describe, expect, it } from "vitest";
import { db } from "~/server/db";
import { getHealth } from "~/server/services/health";

describe("getHealth", () => {
  afterAll(() => db.$disconnect());

  it("reports Docker, the database and the base image healthy on a provisioned machine", async () => {
    const health = await getHealth();
    expect(health.checks.docker).toMatchObject({ ok: true });
    expect(health.checks.docker.summary).toMatch(/Docker engine \d+\.\d+/);
    expect(health.checks.database.ok).toBe(true);
    expect(health.checks.database.summary).toMatch(/^Postgres \d+\.\d+ server connected$/);
    expect(health.checks.baseImage.ok).toBe(true);
    expect(health.ok).toBe(true);
  });
});
