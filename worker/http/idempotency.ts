import { and, eq, sql } from "drizzle-orm";
import { idempotencyKeys } from "../../schema";
import type { Db } from "../db/index";
import { canonicalJson } from "../lib/canonical-json";
import { sha256Hex } from "../lib/encoding";
import { ApiError } from "../errors/problem";
import { constraintFailed } from "../db/errors";
import { enforce, type RateCounting } from "./rate-limit";
import { compiled, insertRows } from "../db/compiled";

export interface IdempotencyClaim {
  scope: string;
  key: string;
  owner: string;
}

export type ClaimResult = { kind: "claimed"; claim: IdempotencyClaim } | { kind: "replay"; status: number; body: unknown };

export function parseIdempotencyKey(header: string | undefined): string {
  if (!header) throw new ApiError("idempotency-key-required", "send an Idempotency-Key header (a unique id per intended request)");
  if (!/^[\x21-\x7e]{1,255}$/.test(header)) throw new ApiError("bad-request", "Idempotency-Key must be 1-255 visible ASCII characters");
  return header;
}

/**
 * Claims (scope, key) for this request in one round trip. Same key and body as a finished
 * request: its stored response. Same key, other body: 422. Same key still in progress in
 * another request: 409. The claim is completed in the same batch as the business write.
 * `counting` (rate limits) rides in the same round trip; a refusal (429) gives the claim
 * back, so a retry after Retry-After may use the same key.
 */
export async function claimIdempotencyKey(db: Db, scope: string, key: string, body: unknown, now: Date, counting?: RateCounting): Promise<ClaimResult> {
  const requestHash = await requestHashOf(body);
  const owner = crypto.randomUUID();
  const where = and(eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.key, key));
  const [, rows, ...counted] = await db.batch([
    db.insert(idempotencyKeys).values({ scope, key, requestHash, state: "in_progress", owner, createdAt: now.toISOString() }).onConflictDoNothing(),
    db.select().from(idempotencyKeys).where(where),
    ...(counting?.statements ?? []),
  ]);
  const row = rows[0];
  if (!row) throw new ApiError("internal-error", "idempotency key vanished");
  if (counting) {
    try {
      enforce(counting.settle(counted));
    } catch (err) {
      if (row.owner === owner) await releaseIdempotencyKey(db, { scope, key, owner });
      throw err;
    }
  }
  // (the claimer's own row always has its hash)
  if (row.owner === owner) return { kind: "claimed", claim: { scope, key, owner } };
  return { kind: "replay", ...storedAnswer(row, requestHash) };
}

/** What a request is remembered by: the SHA-256 of its body in canonical JSON. */
export function requestHashOf(body: unknown): Promise<string> {
  return sha256Hex(canonicalJson(body));
}

type IdempotencyRow = typeof idempotencyKeys.$inferSelect;

/**
 * The answer a used key gives again: the stored response for the same body; 422 for another
 * body; 409 while the request that claimed it still runs.
 */
export function storedAnswer(row: IdempotencyRow, requestHash: string): { status: number; body: unknown } {
  if (row.requestHash !== requestHash) throw new ApiError("idempotency-key-reused", "this Idempotency-Key was used with a different body");
  if (row.state !== "done") throw new ApiError("conflict", "a request with this Idempotency-Key is still in progress");
  return { status: row.responseStatus ?? 200, body: JSON.parse(row.responseBody ?? "null") };
}

/** The key's row, if it was used: for a read batch (rememberAnswer's requests check it before they write). */
const keyQuery = compiled(["scope", "key"], (db, p) =>
  db
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.scope, p.scope), eq(idempotencyKeys.key, p.key))),
);

export function idempotencyKeyQuery(db: Db, scope: string, key: string) {
  return keyQuery(db, { scope, key });
}

export interface UnclaimedKey {
  scope: string;
  key: string;
  requestHash: string;
  now: Date;
}

/**
 * Claims the key and stores its answer in one statement of the batch that makes the change,
 * for requests that read the key in their read batch instead of claiming it first (one round
 * trip fewer). A plain insert: when a concurrent request with the same key committed first,
 * it violates the key's primary key and the whole batch rolls back (isKeyTaken), so of two
 * such requests exactly one changes anything; the other answers what the first stored.
 */
export function rememberAnswer(db: Db, k: UnclaimedKey, status: number, body: unknown) {
  return insertRows(db, idempotencyKeys, [{
    scope: k.scope,
    key: k.key,
    requestHash: k.requestHash,
    state: "done",
    owner: crypto.randomUUID(),
    responseStatus: status,
    responseBody: JSON.stringify(body),
    createdAt: k.now.toISOString(),
  }]);
}

/** Did rememberAnswer's batch roll back because the key was taken meanwhile? */
export function isKeyTaken(err: unknown): boolean {
  return constraintFailed(err, "UNIQUE", "idempotency_keys.scope");
}

/** After isKeyTaken (a rare race, one more read): the answer the winning request stored. */
export async function answerOfTakenKey(db: Db, k: UnclaimedKey): Promise<{ status: number; body: unknown }> {
  const [row] = await idempotencyKeyQuery(db, k.scope, k.key);
  if (!row) throw new ApiError("internal-error", "idempotency key vanished");
  return storedAnswer(row, k.requestHash);
}

/** The statement that stores the response; put it in the batch that makes the change. */
export function completeIdempotencyKey(db: Db, claim: IdempotencyClaim, status: number, body: unknown) {
  return db
    .update(idempotencyKeys)
    .set({ state: "done", responseStatus: status, responseBody: JSON.stringify(body) })
    .where(and(eq(idempotencyKeys.scope, claim.scope), eq(idempotencyKeys.key, claim.key), eq(idempotencyKeys.owner, claim.owner)));
}

/** Frees a claim whose request failed before anything was stored, so a retry can run. */
export async function releaseIdempotencyKey(db: Db, claim: IdempotencyClaim): Promise<void> {
  await db
    .delete(idempotencyKeys)
    .where(and(eq(idempotencyKeys.scope, claim.scope), eq(idempotencyKeys.key, claim.key), eq(idempotencyKeys.owner, claim.owner), eq(idempotencyKeys.state, "in_progress")));
}

/**
 * How long a key's answer is kept: a client retries within minutes (a lost answer, a flaky
 * network), a doctor's page within the day. After that the key may be used again as new.
 * Keys were a quarter of D1's bytes per signed prescription (docs/scale.md) and never left.
 */
export const IDEMPOTENCY_KEY_DAYS = 7;
/** Keys deleted per cron run at most: bounded, so a run never holds the database. */
export const KEYS_PURGED_PER_RUN = 5000;

/** For the cron: deletes keys older than IDEMPOTENCY_KEY_DAYS, oldest first, at most KEYS_PURGED_PER_RUN. */
export async function purgeExpiredIdempotencyKeys(db: Db, now: Date): Promise<number> {
  const before = new Date(now.getTime() - IDEMPOTENCY_KEY_DAYS * 86_400_000).toISOString();
  const result = await db.run(
    sql`DELETE FROM ${idempotencyKeys} WHERE rowid IN (SELECT rowid FROM ${idempotencyKeys} WHERE ${idempotencyKeys.createdAt} < ${before} ORDER BY ${idempotencyKeys.createdAt} LIMIT ${KEYS_PURGED_PER_RUN})`,
  );
  return result.meta.changes ?? 0;
}
