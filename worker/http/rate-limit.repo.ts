import { and, eq, gt, lt, sql } from "drizzle-orm";
import { rateLimits } from "../../schema";
import type { Db } from "../db/index";
import { compiled } from "../db/compiled";

/**
 * The rate_limits table: one counter per (key, fixed window). Statements are returned
 * unexecuted so they ride in the caller's batch (one round trip with what they guard).
 */

/** Counts one hit in the window (creating its row) and returns the new count. */
const countHit = compiled(["key", "windowStart"], (db, p) =>
  db
    .insert(rateLimits)
    .values({ key: p.key, windowStart: p.windowStart, count: 1 })
    .onConflictDoUpdate({ target: [rateLimits.key, rateLimits.windowStart], set: { count: sql`${rateLimits.count} + 1` } })
    .returning({ count: rateLimits.count }),
);

export function countHitStatement(db: Db, key: string, windowStart: string) {
  return countHit(db, { key, windowStart });
}

/** Reads a key's count in the window without counting (no row: nothing counted yet). */
export function peekHitStatement(db: Db, key: string, windowStart: string) {
  return db
    .select({ count: rateLimits.count })
    .from(rateLimits)
    .where(and(eq(rateLimits.key, key), eq(rateLimits.windowStart, windowStart)));
}

/** Takes one hit back (never below zero). */
export function refundHitStatement(db: Db, key: string, windowStart: string) {
  return db
    .update(rateLimits)
    .set({ count: sql`${rateLimits.count} - 1` })
    .where(and(eq(rateLimits.key, key), eq(rateLimits.windowStart, windowStart), gt(rateLimits.count, 0)));
}

/**
 * Deletes the counters of windows that started before `before` (for the cron). No rule's
 * window is longer than MAX_WINDOW_SECONDS (worker/http/rate-limit.ts), so any `before`
 * at least that far in the past removes only finished windows.
 */
export function purgeRateLimits(db: Db, before: Date) {
  return db.delete(rateLimits).where(lt(rateLimits.windowStart, before.toISOString()));
}
