import { expect, test } from "@playwright/test";

test("the home page reports the platform healthy", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Tidepool" })).toBeVisible();
  await expect(page.getByTestId("health-summary")).toHaveText("Everything is healthy");
  for (const id of ["docker", "database", "base-image"] as const) {
    await expect(page.getByTestId(`health-${id}`)).toHaveAttribute("data-ok", "true");
  }
  await expect(page.getByTestId("health-docker")).toContainText("Docker engine");
  // The default configuration runs the embedded Postgres under DATA_DIR.
  await expect(page.getByTestId("health-database")).toContainText(/Embedded Postgres \d+\.\d+ in .+\/postgres/);
});

test("GET /api/health answers JSON with every check", async ({ request }) => {
  const response = await request.get("/api/health");
  expect(response.status()).toBe(200);
  const body = (await response.json()) as { ok: boolean; checks: Record<string, unknown> };
  expect(body.ok).toBe(true);
  expect(Object.keys(body.checks).sort()).toEqual(["baseImage", "database", "docker"]);
});
