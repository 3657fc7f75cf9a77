import { prewarmSandbox } from "../services/sandboxes";

/** After a sign-in, start the user's sandbox in the background so the workspace opens warm. */
export function onSignedIn(userId: string): void {
  prewarmSandbox(userId);
}
