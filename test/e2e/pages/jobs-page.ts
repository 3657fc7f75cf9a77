import { expect, type Locator, type Page } from "@playwright/test";
import { SANDBOX_TIMEOUT_MS } from "./workspace-page";

/** The Jobs tab of the workspace (background jobs), and the console's "Run in background", by data-testid. */
export class JobsPage {
  constructor(private readonly page: Page) {}

  panel(): Locator {
    return this.page.getByTestId("jobs-panel");
  }

  async open(): Promise<void> {
    await this.page.getByTestId("tab-jobs").click();
    await expect(this.panel()).toBeVisible();
  }

  /** Types a command in the console and starts it in the background; the Jobs tab opens on it. */
  async runInBackground(command: string): Promise<Locator> {
    await this.page.getByTestId("tab-console").click();
    await this.page.getByTestId("console-input").fill(command);
    await this.page.getByTestId("console-run-background").click();
    await expect(this.panel()).toBeVisible({ timeout: SANDBOX_TIMEOUT_MS });
    const row = this.job(command);
    await expect(row).toBeVisible({ timeout: SANDBOX_TIMEOUT_MS });
    return row;
  }

  /** The newest job running `command`. */
  job(command: string): Locator {
    return this.panel()
      .getByTestId(/^job-p\d+$/)
      .filter({ has: this.page.getByTestId("job-command").getByText(command, { exact: true }) })
      .first();
  }

  /** Shows the job's output (the newest job is shown until another is picked). */
  async select(command: string): Promise<Locator> {
    await this.job(command).getByTestId("job-select").click();
    return this.output();
  }

  output(): Locator {
    return this.panel().getByTestId("job-output");
  }
}
