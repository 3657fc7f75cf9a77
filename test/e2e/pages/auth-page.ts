import { expect, type Page } from "@playwright/test";

/** The sign-up and sign-in forms. */
export class AuthPage {
  constructor(private readonly page: Page) {}

  async signUp(email: string, password: string): Promise<void> {
    await this.page.goto("/sign-up");
    await this.submit(email, password);
  }

  async signIn(email: string, password: string): Promise<void> {
    if (!this.page.url().includes("/sign-in")) await this.page.goto("/sign-in");
    await this.submit(email, password);
  }

  async expectOnSignIn(): Promise<void> {
    await expect(this.page).toHaveURL(/\/sign-in/);
    await expect(this.page.getByTestId("auth-submit")).toBeVisible();
  }

  private async submit(email: string, password: string): Promise<void> {
    await this.page.getByTestId("auth-email").fill(email);
    await this.page.getByTestId("auth-password").fill(password);
    await this.page.getByTestId("auth-submit").click();
    // A plain visit reopens the last chat (?chat=<id>), so the address may carry it.
    await this.page.waitForURL(/\/workspace(\?.*)?$/);
  }
}
