// Sandboxes run without a network unless their runtime allows it (the
// runtime's `network` setting; Admin → Runtimes → Advanced). A command that
// fails for that reason prints a resolver error, a pip retry or "curl: not
// found"; this spots those and says, for the model and the user, what is true.

const OFFLINE_SIGNS = [
  /Could not resolve host/i,
  /Temporary failure in name resolution/i,
  /Temporary failure resolving/i,
  /Name or service not known/i,
  /nodename nor servname provided/i,
  /unable to resolve host address/i,
  /getaddrinfo (ENOTFOUND|EAI_AGAIN)/i,
  /Network is unreachable/i,
  /NewConnectionError/,
  /\b(curl|wget)\b:( command)? not found/i,
];

export const NETWORK_HINT =
  'The sandbox has no network access, by design: nothing can be downloaded or fetched from inside it (and curl/wget may not be installed). Work with files in /workspace; the user can upload them. An admin can allow network for a runtime: Admin → Runtimes → edit the runtime → Advanced → "Sandboxes may reach the network" (the runtime\'s `network` setting).';

/** The hint when `output` shows a failure for lack of network in a sandbox without one, else undefined. */
export function networkHint(output: string, networkAllowed: boolean): string | undefined {
  if (networkAllowed || !output) return undefined;
  return OFFLINE_SIGNS.some((sign) => sign.test(output)) ? NETWORK_HINT : undefined;
}
