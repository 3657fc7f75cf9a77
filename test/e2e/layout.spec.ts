import fs from "node:fs";
import path from "node:path";
import { expect, type Page, test } from "@playwright/test";
import { AuthPage } from "./pages/auth-page";
import { SANDBOX_TIMEOUT_MS, WorkspacePage } from "./pages/workspace-page";
import { PASSWORD } from "./support/accounts";

// The analyst's layout: chat and preview side by side at desktop width, a table
// preview to sort, filter and summarise, thousands of rows virtualised, and at
// phone width (390 px) stacked panels with no sideways scroll.

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

function uniqueEmail(): string {
  return `layout-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`;
}

async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
}

test("the landing page links to sign in and sign up and fits a phone", async ({ page }, testInfo) => {
  for (const size of [PHONE, DESKTOP]) {
    await page.setViewportSize(size);
    await page.goto("/");
    await expect(page.getByTestId("landing-sign-in")).toBeVisible();
    await expect(page.getByTestId("landing-sign-up")).toBeVisible();
    await expectNoSidewaysScroll(page);
    await page.screenshot({ path: testInfo.outputPath(`landing-${size.width}.png`), fullPage: true });
  }
});

test("a table previews beside the chat, sorts, filters and summarises its columns, and the workspace stacks on a phone", async ({
  page,
}, testInfo) => {
  test.setTimeout(180_000);
  await page.setViewportSize(DESKTOP);
  const auth = new AuthPage(page);
  const workspace = new WorkspacePage(page);
  const fileName = `tide-readings-${Date.now()}.csv`;
  const csv = fs.readFileSync(path.join("test", "fixtures", "datasets", "tide-readings.csv"), "utf8");

  await auth.signUp(uniqueEmail(), PASSWORD);
  await workspace.waitForSandbox();
  await workspace.upload(fileName, csv, "text/csv");
  await workspace.openFile(fileName);
  await expect(workspace.previewRows()).toHaveCount(6, { timeout: SANDBOX_TIMEOUT_MS });

  // Side by side: the chat on the left, the preview on the right, both in view.
  const chat = page.getByTestId("panel-chat");
  const preview = page.getByTestId("panel-preview");
  await expect(chat).toBeVisible();
  await expect(preview).toBeVisible();
  const chatBox = (await chat.boundingBox())!;
  const previewBox = (await preview.boundingBox())!;
  expect(chatBox.x + chatBox.width).toBeLessThanOrEqual(previewBox.x);
  expect(previewBox.x + previewBox.width).toBeLessThanOrEqual(DESKTOP.width);
  expect(chatBox.width).toBeGreaterThan(300);
  await expect(page.getByTestId("chat-input")).toBeVisible();

  // Sorting the numeric column: ascending puts the lowest first, descending the highest; the missing cell stays last.
  await expect(page.getByTestId("preview-type-1")).toHaveText("float");
  await page.getByTestId("preview-sort-1").click();
  await expect(page.getByTestId("preview-column-1")).toHaveAttribute("aria-sort", "ascending");
  expect(await workspace.previewColumn(1)).toEqual(["-3.2", "8.4", "12.5", "21.0", "30.1", ""]);
  // From the keyboard: Enter on the focused header sorts descending.
  await page.getByTestId("preview-sort-1").press("Enter");
  await expect(page.getByTestId("preview-column-1")).toHaveAttribute("aria-sort", "descending");
  expect((await workspace.previewColumn(1))[0]).toBe("30.1");
  expect(await workspace.previewColumn(0)).toEqual(["cliff", "lighthouse", "harbour", "marsh", "dunes", "pier"]);

  // The filter narrows the rows (any column, any case); Escape clears it.
  const filter = page.getByTestId("preview-filter");
  await filter.fill("OK");
  await expect(workspace.previewRows()).toHaveCount(4);
  await expect(workspace.previewRowCount()).toContainText("4 of 6 rows match");
  await filter.fill("frost");
  await expect(workspace.previewRows()).toHaveCount(1);
  expect(await workspace.previewColumn(0)).toEqual(["dunes"]);
  await filter.press("Escape");
  await expect(filter).toHaveValue("");
  await expect(workspace.previewRows()).toHaveCount(6);

  // The column summary: missing cells as pandas counts them (empty and "NA"), a histogram, top values.
  await page.getByTestId("preview-summary-toggle").click();
  await expect(page.getByTestId("preview-summary-1-missing")).toHaveText("1 missing");
  await expect(page.getByTestId("preview-summary-2-missing")).toHaveText("2 missing");
  await expect(page.getByTestId("preview-summary-1").getByRole("img", { name: /^Histogram/ })).toBeVisible();
  await expect(page.getByTestId("preview-summary-3")).toContainText("ok");
  // The summary follows the filter, and says so.
  await filter.fill("ok");
  await expect(page.getByTestId("preview-summary-1-scope")).toHaveText("of 4 filtered rows");
  await expect(page.getByTestId("preview-summary-1-missing")).toHaveText("1 missing");
  await expect(page.getByTestId("preview-summary-2-missing")).toHaveText("1 missing");
  await filter.press("Escape");
  await expect(page.getByTestId("preview-summary-1-scope")).toHaveCount(0);
  await expect(page.getByTestId("preview-summary-2-missing")).toHaveText("2 missing");
  await page.screenshot({ path: testInfo.outputPath("workspace-1280.png") });

  // The handle resizes from the keyboard and the width is remembered after a reload.
  const handle = page.getByTestId("split-handle");
  const before = Number(await handle.getAttribute("aria-valuenow"));
  await handle.focus();
  await page.keyboard.press("ArrowLeft");
  await expect(handle).toHaveAttribute("aria-valuenow", String(before + 24));
  const widened = (await preview.boundingBox())!.width;
  expect(widened).toBeGreaterThan(previewBox.width);

  // A pointer drag moves it too: 100 px to the right narrows the preview by 100 px.
  const handleBox = (await handle.boundingBox())!;
  const handleX = handleBox.x + handleBox.width / 2;
  const handleY = handleBox.y + handleBox.height / 2;
  await page.mouse.move(handleX, handleY);
  await page.mouse.down();
  await page.mouse.move(handleX + 50, handleY);
  await page.mouse.move(handleX + 100, handleY);
  await page.mouse.up();
  await expect(handle).toHaveAttribute("aria-valuenow", String(before + 24 - 100));

  // Escape inside the preview closes it; the file can be shown again from the tab bar.
  await page.getByTestId("preview-sort-0").focus();
  await page.keyboard.press("Escape");
  await expect(preview).toBeHidden();
  await page.getByTestId("preview-reopen").click();
  await expect(preview).toBeVisible();

  await page.reload();
  await workspace.waitForSandbox();
  // Opened from the keyboard this time: Enter on the focused file row.
  await workspace.fileRow(fileName).focus();
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("preview-title")).toHaveText(fileName);
  await expect(page.getByTestId("split-handle")).toHaveAttribute("aria-valuenow", String(before + 24 - 100));

  // A phone: one panel at a time, no sideways scroll, a message box wide enough to type in.
  await page.setViewportSize(PHONE);
  await expect(page.getByTestId("mobile-views")).toBeVisible();
  await page.getByTestId("mobile-view-chat").click();
  await expect(page.getByTestId("chat-input")).toBeVisible();
  expect((await page.getByTestId("chat-input").boundingBox())!.width).toBeGreaterThan(250);
  await expect(page.getByTestId("chat-list")).toHaveCount(0);
  await expectNoSidewaysScroll(page);
  await page.screenshot({ path: testInfo.outputPath("workspace-390-chat.png") });
  await page.getByTestId("mobile-view-files").click();
  await expect(workspace.fileRow(fileName)).toBeVisible();
  await expectNoSidewaysScroll(page);
  await workspace.fileRow(fileName).click();
  await expect(page.getByTestId("preview-title")).toHaveText(fileName);
  await expect(workspace.previewRows()).toHaveCount(6);
  await expectNoSidewaysScroll(page);
  await page.screenshot({ path: testInfo.outputPath("workspace-390-preview.png") });

  // Signed in, the landing page leads back to the workspace instead of to the sign-in forms.
  await page.goto("/");
  await expect(page.getByTestId("landing-open-workspace")).toBeVisible();
  await expect(page.getByTestId("landing-sign-in")).toHaveCount(0);
  await expectNoSidewaysScroll(page);
  await page.getByTestId("landing-open-workspace").click();
  await page.waitForURL("**/workspace");
});

