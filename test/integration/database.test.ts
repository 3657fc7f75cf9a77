import { afterAll, describe, expect, it } from "vitest";
import { db } from "~/server/db";

// Runs against the real Postgres that `npm test` provisions (the embedded server) and migrates.
describe("database", () => {
  afterAll(() => db.$disconnect());

  it("talks to the Postgres server named by DATABASE_URL", async () => {
    const [row] = await db.$queryRaw<{ database: string }[]>`SELECT current_database() AS database`;
    expect(row?.database).toBe(new URL(process.env.DATABASE_URL!).pathname.slice(1));
  });

  it("has every migration applied", async () => {
    const applied = await db.$queryRaw<{ count: bigint }[]>`SELECT count(*) AS count FROM _prisma_migrations WHERE finished_at IS NOT NULL`;
    expect(Number(applied[0]?.count)).toBeGreaterThan(0);
  });

  it("round-trips JSON settings through the driver adapter", async () => {
    const key = `test-${Date.now()}`;
    await db.setting.create({ data: { key, value: { provider: "openai", limits: [1, 2] } } });
    const stored = await db.setting.findUniqueOrThrow({ where: { key } });
    expect(stored.value).toEqual({ provider: "openai", limits: [1, 2] });
    await db.setting.delete({ where: { key } });
  });
});
