/** What happens right after a sign-in; sandbox prewarming plugs in here. */
export function onSignedIn(_userId: string): void {}
