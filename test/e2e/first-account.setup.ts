import { expect, test as setup } from "@playwright/test";
import { AuthPage } from "./pages/auth-page";
import { ADMIN_STATE_FILE, saveAdminAccount } from "./support/admin-account";

// On a fresh app (the default configuration: embedded database, generated
// secret), the first account to sign up is the admin: it opens /admin and
// every tab. Its session is saved for the specs that act as the admin.

const TABS = [
  { nav: "admin-nav-runtimes", path: "/admin/runtimes", shows: "runtimes-table" },
  { nav: "admin-nav-sessions", path: "/admin/sessions", shows: "sessions-table" },
  { nav: "admin-nav-users", path: "/admin/users", shows: "users-table" },
  { nav: "admin-nav-settings", path: "/admin/settings", shows: "model-settings-form" },
] as const;

setup("the first account is the admin and opens /admin and each tab", async ({ page }) => {
  const account = { email: `admin-${Date.now()}@example.com`, password: "tide-pool-e2e-password" };
  await new AuthPage(page).signUp(account.email, account.password);

  await page.goto("/admin");
  await expect(page).toHaveURL(/\/admin\/runtimes$/);
  for (const tab of TABS) {
    await page.getByTestId(tab.nav).click();
    await expect(page).toHaveURL(new RegExp(`${tab.path}$`));
    await expect(page.getByTestId(tab.shows)).toBeVisible();
  }
  // The built-ins are seeded, the first account is listed as the admin, and its own sandbox shows in Sessions.
  await page.getByTestId("admin-nav-runtimes").click();
  await expect(page.getByTestId("runtime-row-python-datascience")).toBeVisible();
  await page.getByTestId("admin-nav-users").click();
  await expect(page.getByTestId(`user-role-${account.email}`)).toHaveValue("ADMIN");
  await page.getByTestId("admin-nav-sessions").click();
  await expect(page.getByTestId(`session-state-${account.email}`)).toHaveAttribute("data-state", "running", { timeout: 60_000 });

  saveAdminAccount(account);
  await page.context().storageState({ path: ADMIN_STATE_FILE });
});
