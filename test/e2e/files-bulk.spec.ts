import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { AuthPage } from "./pages/auth-page";
import { SANDBOX_TIMEOUT_MS, WorkspacePage } from "./pages/workspace-page";
import { PASSWORD } from "./support/accounts";

/** The files of a zip, read by Python's zipfile (not by our own writer). */
function unzipWithPython(file: string): Record<string, Buffer> {
  const script = `
import sys, zipfile, json, base64
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None
print(json.dumps({i.filename: base64.b64encode(z.read(i)).decode() for i in z.infolist() if not i.is_dir()}))`;
  const read = JSON.parse(execFileSync("python3", ["-c", script, file], { encoding: "utf8" })) as Record<
    string,
    string
  >;
  return Object.fromEntries(Object.entries(read).map(([name, data]) => [name, Buffer.from(data, "base64")]));
}

test("a folder uploaded with the picker appears in the tree and downloads as a byte-exact zip", async ({ page }) => {
  test.setTimeout(180_000);
  const auth = new AuthPage(page);
  const workspace = new WorkspacePage(page);
  const folder = `survey-${Date.now()}`;
  const files: Record<string, Buffer> = {
    [`${folder}/readme.txt`]: Buffer.from("Survey data, wave 1\n"),
    [`${folder}/responses.csv`]: Buffer.from("id,score\n1,4\n2,5\n"),
    [`${folder}/raw/answers.json`]: Buffer.from('{"q1": "yes"}\n'),
    [`${folder}/raw/scan.bin`]: randomBytes(150_000),
  };
  const local = fs.mkdtempSync(path.join(os.tmpdir(), "files-bulk-e2e-"));
  for (const [name, data] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(local, name)), { recursive: true });
    fs.writeFileSync(path.join(local, name), data);
  }

  await auth.signUp(`bulk-${Date.now()}@example.com`, PASSWORD);
  await workspace.waitForSandbox();

  await page.getByTestId("upload-folder-input").setInputFiles(path.join(local, folder));
  await expect(workspace.fileRow(folder)).toBeVisible({ timeout: SANDBOX_TIMEOUT_MS });
  await expect(page.getByTestId("toast-success").getByText(`Uploaded “${folder}”`)).toBeVisible();
  await workspace.fileRow(folder).click();
  await expect(workspace.fileRow("raw")).toBeVisible();
  await workspace.fileRow("raw").click();
  await expect(workspace.fileRow("scan.bin")).toBeVisible();

  await workspace.fileRow(folder).click({ button: "right" });
  const downloading = page.waitForEvent("download");
  await page.getByTestId("file-action-download-zip").click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe(`${folder}.zip`);
  const zipFile = path.join(local, "out.zip");
  await download.saveAs(zipFile);
  const read = unzipWithPython(zipFile);
  expect(Object.keys(read).sort()).toEqual(Object.keys(files).sort());
  for (const [name, data] of Object.entries(files)) expect(read[name]?.equals(data), name).toBe(true);

  const whole = page.waitForEvent("download");
  await page.getByTestId("download-workspace").click();
  expect((await whole).suggestedFilename()).toBe("workspace.zip");
  fs.rmSync(local, { recursive: true, force: true });
});

test("a folder dropped from the desktop arrives with its empty folders", async ({ page }) => {
  test.setTimeout(180_000);
  const workspace = new WorkspacePage(page);
  const folder = `dropped-${Date.now()}`;
  const local = fs.mkdtempSync(path.join(os.tmpdir(), "files-bulk-drop-e2e-"));
  try {
    fs.mkdirSync(path.join(local, folder, "empty"), { recursive: true });
    fs.mkdirSync(path.join(local, folder, "nested", "deeper"), { recursive: true });
    fs.writeFileSync(path.join(local, folder, "notes.txt"), "kept\n");

    await new AuthPage(page).signUp(`drop-${Date.now()}@example.com`, PASSWORD);
    await workspace.waitForSandbox();
    await workspace.dropFolderFromDisk(path.join(local, folder));
    await expect(workspace.fileRow(folder)).toBeVisible({ timeout: SANDBOX_TIMEOUT_MS });
    await expect(page.getByTestId("toast-success").getByText(`Uploaded “${folder}”`)).toBeVisible();
    await workspace.fileRow(folder).click();
    await expect(workspace.fileRow("notes.txt")).toBeVisible();
    await expect(workspace.fileRow("empty")).toBeVisible();
    await workspace.fileRow("nested").click();
    await expect(workspace.fileRow("deeper")).toBeVisible();

    // The zip of the folder holds the empty folders too.
    await workspace.fileRow(folder).click({ button: "right" });
    const downloading = page.waitForEvent("download");
    await page.getByTestId("file-action-download-zip").click();
    const zipFile = path.join(local, "out.zip");
    await (await downloading).saveAs(zipFile);
    const names = execFileSync("unzip", ["-Z1", zipFile], { encoding: "utf8" }).trim().split("\n").sort();
    expect(names).toEqual([`${folder}/empty/`, `${folder}/nested/`, `${folder}/nested/deeper/`, `${folder}/notes.txt`]);
  } finally {
    fs.rmSync(local, { recursive: true, force: true });
  }
});
