import { and, eq } from "drizzle-orm";
import { idempotencyKeys } from "../../schema";
import type { Db } from "../db/index";
import { canonicalJson } from "../lib/canonical-json";
import { sha256Hex } from "../lib/encoding";
import { ApiError } from "../errors/problem";
import { enforce, type RateCounting } from "./rate-limit";

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
  const requestHash = await sha256Hex(canonicalJson(body));
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
  if (row.requestHash !== requestHash) throw new ApiError("idempotency-key-reused", "this Idempotency-Key was used with a different body");
  if (row.owner === owner) return { kind: "claimed", claim: { scope, key, owner } };
  if (row.state === "done") return { kind: "replay", status: row.responseStatus ?? 200, body: JSON.parse(row.responseBody ?? "null") };
  throw new ApiError("conflict", "a request with this Idempotency-Key is still in progress");
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
