// A second app process for the crowd test: the same code and database as the
// test's own process, started with its environment. Reads the accounts as JSON
// from argv, signs them in at once, prints the results as JSON, and leaves the
// sandboxes running (as an app process does when it stops).
import { signInCrowd } from "./sign-in-crowd";

const accounts = JSON.parse(process.argv[2] ?? "[]") as { email: string; password: string }[];
const results = await signInCrowd(accounts);
const { sandboxPlatform } = await import("~/server/services/sandbox-manager");
const { db } = await import("~/server/db");
await sandboxPlatform().manager.shutdown({ keepContainers: true });
await db.$disconnect();
console.log(JSON.stringify(results));
process.exit(0);
