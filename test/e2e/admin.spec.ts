import { expect, test } from "@playwright/test";
import Docker from "dockerode";
import { AdminPage, BUILD_TIMEOUT_MS } from "./pages/admin-page";
import { AuthPage } from "./pages/auth-page";
import { SANDBOX_TIMEOUT_MS, WorkspacePage } from "./pages/workspace-page";
import { ADMIN_STATE_FILE } from "./support/admin-account";
import { PASSWORD, unique } from "./support/accounts";

// The admin dashboard end to end, in two browser contexts: the admin (the
// first account, made by the setup project) builds a runtime "jq-tools" with
// its log streamed to "ready", a normal user switches to it and runs jq in the
// console, and the admin finds and stops that user's sandbox.

const RUNTIME = "jq-tools";

test.afterAll(async () => {
  // The built image, unless a sandbox (this run's or a concurrent one's) still uses it: Docker refuses then.
  const docker = new Docker({ socketPath: "/var/run/docker.sock" });
  const images = await docker.listImages({ filters: { reference: [`tidepool/runtime:${RUNTIME}-*`] } }).catch(() => []);
  for (const image of images) for (const tag of image.RepoTags ?? []) await docker.getImage(tag).remove().catch(() => {});
});

test("an admin builds jq-tools, a user switches to it and runs jq, the admin stops that user's sandbox", async ({ browser }) => {
  test.setTimeout(BUILD_TIMEOUT_MS + 180_000);
  const adminContext = await browser.newContext({ storageState: ADMIN_STATE_FILE });
  const userContext = await browser.newContext();
  const adminPage = await adminContext.newPage();
  const userPage = await userContext.newPage();
  const admin = new AdminPage(adminPage);
  const userEmail = unique("analyst");

  await test.step("the admin opens the dashboard", async () => {
    await admin.gotoRuntimes();
    await expect(admin.runtimeStatus("python-datascience")).toBeVisible();
    await expect(adminPage.getByTestId("runtime-is-default-python-datascience")).toBeVisible();
  });

  await test.step("an invalid package is refused with the field named", async () => {
    await admin.fillRuntimeForm({ name: "bad-pip", packageManager: "pip", packages: "numpy numpy;id" });
    await adminPage.getByTestId("runtime-form-submit").click();
    await expect(admin.fieldError("packages")).toContainText('"numpy;id"');
    await expect(adminPage.getByTestId("runtime-field-packages")).toHaveAttribute("aria-invalid", "true");
    await admin.cancelForm();
    await expect(admin.runtimeRow("bad-pip")).toHaveCount(0);
  });

  await test.step("creates jq-tools and watches its build log stream to ready", async () => {
    await admin.fillRuntimeForm({ name: RUNTIME, description: "jq for JSON on the command line", packages: "jq", smokeCheck: "jq --version" });
    await admin.saveAndBuild();
    await expect(admin.buildLog()).toContainText(`tidepool/runtime:${RUNTIME}-`, { timeout: 60_000 });
    await expect(admin.buildStatus()).toHaveAttribute("data-phase", "ready", { timeout: BUILD_TIMEOUT_MS });
    // A build streams its steps and the smoke check's output (apt's own lines only when Docker's layer cache
    // misses); an image left by an earlier run says it is already built.
    await expect(admin.buildLog()).toContainText(/Install apt packages: jq[\s\S]*Smoke check: jq --version[\s\S]*jq-1\.|already built/);
    await expect(adminPage.getByTestId("build-progress")).toHaveAttribute("data-value", "100");
    await admin.closeBuild();
    await expect(admin.runtimeStatus(RUNTIME)).toHaveAttribute("data-status", "READY");
    await expect(admin.runtimeRow(RUNTIME)).toContainText("MB");
  });

  const workspace = new WorkspacePage(userPage);
  await test.step("a normal user switches their sandbox to jq-tools and runs jq --version in the console", async () => {
    await new AuthPage(userPage).signUp(userEmail, PASSWORD);
    await workspace.waitForSandbox();
    await userPage.goto("/admin/runtimes");
    await expect(userPage.getByTestId("runtimes-table")).toHaveCount(0); // not for them

    await userPage.goto("/settings");
    const option = userPage.getByTestId(`runtime-option-${RUNTIME}`);
    await expect(option).toContainText("jq for JSON");
    await userPage.getByTestId(`runtime-choose-${RUNTIME}`).click();
    await expect(option).toHaveAttribute("data-current", "true", { timeout: SANDBOX_TIMEOUT_MS });
    await expect(userPage.getByTestId("toast-success")).toContainText(`now runs ${RUNTIME}`);

    await workspace.goto();
    await workspace.waitForSandbox();
    const run = await workspace.runCommand("jq --version");
    await expect(run).toContainText(/jq-1\.\d+/);
    await expect(run.getByTestId("console-exit-code")).toHaveAttribute("data-exit-code", "0");
    // The user leaves; their sandbox keeps running until it idles out or an admin stops it.
    await userContext.close();
  });

  await test.step("the admin sees that user's session on jq-tools and stops it", async () => {
    await admin.gotoSessions();
    const row = admin.sessionRow(userEmail);
    await expect(row).toContainText(RUNTIME);
    await expect(adminPage.getByTestId(`session-state-${userEmail}`)).toHaveAttribute("data-state", "running");
    await adminPage.getByTestId(`session-activity-${userEmail}`).click();
    await expect(adminPage.getByTestId("activity-dialog").getByTestId("activity-row").first()).toBeVisible();
    await expect(adminPage.getByTestId("activity-dialog")).toContainText("sandbox.choose_runtime");
    await adminPage.keyboard.press("Escape");
    await admin.stopSession(userEmail);
    await expect(adminPage.getByTestId("toast-success")).toContainText("Sandbox stopped");
    await expect(row).toHaveCount(0);
  });

  await test.step("with nobody on it any more, the admin deletes jq-tools", async () => {
    await adminPage.getByTestId("admin-nav-runtimes").click();
    await admin.deleteRuntime(RUNTIME);
  });

  await adminContext.close();
});
