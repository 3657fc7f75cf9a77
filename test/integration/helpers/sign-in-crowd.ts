import { onSignedIn } from "~/server/auth/sign-in-hooks";
import { sandboxFor } from "~/server/services/sandboxes";
import { verifyCredentials } from "~/server/services/users";

// Many people signing in at once, as the sign-in route handles each: the
// password check, then the sandbox prewarm it starts in the background; then
// each person's first command. Every step has a bound: a hang is a failure.

export type Account = { email: string; password: string };
export type CrowdResult = { email: string; userId: string | null; output: string | null; error: string | null; ms: number };

export const PER_PERSON_TIMEOUT_MS = 240_000;

function bounded<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms / 1000} s`)), ms)));
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export function signInCrowd(accounts: Account[]): Promise<CrowdResult[]> {
  return Promise.all(
    accounts.map(async ({ email, password }): Promise<CrowdResult> => {
      const started = Date.now();
      let userId: string | null = null;
      try {
        const output = await bounded(
          (async () => {
            const user = await verifyCredentials(email, password);
            userId = user.id;
            onSignedIn(user.id);
            const sandbox = await sandboxFor(user.id);
            return (await sandbox.execute("echo ready")).output;
          })(),
          PER_PERSON_TIMEOUT_MS,
          `${email}'s sign-in and first command`,
        );
        return { email, userId, output, error: null, ms: Date.now() - started };
      } catch (error) {
        return { email, userId, output: null, error: error instanceof Error ? error.message : String(error), ms: Date.now() - started };
      }
    }),
  );
}
