import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { getDb } from "../../worker/db/index";
import { IDEMPOTENCY_KEY_DAYS, KEYS_PURGED_PER_RUN, purgeExpiredIdempotencyKeys } from "../../worker/http/idempotency";
import { runScheduled } from "../../worker/pharmacy/scheduled";

const DAY = 86_400_000;
const keysLike = async (prefix: string) =>
  (await env.DB.prepare("SELECT key FROM idempotency_keys WHERE key LIKE ? ORDER BY key").bind(`${prefix}%`).all<{ key: string }>()).results.map((r) => r.key);

/** `n` done keys named prefix-0000…, created `ageDays` before `now`. */
async function keys(prefix: string, n: number, ageDays: number, now: Date) {
  await env.DB.prepare(
    `WITH RECURSIVE i(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM i WHERE n + 1 < ?)
     INSERT INTO idempotency_keys (scope, key, request_hash, state, owner, response_status, response_body, created_at)
     SELECT 'test', ? || printf('%04d', n), 'h', 'done', 'o', 201, '{}', ? FROM i`,
  )
    .bind(n, prefix, new Date(now.getTime() - ageDays * DAY).toISOString())
    .run();
}

describe("idempotency keys expire", () => {
  it(`the cron forgets keys older than ${IDEMPOTENCY_KEY_DAYS} days and keeps the younger ones`, async () => {
    const now = new Date();
    const p = `exp-${now.getTime().toString(36)}`;
    await keys(`${p}-old-`, 2, IDEMPOTENCY_KEY_DAYS + 1, now);
    await keys(`${p}-young-`, 2, IDEMPOTENCY_KEY_DAYS - 1, now);
    const summary = await runScheduled(env, now);
    expect(summary.errors).toEqual([]);
    expect(await keysLike(p)).toEqual([`${p}-young-0000`, `${p}-young-0001`]);
  });

  it(`deletes at most ${KEYS_PURGED_PER_RUN} a run, oldest first; the next run takes the rest`, async () => {
    const now = new Date();
    const p = `bulk-${now.getTime().toString(36)}`;
    await keys(`${p}-a-`, KEYS_PURGED_PER_RUN, IDEMPOTENCY_KEY_DAYS + 3, now);
    await keys(`${p}-b-`, 3, IDEMPOTENCY_KEY_DAYS + 2, now);
    const db = getDb(env.DB);
    expect(await purgeExpiredIdempotencyKeys(db, now)).toBe(KEYS_PURGED_PER_RUN);
    expect(await keysLike(p)).toEqual([`${p}-b-0000`, `${p}-b-0001`, `${p}-b-0002`]);
    expect(await purgeExpiredIdempotencyKeys(db, now)).toBe(3);
    expect(await keysLike(p)).toEqual([]);
  });
});