test("thousands of rows scroll without rendering them all, and sort across every row", async ({ page }) => {
  test.setTimeout(180_000);
  await page.setViewportSize(DESKTOP);
  const auth = new AuthPage(page);
  const workspace = new WorkspacePage(page);
  const fileName = `many-${Date.now()}.csv`;
  const rows = Array.from(
    { length: 3000 },
    (_item, index) => `${index + 1},${(index * 7919) % 3001},name-${index + 1}`,
  );
  const csv = ["id,score,name", ...rows].join("\n") + "\n";

  await auth.signUp(uniqueEmail(), PASSWORD);
  await workspace.waitForSandbox();
  await workspace.upload(fileName, csv, "text/csv");
  await workspace.openFile(fileName);
  await expect(workspace.previewRowCount()).toContainText("3,000 rows", { timeout: SANDBOX_TIMEOUT_MS });
  const rendered = await workspace.previewRows().count();
  expect(rendered).toBeGreaterThan(5);
  expect(rendered).toBeLessThan(100);

  // Scrolled to the end, the last row is there and still only a window of rows is rendered.
  await workspace.previewTable().evaluate((element) => element.scrollTo(0, element.scrollHeight));
  await expect(workspace.previewRows().last()).toContainText("name-3000");
  expect(await workspace.previewRows().count()).toBeLessThan(100);

  // Descending by score: the highest of all 3,000 rows comes first, not the highest rendered.
  await workspace.previewTable().evaluate((element) => element.scrollTo(0, 0));
  await page.getByTestId("preview-sort-1").click();
  await page.getByTestId("preview-sort-1").click();
  const highest = Math.max(...rows.map((row) => Number(row.split(",")[1])));
  expect((await workspace.previewColumn(1))[0]).toBe(String(highest));
});
