// What a database failure means for the person who met it. Prisma, its
// driver adapter and node-postgres each wrap the last one's error, so the
// codes and messages of the whole chain are read.

/** "unavailable": the database cannot be reached; "busy": it is reachable but every connection or the time ran out. */
export type DatabaseFailure = "unavailable" | "busy";

const UNAVAILABLE_CODES = new Set([
  // Prisma: can't reach, timed out connecting, server closed the connection, database missing, auth failed
  "P1001",
  "P1002",
  "P1003",
  "P1017",
  "P1000",
  // node sockets
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EPIPE",
  "EHOSTUNREACH",
  // Postgres: shutting down, crashed, starting up, connection failures
  "57P01",
  "57P02",
  "57P03",
  "08000",
  "08003",
  "08006",
  "08001",
  "08004",
]);
const UNAVAILABLE_KINDS = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TlsConnectionError", "DatabaseDoesNotExist", "AuthenticationFailed", "DatabaseAccessDenied"]);
const UNAVAILABLE_MESSAGES = /Connection terminated|connection is closed|Can't reach database server|terminating connection|the database system is (starting up|shutting down|in recovery mode)|DATABASE_URL is not set/i;

const BUSY_CODES = new Set([
  // Prisma: pool timeout, transaction could not start in time / timed out
  "P2024",
  "P2028",
  "P2034",
  // Postgres: too many connections, statement or lock timeout, deadlock, serialization, idle-in-transaction timeout
  "53300",
  "57014",
  "55P03",
  "40P01",
  "40001",
  "25P03",
]);
const BUSY_KINDS = new Set(["TooManyConnections", "TransactionWriteConflict"]);
const BUSY_MESSAGES = /timeout exceeded when trying to connect|Unable to start a transaction in the given time|Transaction already closed|Query read timeout/i;

type Link = { code?: unknown; kind?: unknown; originalCode?: unknown; message?: unknown; cause?: unknown; meta?: { driverAdapterError?: unknown } };

function chain(error: unknown): Link[] {
  const links: Link[] = [];
  const queue: unknown[] = [error];
  while (queue.length > 0 && links.length < 12) {
    const next = queue.shift();
    if (!next || typeof next !== "object") continue;
    const link = next as Link;
    links.push(link);
    queue.push(link.cause, link.meta?.driverAdapterError);
  }
  return links;
}

export function databaseFailureOf(error: unknown): DatabaseFailure | null {
  const links = chain(error);
  const codes = links.flatMap((link) => [link.code, link.originalCode, link.kind].filter((value): value is string => typeof value === "string"));
  const messages = links.map((link) => (typeof link.message === "string" ? link.message : "")).join("\n");
  if (codes.some((code) => BUSY_CODES.has(code) || BUSY_KINDS.has(code)) || BUSY_MESSAGES.test(messages)) return "busy";
  if (codes.some((code) => UNAVAILABLE_CODES.has(code) || UNAVAILABLE_KINDS.has(code)) || UNAVAILABLE_MESSAGES.test(messages)) return "unavailable";
  return null;
}

/** Postgres unique violation, through Prisma (P2002) or raw from the driver adapter (23505). */
export function isUniqueViolation(error: unknown): boolean {
  return chain(error).some((link) => link.code === "P2002" || link.code === "23505" || link.originalCode === "23505" || link.kind === "UniqueConstraintViolation");
}
