import { expect, type Locator, type Page } from "@playwright/test";

/** The first sandbox start may build the runtime image; later ones take about a second. */
export const SANDBOX_TIMEOUT_MS = 60_000;

/** The workspace: sandbox status, file tree, preview and console, by data-testid. */
export class WorkspacePage {
  constructor(private readonly page: Page) {}

  async goto(): Promise<void> {
    await this.page.goto("/workspace");
  }

  sandboxStatus(): Locator {
    return this.page.getByTestId("sandbox-status");
  }

  async waitForSandbox(): Promise<void> {
    await expect(this.sandboxStatus()).toHaveAttribute("data-state", /running|paused/, { timeout: SANDBOX_TIMEOUT_MS });
  }

  fileRow(name: string): Locator {
    return this.page.getByTestId("file-tree").getByTestId(`file-row-${name}`);
  }

  async upload(name: string, content: string, mimeType = "text/plain"): Promise<void> {
    await this.page.getByTestId("upload-input").setInputFiles({ name, mimeType, buffer: Buffer.from(content) });
    await expect(this.fileRow(name)).toBeVisible({ timeout: SANDBOX_TIMEOUT_MS });
  }

  async newFolder(name: string): Promise<void> {
    await this.page.getByTestId("new-folder").click();
    await this.page.getByTestId("new-folder-name").fill(name);
    await this.page.getByTestId("new-folder-submit").click();
    await expect(this.fileRow(name)).toBeVisible();
  }

  /** Drops files from "the desktop" onto a folder row, as a drag-and-drop would. */
  async dropFiles(folder: string, files: { name: string; content: string }[]): Promise<void> {
    const dataTransfer = await this.page.evaluateHandle((items) => {
      const transfer = new DataTransfer();
      for (const item of items) transfer.items.add(new File([item.content], item.name));
      return transfer;
    }, files);
    const target = this.fileRow(folder);
    await target.dispatchEvent("dragenter", { dataTransfer });
    await target.dispatchEvent("dragover", { dataTransfer });
    await target.dispatchEvent("drop", { dataTransfer });
    for (const file of files) await expect(this.fileRow(file.name)).toBeVisible({ timeout: SANDBOX_TIMEOUT_MS });
  }

  /**
   * Drops a real folder from disk onto the file tree through the browser's own drag path (CDP), so
   * the page gets FileSystemEntry trees, empty folders included, as from a desktop drag.
   */
  async dropFolderFromDisk(localPath: string): Promise<void> {
    const box = await this.page.getByTestId("file-tree").boundingBox();
    if (!box) throw new Error("the file tree is not on screen");
    const cdp = await this.page.context().newCDPSession(this.page);
    try {
      const data = { items: [], files: [localPath], dragOperationsMask: 1 };
      const at = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
      for (const type of ["dragEnter", "dragOver", "drop"] as const)
        await cdp.send("Input.dispatchDragEvent", { type, ...at, data });
    } finally {
      await cdp.detach();
    }
  }

  /** Renames inline from the keyboard (F2, type, Enter). */
  async rename(name: string, newName: string): Promise<void> {
    await this.fileRow(name).focus();
    await this.page.keyboard.press("F2");
    const input = this.page.getByTestId("rename-input");
    await input.fill(newName);
    await input.press("Enter");
    await expect(this.fileRow(newName)).toBeVisible();
    await expect(this.fileRow(name)).toHaveCount(0);
  }

  /** Deletes through the row's context menu and the confirm dialog. */
  async delete(name: string): Promise<void> {
    await this.fileRow(name).click({ button: "right" });
    await this.page.getByTestId("file-action-delete").click();
    await this.page.getByTestId("delete-dialog-confirm").click();
    await expect(this.fileRow(name)).toHaveCount(0);
  }

  async stopSandbox(): Promise<void> {
    await this.sandboxStatus().click();
    await this.page.getByTestId("sandbox-stop").click();
    await expect(this.page.getByTestId("sandbox-stop-dialog")).toContainText("files in /workspace are safe");
    await this.page.getByTestId("sandbox-stop-dialog-confirm").click();
    await expect(this.sandboxStatus()).toHaveAttribute("data-state", /none|asleep/, { timeout: SANDBOX_TIMEOUT_MS });
  }

  async startSandbox(): Promise<void> {
    await this.sandboxStatus().click();
    await this.page.getByTestId("sandbox-start").click();
    await this.waitForSandbox();
  }

  async openFile(name: string): Promise<void> {
    await this.fileRow(name).click();
    await expect(this.page.getByTestId("preview-title")).toHaveText(name);
  }

  previewTable(): Locator {
    return this.page.getByTestId("preview-table");
  }

  /** The data rows the table renders now (it renders only those near the view). */
  previewRows(): Locator {
    return this.page.getByTestId("preview-table").getByTestId("preview-row");
  }

  /** A column's values in the rows rendered now, top to bottom (column 0 is the first after the row number). */
  async previewColumn(index: number): Promise<string[]> {
    return this.previewRows()
      .locator(`td:nth-child(${index + 2})`)
      .allTextContents();
  }

  previewRowCount(): Locator {
    return this.page.getByTestId("preview-row-count");
  }

  consoleOutput(): Locator {
    return this.page.getByTestId("console-output");
  }

  /** Runs a command in the console and waits for its exit code. */
  async runCommand(command: string): Promise<Locator> {
    await this.page.getByTestId("tab-console").click();
    const input = this.page.getByTestId("console-input");
    await input.fill(command);
    await input.press("Enter");
    const entry = this.consoleOutput()
      .getByTestId("console-entry")
      .filter({ has: this.page.getByTestId("console-command").getByText(command, { exact: true }) })
      .last();
    await expect(entry).toHaveAttribute("data-state", "done", { timeout: SANDBOX_TIMEOUT_MS });
    return entry;
  }

  async signOut(): Promise<void> {
    await this.page.getByTestId("user-menu").click();
    await this.page.getByTestId("sign-out").click();
    await this.page.waitForURL("**/sign-in**");
  }
}
