/**
 * A few hundred orders to an external pharmacy that fails in every way it can: 5xx, answers
 * slower than the worker's timeout, acknowledgements lost after the order was taken, an
 * outage for a stretch, duplicate queue messages, and permanent 4xx rejections for some
 * orders. Real queues (the test worker is the consumer, per wrangler.toml) and the cron
 * sweep run until nothing is pending. Then: every order the pharmacy did not reject is held
 * there exactly once by its Idempotency-Key, no outbox row is lost, and the dead rows are
 * exactly the permanent rejections, each dead-lettered.
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { runScheduled } from "../../worker/pharmacy/scheduled";
import { api, tokenFor } from "../support/api";
import { aDeliveryPrescription, freshPatients, outboxRows, TAOYUAN, useScenario, waitFor } from "../support/fake-pharmacy.client";
import { loadDemoSeed } from "../support/seed";

const ORDERS = 300;
/** orders signed while the pharmacy is down */
const OUTAGE = { from: 120, to: 180 };
const DUPLICATE_MESSAGES = 40;
/** 远山村 is outside what the pharmacy serves: every 50th order goes there and is rejected for good (2%) */
const REJECTED_VILLAGE = "远山村";
const REJECT_EVERY = 50;
const PLAN = { seed: "reliability-1", errorRate: 0.2, lostAckRate: 0.03, slowRate: 0.04, slowMs: 800, rejectRegions: [`${TAOYUAN}/${REJECTED_VILLAGE}`] };
const CRON_PERIOD_MS = 5 * 60_000;

const doctor = () => tokenFor("doctor", "doc-shimen-gp-intermediate", "inst-shimen");
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("outbox reliability", () => {
  beforeAll(loadDemoSeed);

  it(`delivers ${ORDERS} orders exactly once each through injected failures, and dead-letters exactly the rejected ones`, { timeout: 240_000 }, async () => {
    const started = Date.now();
    const scenario = await useScenario("reliability");
    await scenario.control(PLAN);
    const patients = await freshPatients(ORDERS, "rel");
    const token = await doctor();

    const orderIds: string[] = [];
    const rejectedOrders: string[] = [];
    const sign = async (patientId: string, index: number) => {
      const refused = index % REJECT_EVERY === REJECT_EVERY - 1;
      const draft = aDeliveryPrescription(patientId, refused ? REJECTED_VILLAGE : undefined);
      const res = await api<{ orders: { id: string }[] }>("POST", "/prescriptions", { token, headers: { "idempotency-key": `rel-${patientId}` }, body: draft });
      expect(res.status).toBe(201);
      orderIds.push(...res.body.orders.map((o) => o.id));
      if (refused) rejectedOrders.push(...res.body.orders.map((o) => o.id));
    };
    for (let i = 0; i < ORDERS; i += 5) {
      if (i === OUTAGE.from) await scenario.control({ ...PLAN, outage: true });
      if (i === OUTAGE.to) {
        // long enough for messages of the stretch to use up their queue attempts and pass to the sweep
        await sleep(6000);
        await scenario.control(PLAN);
      }
      await Promise.all(patients.slice(i, i + 5).map((p, k) => sign(p, i + k)));
    }
    const signedMs = Date.now() - started;
    expect(orderIds).toHaveLength(ORDERS);

    // at-least-once delivery: some messages arrive twice
    const rows = await outboxRows(orderIds);
    expect(rows).toHaveLength(ORDERS);
    await env.ORDER_QUEUE.sendBatch(rows.slice(0, DUPLICATE_MESSAGES * 7).filter((_, i) => i % 7 === 0).map((r) => ({ body: { outboxId: r.id } })));

    // the queue works in the background; the cron runs every "5 minutes" of simulated time
    let simulated = Date.now();
    let sweeps = 0;
    let resent = 0;
    const settled = await waitFor(
      async () => {
        const now = await outboxRows(orderIds);
        if (now.some((r) => r.state === "pending")) {
          simulated = Math.max(simulated + CRON_PERIOD_MS, Date.now());
          const summary = await runScheduled(env, new Date(simulated));
          sweeps++;
          resent += summary.resent;
          expect(summary.errors).toEqual([]);
        }
        return now;
      },
      (now) => now.every((r) => r.state !== "pending"),
      180_000,
      2000,
    );

    const expectedDead = settled.filter((r) => rejectedOrders.includes(r.orderId)).map((r) => r.idempotencyKey).sort();
    const dead = settled.filter((r) => r.state === "dead").map((r) => r.idempotencyKey).sort();
    const delivered = settled.filter((r) => r.state === "delivered").map((r) => r.idempotencyKey).sort();

    // none lost: every row settled, the dead ones are exactly the permanent rejections
    expect(dead.length + delivered.length).toBe(ORDERS);
    expect(expectedDead).toHaveLength(ORDERS / REJECT_EVERY);
    expect(dead).toEqual(expectedDead);
    for (const row of settled.filter((r) => r.state === "dead")) expect(row.lastError).toMatch(/^rejected 422/);

    // exactly once at the pharmacy: one order per key for every delivered row, nothing else
    const state = await scenario.state();
    const held = Object.keys(state.orders).sort();
    expect(held).toEqual(delivered);
    for (const key of held) expect(state.orders[key]?.orderId).toBe(settled.find((r) => r.idempotencyKey === key)?.orderId);
    expect(state.rejected.sort()).toEqual(expectedDead);
    expect(state.badSignatures).toBe(0);
    expect(state.missingKeys).toBe(0);
    // every request it looked at carried an Idempotency-Key and a valid signature (outage answers look at nothing)
    expect(state.log).toHaveLength(state.requests);
    expect(state.log.every((r) => r.key !== null)).toBe(true);
    expect(state.log.filter((r) => r.signature === "valid")).toHaveLength(state.requests - state.injected.outage);
    expect(state.log.filter((r) => r.processed)).toHaveLength(state.receipts);
    const duplicates = state.receipts - held.length;
    expect(state.receipts).toBeGreaterThan(held.length);

    // every failure kind was actually injected
    expect(state.injected.error5xx).toBeGreaterThan(0);
    expect(state.injected.slow).toBeGreaterThan(0);
    expect(state.injected.lostAck).toBeGreaterThan(0);
    expect(state.injected.outage).toBeGreaterThan(0);
    expect(resent).toBeGreaterThan(0);

    // each permanent rejection reached the dead-letter queue, whose consumer audited it
    const dlq = await waitFor(
      async () =>
        (await env.DB.prepare("SELECT DISTINCT entity_id AS id FROM audit_events WHERE action = 'outbox.dead_letter' AND entity_id IN (SELECT value FROM json_each(?))").bind(JSON.stringify(settled.map((r) => r.id))).all<{ id: string }>()).results,
      (found) => found.length >= expectedDead.length,
      60_000,
      500,
    );
    expect(dlq.map((r) => settled.find((s) => s.id === r.id)?.idempotencyKey).sort()).toEqual(expectedDead);

    const attempts = settled.reduce((s, r) => s + r.attempts, 0);
    console.log(
      JSON.stringify({
        reliability: {
          orders: ORDERS,
          delivered: delivered.length,
          dead: dead.length,
          requests: state.requests,
          rawReceipts: state.receipts,
          uniqueReceipts: held.length,
          duplicates,
          injected: state.injected,
          duplicateMessages: DUPLICATE_MESSAGES,
          recordedAttempts: attempts,
          sweeps,
          resentBySweep: resent,
          signingMs: signedMs,
          totalMs: Date.now() - started,
        },
      }),
    );
  });
});
