/**
 * Two consortia side by side (tenancy.fixtures.ts): each sees only its own database, by
 * token and by host; a signed prescription's queue message, its delivery, the pharmacy's
 * callback and the cron each stay in their consortium.
 */
import { createExecutionContext, createMessageBatch, createScheduledController, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../../worker/db/index";
import worker from "../../worker/index";
import { insertOutbox, type OutboxRow } from "../../worker/pharmacy/orders/orders.repo";
import { signBody } from "../../worker/lib/hmac";
import { aDeliveryPrescription, RENHE, useScenario, waitFor } from "../support/fake-pharmacy.client";
import { at, B_HOST, DEMO_HOST, SHARED_HOST, seedBoth, tokenOf, twoConsortia } from "./tenancy.fixtures";

const names = async (database: D1Database, id: string) => (await database.prepare("SELECT name FROM patients WHERE id = ?").bind(id).first<{ name: string }>())?.name;

async function freshPatientIn(database: D1Database, label: string): Promise<string> {
  const id = `pat-${label}-${crypto.randomUUID().slice(0, 6)}`;
  await database.prepare("INSERT INTO patients (id, name, gender, birth_date, created_at) VALUES (?, '测试', 'female', '1960-01-01', '2026-01-01')").bind(id).run();
  return id;
}

describe("two consortia side by side", () => {
  beforeAll(seedBoth);

  it("answers the same id from each consortium's own database, chosen by the token at a shared host and by the host", async () => {
    const { env: two } = twoConsortia();
    const demoName = await names(env.DB, "pat-001");
    const bName = await names(env.DB_B, "pat-001");
    expect(bName).toBe(`乙${demoName}`);
    for (const [consortium, host, expected] of [
      ["demo", SHARED_HOST, demoName],
      ["b", SHARED_HOST, bName],
      ["demo", DEMO_HOST, demoName],
      ["b", B_HOST, bName],
    ] as const) {
      const res = await at<{ name: string }>(two, host, "GET", "/patients/pat-001", { token: await tokenOf(consortium) });
      expect(res.status, `${consortium} at ${host}`).toBe(200);
      expect(res.body.name).toBe(expected);
    }
  });

  it("keeps a prescription signed in B, its queue message, its delivery and its callback inside B", async () => {
    const { env: two, queue } = twoConsortia();
    const scenario = await useScenario("tenancy-b", RENHE, env.DB_B);
    const patientId = await freshPatientIn(env.DB_B, "tenancy");
    const signed = await at<{ id: string; orders: { id: string }[] }>(two, B_HOST, "POST", "/prescriptions", {
      token: await tokenOf("b"),
      headers: { "idempotency-key": crypto.randomUUID() },
      body: aDeliveryPrescription(patientId),
    });
    expect(signed.status).toBe(201);
    const orderId = signed.body.orders[0]?.id ?? "";
    const inB = await env.DB_B.prepare("SELECT id FROM outbox WHERE order_id = ?").bind(orderId).first<{ id: string }>();
    expect(inB).not.toBeNull();
    expect(await env.DB.prepare("SELECT id FROM orders WHERE id = ?").bind(orderId).first()).toBeNull();
    // the message names its consortium, so the consumer opens B's database
    expect(queue.sent).toEqual([{ outboxId: inB?.id, consortium: "b" }]);

    const batch = createMessageBatch<unknown>("yaolian-pharmacy-outbox", queue.sent.map((body, i) => ({ id: `m-${i}`, timestamp: new Date(), attempts: 1, body })));
    const ctx = createExecutionContext();
    await worker.queue(batch, two);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual(["m-0"]);
    expect(Object.values((await scenario.state()).orders).map((o) => o.orderId)).toEqual([orderId]);
    const state = await env.DB_B.prepare("SELECT state FROM outbox WHERE order_id = ?").bind(orderId).first<{ state: string }>();
    expect(state?.state).toBe("delivered");

    // the pharmacy's callback carries no token: B's host opens B's database, the demo's host knows no such order
    const rawBody = JSON.stringify({ eventId: `evt_${crypto.randomUUID()}`, orderId, status: "approved", at: "2026-11-25T18:00:00+08:00" });
    const callback = async (host: string) =>
      at(two, host, "POST", `/pharmacy-callbacks/${RENHE}`, { rawBody, headers: { "content-type": "application/json", "x-signature": await signBody(scenario.secret, rawBody, new Date()) } });
    expect((await callback(DEMO_HOST)).status).toBe(404);
    expect((await callback(B_HOST)).status).toBe(200);
    const order = await waitFor(
      () => env.DB_B.prepare("SELECT status FROM orders WHERE id = ?").bind(orderId).first<{ status: string }>(),
      (o) => o?.status === "approved",
    );
    expect(order?.status).toBe("approved");
  });

  it("runs the cron for every consortium against its own database, each message stamped with its consortium", async () => {
    const { env: two, queue } = twoConsortia();
    const scheduledTime = new Date("2033-01-01T00:00:00.000Z");
    const stale = new Date(scheduledTime.getTime() - 3_600_000).toISOString();
    const row = (database: string): OutboxRow => ({
      id: "obx_tenancy_cron",
      orderId: "ord_tenancy_cron",
      pharmacyId: RENHE,
      kind: "order.created",
      payload: JSON.stringify({ database }),
      idempotencyKey: "obx_tenancy_cron",
      state: "pending",
      attempts: 1,
      nextAttemptAt: stale,
      lastError: "HTTP 503",
      createdAt: stale,
      deliveredAt: null,
    });
    // the same row id in both, pending in the demo and already delivered in B
    await insertOutbox(getDb(env.DB), row("demo"));
    await insertOutbox(getDb(env.DB_B), { ...row("b"), state: "delivered" });
    await worker.scheduled(createScheduledController({ scheduledTime, cron: "*/5 * * * *" }), two);
    expect(queue.sent.filter((m) => m.outboxId === "obx_tenancy_cron")).toEqual([{ outboxId: "obx_tenancy_cron", consortium: "demo" }]);

    // now pending in B too: only B's sweep sends it (the demo's is leased)
    await env.DB_B.prepare("UPDATE outbox SET state = 'pending' WHERE id = 'obx_tenancy_cron'").run();
    queue.sent.length = 0;
    await worker.scheduled(createScheduledController({ scheduledTime, cron: "*/5 * * * *" }), two);
    expect(queue.sent.filter((m) => m.outboxId === "obx_tenancy_cron")).toEqual([{ outboxId: "obx_tenancy_cron", consortium: "b" }]);
  });

  it("consumes a message sent before messages carried a consortium in the default consortium, and drops one naming a consortium not served", async () => {
    const { env: two } = twoConsortia();
    const dead: OutboxRow = { id: "obx_tenancy_old", orderId: "ord_tenancy_old", pharmacyId: RENHE, kind: "order.created", payload: "{}", idempotencyKey: "obx_tenancy_old", state: "dead", attempts: 1, nextAttemptAt: "2026-01-01T00:00:00.000Z", lastError: "HTTP 400", createdAt: "2026-01-01T00:00:00.000Z", deliveredAt: null };
    await insertOutbox(getDb(env.DB), dead);
    const message = (id: string, body: Record<string, string>) => ({ id, timestamp: new Date(), attempts: 1, body });
    const batch = createMessageBatch<unknown>("yaolian-pharmacy-outbox", [
      message("old", { outboxId: dead.id }),
      message("in-b", { outboxId: dead.id, consortium: "b" }),
      message("stray", { outboxId: dead.id, consortium: "nowhere" }),
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch, two);
    const result = await getQueueResult(batch, ctx);
    // the unstamped message found the dead row in the demo's database (a dead row's message goes on to the dead-letter queue);
    // B has no such row, and a consortium not served is never opened
    expect(result.retryMessages).toMatchObject([{ msgId: "old" }]);
    expect(result.explicitAcks.sort()).toEqual(["in-b", "stray"]);
  });
});
