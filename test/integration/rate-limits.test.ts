import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../worker/app";
import { getDb } from "../../worker/db/index";
import type { Principal } from "../../worker/http/auth";
import { d1RateLimiter, RateLimited, type RateCountStatement, type RateRule, rateLimiterFor } from "../../worker/http/rate-limit";
import { PICKUP_CODE_PER_ORDER, PICKUP_CODE_PER_USER, handOverOrder } from "../../worker/pharmacy/desk/pickup.service";
import { DEFAULT_LEAD_DAYS } from "../../worker/pharmacy/fulfilment";
import { SIGNING_PER_USER, signPrescription } from "../../worker/prescriptions/prescriptions.service";
import { getSigner } from "../../worker/signing/signer";
import { aNormalPrescription } from "../builders/prescriptions";
import { tokenFor } from "../support/api";
import { loadDemoSeed } from "../support/seed";
import { aReadyPickupOrder, orderRow } from "./desk.fixtures";

/*
 * Issue 11: rate limits per doctor on signing, per order and per pharmacist on pickup-code
 * checks (status lookups were limited already: patient-status tests), 429 with Retry-After.
 * Counted in the rate_limits table here; Cloudflare's binding where production configures it.
 * Services are called with a fixed `now`, so every hit of a case falls in one window.
 */

const db = getDb(env.DB);
const limiter = rateLimiterFor({}, db);
const DOCTOR: Principal = { sub: "doc-shimen-gp-intermediate", role: "doctor", org: "inst-shimen", name: "" };
const OTHER_DOCTOR: Principal = { sub: "doc-county-cardio-senior", role: "doctor", org: "inst-county", name: "" };
const PHARMACIST: Principal = { sub: "ph-cloud-1", role: "pharmacist", org: "pharm-cloud", name: "" };

/** Counts `n` hits of `rule` for `key` at `now`, as that many earlier requests would have. */
async function prefill(rule: RateRule, key: string, n: number, now: Date) {
  const counting = await d1RateLimiter(db).count(
    Array.from({ length: n }, () => ({ rule, key })),
    now,
  );
  await db.batch(counting.statements as [RateCountStatement, ...RateCountStatement[]]);
}

async function rxCtx(actor: Principal, now: Date) {
  return { db, actor, requestId: `rl-${crypto.randomUUID()}`, now, signer: await getSigner(env), queue: env.ORDER_QUEUE, leadDays: DEFAULT_LEAD_DAYS, limiter };
}

async function aPatient() {
  const id = `pat-rl-${crypto.randomUUID().slice(0, 8)}`;
  await env.DB.prepare("INSERT INTO patients (id, name, gender, birth_date, created_at) VALUES (?, '限流', 'female', '1961-02-03', '2026-01-01')").bind(id).run();
  return id;
}

async function refusal(run: Promise<unknown>): Promise<RateLimited | "allowed"> {
  try {
    await run;
    return "allowed";
  } catch (err) {
    if (err instanceof RateLimited) return err;
    return "allowed";
  }
}

