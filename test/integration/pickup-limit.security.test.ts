import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../../worker/db/index";
import { ApiError } from "../../worker/errors/problem";
import type { Principal } from "../../worker/http/auth";
import { RateLimited, rateLimiterFor } from "../../worker/http/rate-limit";
import { sha256Hex } from "../../worker/lib/encoding";
import { handOverOrder, PICKUP_CODE_PER_ORDER, PICKUP_CODE_PER_USER } from "../../worker/pharmacy/desk/pickup.service";
import { getSigner } from "../../worker/signing/signer";
import { loadDemoSeed } from "../support/seed";
import { aReadyPickupOrder, orderRow } from "./desk.fixtures";

/*
 * Issue 11, review gap: the per-order allowance of pickup-code checks was counted before the
 * caller was authorized, so another pharmacy's pharmacist (404), a pharmacist not registered
 * at the pharmacy named in the token (403) or a 药士 (403) could use up an order's checks and
 * lock its own pharmacy out. Refused callers still count against their own allowance.
 * Services run with one fixed `now`, so every check of a case falls in one window.
 */

const db = getDb(env.DB);
const limiter = rateLimiterFor({}, db);
const OWN: Principal = { sub: "ph-cloud-1", role: "pharmacist", org: "pharm-cloud", name: "" };
const REFUSED: [Principal, "not-found" | "forbidden"][] = [
  [{ sub: "ph-renhe-1", role: "pharmacist", org: "pharm-renhe", name: "" }, "not-found"],
  [{ sub: "ph-renhe-1", role: "pharmacist", org: "pharm-cloud", name: "" }, "forbidden"],
  [{ sub: "ph-cloud-3", role: "pharmacist", org: "pharm-cloud", name: "" }, "forbidden"],
];

async function ctxOf(actor: Principal, now: Date, using = limiter) {
  return { db, actor, requestId: `pickup-limit-${crypto.randomUUID()}`, now, queue: env.ORDER_QUEUE, signer: await getSigner(env), limiter: using };
}

/** The stored counter of `rule` for `key` in the window of `now` (rate-limit.ts keeps the key's digest only). */
async function counter(rule: { name: string; windowSeconds: number }, key: string, now: Date): Promise<number> {
  const ms = rule.windowSeconds * 1000;
  const windowStart = new Date(Math.floor(now.getTime() / ms) * ms).toISOString();
  const row = await env.DB.prepare("SELECT count FROM rate_limits WHERE key = ? AND window_start = ?")
    .bind(`${rule.name}:${(await sha256Hex(key)).slice(0, 32)}`, windowStart)
    .first<{ count: number }>();
  return row?.count ?? 0;
}

async function refusalOf(run: Promise<unknown>): Promise<string> {
  try {
    await run;
    return "allowed";
  } catch (err) {
    return err instanceof ApiError ? err.code : "unexpected";
  }
}

describe("the per-order allowance of pickup-code checks", () => {
  beforeAll(loadDemoSeed);

  it(`is not used up by refused callers: after ${PICKUP_CODE_PER_ORDER.limit + 1} refused checks the order's own pharmacist still hands it over`, async () => {
    const { orderId, code } = await aReadyPickupOrder();
    const now = new Date();
    const before = await orderRow(orderId);
    for (let i = 0; i <= PICKUP_CODE_PER_ORDER.limit; i++) {
      const [actor, refusal] = REFUSED[i % REFUSED.length] ?? [OWN, "unexpected"];
      expect(await refusalOf(handOverOrder(await ctxOf(actor, now), orderId, code))).toBe(refusal);
    }
    expect(await orderRow(orderId)).toEqual(before);
    expect(await counter(PICKUP_CODE_PER_ORDER, orderId, now)).toBe(0);
    // their own allowance is what they used
    expect(await counter(PICKUP_CODE_PER_USER, "ph-renhe-1", now)).toBe(14);
    expect((await handOverOrder(await ctxOf(OWN, now), orderId, code)).status).toBe("picked_up");
    expect(await counter(PICKUP_CODE_PER_ORDER, orderId, now)).toBe(1);
  });

  it("counts every check by the order's own pharmacists, a wrong code with its write, and refuses past the limit without comparing", async () => {
    const { orderId, code } = await aReadyPickupOrder();
    const now = new Date();
    const wrong = code === "000000" ? "111111" : "000000";
    expect(await refusalOf(handOverOrder(await ctxOf(OWN, now), orderId, wrong))).toBe("conflict");
    expect(await counter(PICKUP_CODE_PER_ORDER, orderId, now)).toBe(1);
    expect((await orderRow(orderId))?.pickup_attempts).toBe(1);
    // the rest of the minute's allowance used by colleagues' earlier checks
    await env.DB.prepare("UPDATE rate_limits SET count = ? WHERE key = ?")
      .bind(PICKUP_CODE_PER_ORDER.limit, `${PICKUP_CODE_PER_ORDER.name}:${(await sha256Hex(orderId)).slice(0, 32)}`)
      .run();
    const before = await orderRow(orderId);
    const colleague = { ...OWN, sub: "ph-cloud-2" };
    await expect(handOverOrder(await ctxOf(colleague, now), orderId, code)).rejects.toBeInstanceOf(RateLimited);
    expect(await orderRow(orderId)).toEqual(before);
    expect(await counter(PICKUP_CODE_PER_ORDER, orderId, now)).toBe(PICKUP_CODE_PER_ORDER.limit);
  });

  it("asks Cloudflare's binding (which counts as it answers) only for an authorized caller", async () => {
    const { orderId, code } = await aReadyPickupOrder();
    const asked: string[] = [];
    const binding: RateLimit = {
      limit: async ({ key }) => {
        asked.push(key);
        return { success: true };
      },
    };
    const viaBinding = rateLimiterFor({ RATE_LIMIT_PICKUP_ORDER: binding }, db);
    const now = new Date();
    for (const [actor, refusal] of REFUSED) expect(await refusalOf(handOverOrder(await ctxOf(actor, now, viaBinding), orderId, code))).toBe(refusal);
    expect(asked).toEqual([]);
    expect((await handOverOrder(await ctxOf(OWN, now, viaBinding), orderId, code)).status).toBe("picked_up");
    expect(asked).toEqual([`${PICKUP_CODE_PER_ORDER.name}:${(await sha256Hex(orderId)).slice(0, 32)}`]);
    // counted by the binding, not in the table
    expect(await counter(PICKUP_CODE_PER_ORDER, orderId, now)).toBe(0);
  });
});
