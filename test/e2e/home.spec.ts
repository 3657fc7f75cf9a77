import { expect, test } from "@playwright/test";

test("the landing page says what Tidepool is, links to sign in and sign up, and reports health in one line", async ({
  page,
}) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Tidepool", level: 1 })).toBeVisible();
  await expect(page.getByTestId("landing-sign-in")).toBeVisible();
  await expect(page.getByTestId("landing-sign-in")).toHaveAttribute("href", "/sign-in");
  await expect(page.getByTestId("landing-sign-up")).toHaveAttribute("href", "/sign-up");
  await expect(page.getByTestId("health-summary")).toHaveText("Everything is healthy");
  // Healthy: the details stay folded under the status line until asked for.
  await expect(page.getByTestId("health-docker")).toBeHidden();
  await page.getByTestId("health-summary").click();
  for (const id of ["docker", "database", "base-image"] as const) {
    await expect(page.getByTestId(`health-${id}`)).toHaveAttribute("data-ok", "true");
  }
  await expect(page.getByTestId("health-docker")).toContainText("Docker engine");
  // The default configuration runs the embedded Postgres under DATA_DIR.
  await expect(page.getByTestId("health-database")).toContainText(/Embedded Postgres \d+\.\d+ in .+\/postgres/);

  await page.getByTestId("landing-sign-up").click();
  await expect(page).toHaveURL(/\/sign-up$/);
});

test("GET /api/health answers JSON with every check", async ({ request }) => {
  const response = await request.get("/api/health");
  expect(response.status()).toBe(200);
  const body = (await response.json()) as { ok: boolean; checks: Record<string, unknown> };
  expect(body.ok).toBe(true);
  expect(Object.keys(body.checks).sort()).toEqual(["baseImage", "database", "docker"]);
});
