/**
 * Rejects requests a browser marks as coming from another site. Browsers send
 * Sec-Fetch-Site on every request and Origin on every POST; non-browser clients
 * (scripts with a session cookie) send neither and are allowed.
 */
export function isCrossSiteRequest(request: Request): boolean {
  const site = request.headers.get("sec-fetch-site");
  if (site === "cross-site" || site === "same-site") return true;
  const origin = request.headers.get("origin");
  if (!origin) return false;
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  try {
    return new URL(origin).host !== host;
  } catch {
    return true;
  }
}
