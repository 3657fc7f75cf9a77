import { randomBytes } from "node:crypto";
import { InvalidSessionIdError } from "./errors";

// Ids become part of host paths ({root}/{id}/workspace) and container names:
// only a conservative alphabet goes through.
const ID_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_-]{0,63}$/;

export function isValidId(id: unknown): id is string {
  return typeof id === "string" && ID_PATTERN.test(id);
}

export function validateId(id: string): string {
  if (!isValidId(id)) throw new InvalidSessionIdError(String(id));
  return id;
}

export function randomId(prefix = "sbx"): string {
  return `${prefix}-${randomBytes(10).toString("hex")}`;
}