describe("rate limits", () => {
  beforeAll(loadDemoSeed);

  it(`signing: ${SIGNING_PER_USER.limit} a minute per doctor, then 429 until the window ends; other doctors are not affected`, async () => {
    const now = new Date();
    await prefill(SIGNING_PER_USER, DOCTOR.sub, SIGNING_PER_USER.limit - 1, now);
    const patientId = await aPatient();
    const key = crypto.randomUUID();
    // the limit's last signing goes through
    expect((await signPrescription(await rxCtx(DOCTOR, now), crypto.randomUUID(), aNormalPrescription(patientId))).status).toBe(201);
    const refused = await refusal(signPrescription(await rxCtx(DOCTOR, now), key, aNormalPrescription(await aPatient())));
    expect(refused).toBeInstanceOf(RateLimited);
    const wait = refused instanceof RateLimited ? refused.retryAfter : 0;
    expect(wait).toBeGreaterThanOrEqual(1);
    expect(wait).toBeLessThanOrEqual(SIGNING_PER_USER.windowSeconds);
    expect((await signPrescription(await rxCtx(OTHER_DOCTOR, now), crypto.randomUUID(), aNormalPrescription(await aPatient()))).status).toBe(201);
    // the refused request gave its Idempotency-Key back: the same key signs once the window has passed
    const later = new Date(now.getTime() + wait * 1000);
    expect((await signPrescription(await rxCtx(DOCTOR, later), key, aNormalPrescription(await aPatient()))).status).toBe(201);
  });

  it("answers a refused signing over HTTP with 429 problem+json and Retry-After", async () => {
    const token = await tokenFor("doctor", DOCTOR.sub, DOCTOR.org);
    // the test configuration raises the signing limit for bulk tests: this request runs with the real one
    const realLimits = { ...env, RATE_LIMIT_OVERRIDES: undefined };
    let res: Response | undefined;
    for (let tries = 0; tries < 3 && res?.status !== 429; tries++) {
      // a window boundary could fall between the prefill and the request: then try again
      await prefill(SIGNING_PER_USER, DOCTOR.sub, SIGNING_PER_USER.limit, new Date());
      res = await createApp().request(
        "http://yaolian.test/api/v1/prescriptions",
        { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "idempotency-key": crypto.randomUUID() }, body: JSON.stringify(aNormalPrescription(await aPatient())) },
        realLimits,
      );
    }
    if (!res) throw new Error("no request was made");
    expect(res.status).toBe(429);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(((await res.json()) as { code: string }).code).toBe("too-many-requests");
  });

  it(`pickup codes: ${PICKUP_CODE_PER_ORDER.limit} checks a minute per order, counted before the code is compared; a refused check is not a wrong code`, async () => {
    const { orderId, code } = await aReadyPickupOrder();
    const now = new Date();
    const ctx = { db, actor: PHARMACIST, requestId: "rl-pickup", now, queue: env.ORDER_QUEUE, signer: await getSigner(env), limiter };
    await prefill(PICKUP_CODE_PER_ORDER, orderId, PICKUP_CODE_PER_ORDER.limit, now);
    const before = await orderRow(orderId);
    expect(await refusal(handOverOrder(ctx, orderId, code))).toBeInstanceOf(RateLimited);
    const after = await orderRow(orderId);
    expect(after?.status).toBe("ready_for_pickup");
    expect(after).toEqual(before);
    // the next window: the right code hands it over
    const next = new Date(now.getTime() + PICKUP_CODE_PER_ORDER.windowSeconds * 1000);
    expect((await handOverOrder({ ...ctx, now: next }, orderId, code)).status).toBe("picked_up");
  });

  it(`pickup codes: ${PICKUP_CODE_PER_USER.limit} checks a minute per pharmacist across orders`, async () => {
    const { orderId, code } = await aReadyPickupOrder();
    const now = new Date();
    const ctx = { db, actor: PHARMACIST, requestId: "rl-pickup-user", now, queue: env.ORDER_QUEUE, signer: await getSigner(env), limiter };
    await prefill(PICKUP_CODE_PER_USER, PHARMACIST.sub, PICKUP_CODE_PER_USER.limit, now);
    expect(await refusal(handOverOrder(ctx, orderId, code))).toBeInstanceOf(RateLimited);
    const colleague = { ...ctx, actor: { ...PHARMACIST, sub: "ph-cloud-2" } };
    expect((await handOverOrder(colleague, orderId, code)).status).toBe("picked_up");
  });

  it("uses Cloudflare's binding for a rule where one is configured, and D1 for the others", async () => {
    const seen: string[] = [];
    const binding: RateLimit = {
      limit: async ({ key }) => {
        seen.push(key);
        return { success: false };
      },
    };
    const now = new Date();
    const viaBinding = rateLimiterFor({ RATE_LIMIT_SIGN_USER: binding }, db);
    const counting = await viaBinding.count(
      [
        { rule: SIGNING_PER_USER, key: "doc-binding" },
        { rule: PICKUP_CODE_PER_ORDER, key: "ord-binding" },
      ],
      now,
    );
    expect(counting.statements).toHaveLength(1);
    const results = await db.batch(counting.statements as [RateCountStatement, ...RateCountStatement[]]);
    expect(counting.settle(results).map((v) => v.allowed)).toEqual([false, true]);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatch(/^prescriptions\.sign\.user:[0-9a-f]{32}$/);
  });
});
