import { ApiError } from "../errors/problem";

/**
 * If-Match for the versioned resources (formulary entries, settings, 点评 items): the version
 * the caller saw, quoted or not, weak or strong. Missing is 428 (a write must say what it was
 * based on), anything else that is not a version is 412.
 */
export function parseIfMatchVersion(header: string | undefined, what: { version: string; example: string }): number {
  if (header === undefined) throw new ApiError("precondition-required", `send If-Match with ${what.version}`);
  const match = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(header);
  if (!match?.[1]) throw new ApiError("precondition-failed", `If-Match must be ${what.version}, e.g. "${what.example}"`);
  return Number(match[1]);
}
