import { expect, request, test } from "@playwright/test";
import { AuthPage } from "./pages/auth-page";
import { WorkspacePage } from "./pages/workspace-page";
import { ADMIN_STATE_FILE } from "./support/admin-account";
import { PASSWORD, unique } from "./support/accounts";

// The workspace says what is true: how much a folder holds before it is
// deleted, and that an admin stopped your sandbox (once, on the next visit).

test("deleting a folder says how many files it holds; an admin's stop of the sandbox is told once", async ({ page }) => {
  test.setTimeout(180_000);
  const workspace = new WorkspacePage(page);
  const email = unique("truths");
  await new AuthPage(page).signUp(email, PASSWORD);
  await workspace.waitForSandbox();

  await test.step("the delete confirmation counts the folder's files and their size", async () => {
    await workspace.newFolder("old-exports");
    await workspace.dropFiles("old-exports", [
      { name: "jan.csv", content: "a,b\n1,2\n" },
      { name: "feb.csv", content: "a,b\n3,4\n5,6\n" },
    ]);
    await workspace.fileRow("old-exports").click({ button: "right" });
    await page.getByTestId("file-action-delete").click();
    const summary = page.getByTestId("delete-dialog-summary");
    await expect(summary).toHaveAttribute("data-state", "counted");
    await expect(summary).toContainText("The folder holds 2 files (20 B)");
    await page.getByTestId("delete-dialog-confirm").click();
    await expect(workspace.fileRow("old-exports")).toHaveCount(0);
  });

  await test.step("an admin stops the sandbox; the next visit says so, once", async () => {
    const admin = await request.newContext({ baseURL: test.info().project.use.baseURL, storageState: ADMIN_STATE_FILE });
    try {
      const sessions = (await (await admin.get("/api/trpc/admin.sessions.list")).json()) as { result: { data: { user: { id: string; email: string } }[] } };
      const userId = sessions.result.data.find((session) => session.user.email === email)?.user.id;
      expect(userId, "the user has a live sandbox").toBeTruthy();
      const stopped = await admin.post("/api/trpc/admin.sessions.stop", { data: { userId } });
      expect(stopped.status(), await stopped.text()).toBe(200);
    } finally {
      await admin.dispose();
    }
    await workspace.goto();
    const notice = page.getByTestId("sandbox-notice");
    await expect(notice).toBeVisible();
    await expect(notice).toHaveAttribute("data-kind", "sandbox_stopped_by_admin");
    await expect(notice).toContainText(/An admin stopped your sandbox at \d{1,2}:\d{2}/);
    await expect(notice).toContainText("Your files are intact; it starts again when you run something.");
    await page.getByTestId("sandbox-notice-dismiss").click();
    await expect(notice).toHaveCount(0);
    await workspace.goto();
    await expect(page.getByTestId("chat-panel")).toBeVisible();
    await expect(page.getByTestId("sandbox-notice")).toHaveCount(0);
  });
});
