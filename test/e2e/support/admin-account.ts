import fs from "node:fs";
import path from "node:path";

// The first account to sign up on the app under test is its admin. The setup
// project creates it once per run; specs that need an admin use its saved
// browser state (cookies) rather than touching the database.

export const ADMIN_STATE_FILE = path.join("test-results", ".auth", "admin.json");
const ADMIN_FILE = path.join("test-results", ".auth", "admin-account.json");

export type AdminAccount = { email: string; password: string };

export function saveAdminAccount(account: AdminAccount): void {
  fs.mkdirSync(path.dirname(ADMIN_FILE), { recursive: true });
  fs.writeFileSync(ADMIN_FILE, JSON.stringify(account));
}

export function adminAccount(): AdminAccount {
  return JSON.parse(fs.readFileSync(ADMIN_FILE, "utf8")) as AdminAccount;
}
