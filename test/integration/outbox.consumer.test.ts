/**
 * The outbox consumers message by message: batches built with the pool's helpers and
 * handed to the worker's queue handler, so each ack / retry decision can be asserted.
 * Rows are inserted without being enqueued, so the real queue never races these tests.
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../../worker/db/index";
import worker from "../../worker/index";
import { insertOutbox, type OutboxRow } from "../../worker/pharmacy/orders/orders.repo";
import { backoffSeconds, classifyStatus, OUTBOX_DLQ, OUTBOX_QUEUE, outboxSettings, QUEUE_ATTEMPTS } from "../../worker/pharmacy/outbox/outbox.consumer";
import type { FailurePlan } from "../support/fake-pharmacy";
import { outboxRows, RENHE, TAOYUAN, useScenario, type Scenario } from "../support/fake-pharmacy.client";
import { loadDemoSeed } from "../support/seed";

function anOutboxRow(overrides: Partial<OutboxRow> = {}): OutboxRow {
  const orderId = `ord_test_${crypto.randomUUID().slice(0, 8)}`;
  const id = `obx_${orderId}_created`;
  return {
    id,
    orderId,
    pharmacyId: RENHE,
    kind: "order.created",
    payload: JSON.stringify({ type: "order.created", orderId, fulfilment: { mode: "delivery", address: { region: `${TAOYUAN}/仁和村` } } }),
    idempotencyKey: id,
    state: "pending",
    attempts: 0,
    nextAttemptAt: "2026-01-01T00:00:00.000Z",
    lastError: null,
    createdAt: "2026-01-01T00:00:00.000Z",
    deliveredAt: null,
    ...overrides,
  };
}

async function insert(...rows: OutboxRow[]) {
  const db = getDb(env.DB);
  for (const row of rows) await insertOutbox(db, row);
  return rows;
}

async function consume(queue: string, messages: { outboxId: string; attempts?: number }[]) {
  const batch = createMessageBatch<unknown>(
    queue,
    messages.map((m, i) => ({ id: `msg-${i}-${crypto.randomUUID().slice(0, 6)}`, timestamp: new Date(), attempts: m.attempts ?? 1, body: { outboxId: m.outboxId } })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, env);
  const result = await getQueueResult(batch, ctx);
  return { ...result, ids: batch.messages.map((m) => m.id) };
}

async function row(id: string) {
  return (await outboxRows()).find((r) => r.id === id);
}

describe("outbox consumer", () => {
  let scenario: Scenario;
  const plan = async (p: Omit<FailurePlan, "secret">) => scenario.control(p);

  beforeAll(async () => {
    await loadDemoSeed();
    scenario = await useScenario("consumer");
  });

  it("POSTs a pending row signed with its Idempotency-Key, marks it delivered and acknowledges the message", async () => {
    await plan({});
    const [r] = await insert(anOutboxRow());
    const result = await consume(OUTBOX_QUEUE, [{ outboxId: r!.id }]);
    expect(result.explicitAcks).toEqual(result.ids);
    expect(result.retryMessages).toEqual([]);
    expect(await row(r!.id)).toMatchObject({ state: "delivered", attempts: 1, lastError: null });
    const state = await scenario.state();
    expect(state.orders[r!.idempotencyKey]).toMatchObject({ orderId: r!.orderId, receipts: 1 });
    expect(state.badSignatures).toBe(0);
  });

  it("acknowledges a message of a delivered row without any request (at-least-once delivery, exactly-once effect)", async () => {
    const [r] = await insert(anOutboxRow({ state: "delivered", attempts: 1, deliveredAt: "2026-01-01T00:00:01.000Z" }));
    const before = (await scenario.state()).requests;
    const result = await consume(OUTBOX_QUEUE, [{ outboxId: r!.id }, { outboxId: r!.id }]);
    expect(result.explicitAcks.sort()).toEqual([...result.ids].sort());
    expect((await scenario.state()).requests).toBe(before);
  });

  it("sends one request for a row that comes twice in one batch", async () => {
    await plan({});
    const [r] = await insert(anOutboxRow());
    const before = (await scenario.state()).requests;
    const result = await consume(OUTBOX_QUEUE, [{ outboxId: r!.id }, { outboxId: r!.id }]);
    expect(result.explicitAcks).toHaveLength(2);
    expect((await scenario.state()).requests).toBe(before + 1);
  });

  it("records a 5xx as a failed attempt and retries the message with backoff", async () => {
    await plan({ errorRate: 1 });
    const [r] = await insert(anOutboxRow());
    const result = await consume(OUTBOX_QUEUE, [{ outboxId: r!.id }]);
    expect(result.explicitAcks).toEqual([]);
    expect(result.retryMessages).toHaveLength(1);
    const after = await row(r!.id);
    expect(after).toMatchObject({ state: "pending", attempts: 1 });
    expect(after?.lastError).toMatch(/^HTTP 50[02]/);
    expect(after!.nextAttemptAt > new Date(Date.now() - 1000).toISOString()).toBe(true);
  });

  it("treats a timeout, 408 and 429 as transient", async () => {
    for (const p of [{ slowRate: 1, slowMs: 600 }, { forceStatus: 408 }, { forceStatus: 429 }] satisfies Omit<FailurePlan, "secret">[]) {
      await plan(p);
      const [r] = await insert(anOutboxRow());
      const result = await consume(OUTBOX_QUEUE, [{ outboxId: r!.id }]);
      expect(result.retryMessages, JSON.stringify(p)).toHaveLength(1);
      const after = await row(r!.id);
      expect(after?.state).toBe("pending");
      expect(after?.lastError).toMatch(p.slowRate ? /^timeout after 250 ms/ : new RegExp(`^HTTP ${p.forceStatus}`));
    }
  });

  it(`hands a transiently failing row over to the sweep at the queue's ${QUEUE_ATTEMPTS}th delivery, before the queue could dead-letter it`, async () => {
    await plan({ errorRate: 1 });
    const [r] = await insert(anOutboxRow({ attempts: 7 }));
    const result = await consume(OUTBOX_QUEUE, [{ outboxId: r!.id, attempts: QUEUE_ATTEMPTS }]);
    expect(result.explicitAcks).toEqual(result.ids);
    expect(result.retryMessages).toEqual([]);
    expect(await row(r!.id)).toMatchObject({ state: "pending", attempts: 8 });
  });

  it("marks a permanent 4xx rejection dead at once and sends the message on to the dead-letter queue, without further requests", async () => {
    await plan({ rejectRegions: [`${TAOYUAN}/仁和村`] });
    const [r] = await insert(anOutboxRow());
    const first = await consume(OUTBOX_QUEUE, [{ outboxId: r!.id }]);
    expect(first.retryMessages).toHaveLength(1);
    expect(first.explicitAcks).toEqual([]);
    const dead = await row(r!.id);
    expect(dead).toMatchObject({ state: "dead", attempts: 1 });
    expect(dead?.lastError).toMatch(/^rejected 422/);
    const before = (await scenario.state()).requests;
    const again = await consume(OUTBOX_QUEUE, [{ outboxId: r!.id, attempts: 2 }]);
    expect(again.retryMessages).toHaveLength(1);
    expect((await scenario.state()).requests).toBe(before);
    await plan({ forceStatus: 404 });
    const [other] = await insert(anOutboxRow());
    await consume(OUTBOX_QUEUE, [{ outboxId: other!.id }]);
    expect(await row(other!.id)).toMatchObject({ state: "dead" });
  });

  it("keeps retrying, slowly, a pharmacy that has no endpoint or secret configured", async () => {
    const [r] = await insert(anOutboxRow({ pharmacyId: "pharm-cloud" }));
    const result = await consume(OUTBOX_QUEUE, [{ outboxId: r!.id }]);
    expect(result.retryMessages).toHaveLength(1);
    expect((await row(r!.id))?.lastError).toMatch(/no external endpoint and shared secret/);
  });

  it("drops a message whose row does not exist", async () => {
    const result = await consume(OUTBOX_QUEUE, [{ outboxId: "obx_missing" }]);
    expect(result.explicitAcks).toEqual(result.ids);
  });
});

describe("dead-letter consumer", () => {
  beforeAll(loadDemoSeed);

  it("marks the row dead idempotently, keeps the reason already recorded, and audits every dead letter", async () => {
    const [pending, dead] = await insert(anOutboxRow({ attempts: 3, lastError: "HTTP 503" }), anOutboxRow({ state: "dead", attempts: 1, lastError: "rejected 422: no" }));
    const result = await consume(OUTBOX_DLQ, [{ outboxId: pending!.id }, { outboxId: dead!.id }]);
    expect(result.explicitAcks.sort()).toEqual([...result.ids].sort());
    expect(await row(pending!.id)).toMatchObject({ state: "dead", attempts: 3, lastError: "HTTP 503" });
    expect(await row(dead!.id)).toMatchObject({ state: "dead", attempts: 1, lastError: "rejected 422: no" });
    await consume(OUTBOX_DLQ, [{ outboxId: dead!.id }]);
    expect(await row(dead!.id)).toMatchObject({ state: "dead", attempts: 1 });
    const audits = await env.DB.prepare("SELECT entity_id AS id, actor_id AS actor FROM audit_events WHERE action = 'outbox.dead_letter' AND entity_id IN (?, ?)").bind(pending!.id, dead!.id).all<{ id: string; actor: string }>();
    expect(audits.results.map((a) => a.id).sort()).toEqual([pending!.id, dead!.id, dead!.id].sort());
    expect(audits.results.every((a) => a.actor === "system:yaolian")).toBe(true);
  });

  it("never touches a delivered row", async () => {
    const [delivered] = await insert(anOutboxRow({ state: "delivered", attempts: 1, deliveredAt: "2026-01-01T00:00:01.000Z" }));
    await consume(OUTBOX_DLQ, [{ outboxId: delivered!.id }]);
    expect(await row(delivered!.id)).toMatchObject({ state: "delivered" });
  });
});

describe("delivery policy", () => {
  it("classifies answers: 2xx delivered, 408/429/5xx/3xx transient, other 4xx permanent", () => {
    expect([200, 201, 204].map(classifyStatus)).toEqual(["delivered", "delivered", "delivered"]);
    expect([408, 429, 500, 502, 503, 301].map(classifyStatus)).toEqual(Array(6).fill("transient"));
    expect([400, 401, 403, 404, 409, 410, 422].map(classifyStatus)).toEqual(Array(7).fill("permanent"));
  });

  it("backs off exponentially with jitter, capped", () => {
    const s = { backoffBaseSeconds: 30, backoffMaxSeconds: 3600 };
    expect([1, 2, 3, 4].map((n) => backoffSeconds(n, s, () => 1))).toEqual([30, 60, 120, 240]);
    expect([1, 2, 3, 4].map((n) => backoffSeconds(n, s, () => 0))).toEqual([15, 30, 60, 120]);
    expect(backoffSeconds(20, s, () => 1)).toBe(3600);
    expect(backoffSeconds(1000, s, () => 0.5)).toBe(2700);
  });

  it("reads its settings from the environment, with defaults for missing or absurd values", () => {
    expect(outboxSettings({})).toEqual({ timeoutMs: 10_000, backoffBaseSeconds: 30, backoffMaxSeconds: 3600 });
    expect(outboxSettings({ OUTBOX_TIMEOUT_MS: "250", OUTBOX_BACKOFF_BASE_SECONDS: "x", OUTBOX_BACKOFF_MAX_SECONDS: "-1" })).toEqual({ timeoutMs: 250, backoffBaseSeconds: 30, backoffMaxSeconds: 3600 });
  });
});
