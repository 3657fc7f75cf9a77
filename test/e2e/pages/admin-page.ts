import { expect, type Locator, type Page } from "@playwright/test";

/** A fresh build of a small apt runtime takes under a minute with a warm apt mirror; allow for a cold one. */
export const BUILD_TIMEOUT_MS = 300_000;

export type RuntimeFormInput = { name: string; description?: string; packageManager?: "apt" | "pip" | "npm" | "cargo"; packages: string; smokeCheck?: string };

/** The admin dashboard: runtimes (form, build dialog), sessions, by data-testid. */
export class AdminPage {
  constructor(private readonly page: Page) {}

  async gotoRuntimes(): Promise<void> {
    await this.page.goto("/admin/runtimes");
    await expect(this.page.getByTestId("runtimes-table"), "the admin dashboard should open for the first account").toBeVisible();
  }

  async gotoSessions(): Promise<void> {
    await this.page.getByTestId("admin-nav-sessions").click();
    await expect(this.page.getByTestId("sessions-table")).toBeVisible();
  }

  runtimeRow(name: string): Locator {
    return this.page.getByTestId(`runtime-row-${name}`);
  }

  runtimeStatus(name: string): Locator {
    return this.page.getByTestId(`runtime-status-${name}`);
  }

  async fillRuntimeForm(input: RuntimeFormInput): Promise<void> {
    await this.page.getByTestId("runtime-new").click();
    const form = this.page.getByTestId("runtime-form");
    await form.getByTestId("runtime-field-name").fill(input.name);
    if (input.description) await form.getByTestId("runtime-field-description").fill(input.description);
    await form.getByTestId("runtime-field-packageManager").selectOption(input.packageManager ?? "apt");
    await form.getByTestId("runtime-field-packages").fill(input.packages);
    if (input.smokeCheck) await form.getByTestId("runtime-field-smokeCheck").fill(input.smokeCheck);
  }

  fieldError(field: string): Locator {
    return this.page.getByTestId("runtime-form").getByTestId(`runtime-error-${field}`);
  }

  async saveAndBuild(): Promise<void> {
    await this.page.getByTestId("runtime-form-submit-build").click();
    await expect(this.page.getByTestId("runtime-form-dialog")).toBeHidden();
    await expect(this.page.getByTestId("build-dialog")).toBeVisible();
  }

  async cancelForm(): Promise<void> {
    await this.page.getByTestId("runtime-form-cancel").click();
    await expect(this.page.getByTestId("runtime-form-dialog")).toBeHidden();
  }

  buildStatus(): Locator {
    return this.page.getByTestId("build-status");
  }

  buildLog(): Locator {
    return this.page.getByTestId("build-log");
  }

  async closeBuild(): Promise<void> {
    await this.page.getByTestId("build-close").click();
    await expect(this.page.getByTestId("build-dialog")).toBeHidden();
  }

  async deleteRuntime(name: string): Promise<void> {
    await this.page.getByTestId(`runtime-actions-${name}`).click();
    await this.page.getByTestId(`runtime-delete-${name}`).click();
    await this.page.getByTestId("runtime-delete-confirm-confirm").click();
    await expect(this.runtimeRow(name)).toHaveCount(0);
  }

  sessionRow(email: string): Locator {
    return this.page.getByTestId(`session-row-${email}`);
  }

  async stopSession(email: string): Promise<void> {
    await this.page.getByTestId(`session-stop-${email}`).click();
    await this.page.getByTestId("session-confirm-confirm").click();
  }
}
