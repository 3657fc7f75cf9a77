import { expect, test } from "@playwright/test";
import { AuthPage } from "./pages/auth-page";
import { JobsPage } from "./pages/jobs-page";
import { WorkspacePage } from "./pages/workspace-page";
import { PASSWORD } from "./support/accounts";

// Background jobs from the workspace: started from the console, their output
// growing live in the Jobs tab with the exit at the end, stopped from there,
// a toast when one ends while the user is in another tab, and the tab at 390 px.

test("a job started from the console shows live output and its exit; a long one is stopped; a toast tells of one that ended elsewhere", async ({
  page,
}) => {
  test.setTimeout(180_000);
  const workspace = new WorkspacePage(page);
  const jobs = new JobsPage(page);
  await new AuthPage(page).signUp(`jobs-${Date.now()}@example.com`, PASSWORD);
  await workspace.waitForSandbox();

  await test.step("live output, then the exit", async () => {
    const command = "for i in 1 2 3 4 5 6; do echo tick $i; sleep 1; done";
    const row = await jobs.runInBackground(command);
    await expect(row.getByTestId("job-running")).toBeVisible();
    await expect(page.getByTestId("jobs-running-count")).toHaveText("1");
    // Seen while it runs, then more of it: the output grows in place.
    await expect(jobs.output()).toContainText("tick 2", { timeout: 20_000 });
    await expect(row.getByTestId("job-running")).toBeVisible();
    await expect(jobs.output()).toContainText("tick 6", { timeout: 20_000 });
    await expect(row.getByTestId("job-exit")).toHaveAttribute("data-exit-code", "0", { timeout: 20_000 });
    await expect(page.getByTestId("jobs-running-count")).toHaveCount(0);
  });

  await test.step("a long job is stopped from the Jobs tab", async () => {
    const command = "echo started; sleep 600";
    const row = await jobs.runInBackground(command);
    await expect(jobs.output()).toContainText("started", { timeout: 20_000 });
    await row.getByTestId("job-stop").click();
    await expect(row.getByTestId("job-exit")).toBeVisible({ timeout: 20_000 });
    await expect(row.getByTestId("job-exit")).not.toHaveAttribute("data-exit-code", "0");
    await expect(row.getByTestId("job-stop")).toHaveCount(0);
    // The earlier job is still there to look at.
    await expect(await jobs.select("for i in 1 2 3 4 5 6; do echo tick $i; sleep 1; done")).toContainText("tick 6");
  });

  await test.step("a job that ends while the user is in the console is told with a toast", async () => {
    // Ctrl+Enter starts it in the background from the keyboard.
    const input = page.getByTestId("console-input");
    await page.getByTestId("tab-console").click();
    await input.fill("sleep 3; echo finished");
    await input.press("Control+Enter");
    await expect(jobs.job("sleep 3; echo finished")).toBeVisible({ timeout: 20_000 });
    await page.getByTestId("tab-console").click();
    const toast = page.getByTestId("toast-success").filter({ hasText: "Background job finished" });
    await expect(toast).toContainText("sleep 3; echo finished · exit 0", { timeout: 30_000 });
  });

  await test.step("at 390 px the Jobs view fits the screen", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByTestId("mobile-view-jobs").click();
    await expect(jobs.panel()).toBeVisible();
    await expect(jobs.job("sleep 3; echo finished").getByTestId("job-exit")).toBeVisible();
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
  });
});
