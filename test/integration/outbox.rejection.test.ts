/**
 * An external pharmacy's permanent rejection of order.created is a return (DOMAIN.md): the
 * order goes to the next eligible pharmacy once (here the consortium's desk pharmacy) or
 * back to the doctor with the pharmacy's answer, in the batch that marks the outbox row
 * dead, and never twice: not when the queue redelivers the message, not when two
 * deliveries race, not in the dead-letter queue.
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../../worker/db/index";
import worker from "../../worker/index";
import { insertOutbox } from "../../worker/pharmacy/orders/orders.repo";
import { OUTBOX_DLQ, OUTBOX_QUEUE } from "../../worker/pharmacy/outbox/outbox.consumer";
import type { Prescription } from "../../worker/prescriptions/prescriptions.schemas";
import { api } from "../support/api";
import { aDeliveryPrescription, freshPatients, outboxRows, RENHE, type Scenario, TAOYUAN, useScenario, waitFor } from "../support/fake-pharmacy.client";
import { loadDemoSeed } from "../support/seed";
import { cloudPharmacist, eventsOf, getOrder, shimenDoctor } from "./desk.fixtures";
import { auditRows, notificationsOf, orderState, supplyDays } from "./returns.fixtures";

const REGION = `${TAOYUAN}/仁和村`;

async function signForRenhe(label: string): Promise<{ prescriptionId: string; orderId: string }> {
  const [patientId = ""] = await freshPatients(1, label);
  const res = await api<Prescription>("POST", "/prescriptions", { token: await shimenDoctor(), headers: { "idempotency-key": crypto.randomUUID() }, body: aDeliveryPrescription(patientId) });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const order = res.body.orders?.[0];
  expect(order?.pharmacyId).toBe(RENHE);
  return { prescriptionId: res.body.id, orderId: order?.id ?? "" };
}

/** Hands a batch to the worker's queue handler directly (the rows of these are never enqueued, so the real queue does not race). */
async function consume(queue: string, outboxIds: string[], attempts = 1) {
  const batch = createMessageBatch<unknown>(
    queue,
    outboxIds.map((outboxId, i) => ({ id: `msg-${i}-${crypto.randomUUID().slice(0, 6)}`, timestamp: new Date(), attempts, body: { outboxId } })),
  );
  await worker.queue(batch, env);
  return getQueueResult(batch, createExecutionContext());
}

/** A second order.created row for an order already delivered once, pending and not enqueued: a message the tests deliver by hand. */
async function aPendingCreatedRow(orderId: string): Promise<string> {
  const id = `obx_${orderId}_created_test${crypto.randomUUID().slice(0, 6)}`;
  await insertOutbox(getDb(env.DB), {
    id,
    orderId,
    pharmacyId: RENHE,
    kind: "order.created",
    payload: JSON.stringify({ type: "order.created", orderId, fulfilment: { mode: "delivery", address: { region: REGION } } }),
    idempotencyKey: id,
    state: "pending",
    attempts: 0,
    nextAttemptAt: "2026-01-01T00:00:00.000Z",
    lastError: null,
    createdAt: "2026-01-01T00:00:00.000Z",
    deliveredAt: null,
  });
  return id;
}

/** An order that 仁和 accepted (its order.created delivered through the real queue). */
async function anAcceptedOrder(scenario: Scenario, label: string) {
  await scenario.control({});
  const signed = await signForRenhe(label);
  await waitFor(() => outboxRows([signed.orderId]), (rows) => rows[0]?.state === "delivered");
  return signed;
}

const prescriptionAsDoctor = async (id: string) =>
  api<Prescription & { orders: { id: string; status: string; pharmacyId: string; returnedBy: string | null; returnReason: string | null }[] }>("GET", `/prescriptions/${id}`, { token: await shimenDoctor() });

describe("an external pharmacy's permanent rejection", () => {
  let scenario: Scenario;
  beforeAll(async () => {
    await loadDemoSeed();
    scenario = await useScenario("rejection");
  });

  it("re-routes the order to the desk pharmacy with the pharmacy's answer, and the dead-letter queue does not apply it again", { timeout: 60_000 }, async () => {
    await scenario.control({ rejectRegions: [REGION] });
    const { prescriptionId, orderId } = await signForRenhe("rej-reroute");
    const state = await waitFor(() => orderState(orderId), (s) => s?.pharmacyId === "pharm-cloud");
    expect(state).toMatchObject({ status: "pending_review", reroutes: 1, returnedBy: RENHE, returnReason: "pharmacy_rejected: HTTP 422 region not served" });
    const [row] = await outboxRows([orderId]);
    expect(row).toMatchObject({ id: `obx_${orderId}_created`, state: "dead", attempts: 1 });
    expect(row?.lastError).toMatch(/^rejected 422/);
    expect((await scenario.state()).rejected).toEqual([`obx_${orderId}_created`]);

    expect((await eventsOf(orderId)).at(-1)).toMatchObject({ from_status: "pending_review", to_status: "pending_review", source: "system", actor_id: "system:yaolian" });
    expect((await eventsOf(orderId)).at(-1)?.note).toContain(`${RENHE} → pharm-cloud`);
    expect(await auditRows(orderId, "order.reroute")).toEqual([
      expect.objectContaining({ actorId: "system:yaolian", after: expect.objectContaining({ fromPharmacyId: RENHE, toPharmacyId: "pharm-cloud", reroutes: 1 }) }),
    ]);
    // the desk pharmacy works it; the doctor sees why it moved
    expect((await getOrder(orderId, await cloudPharmacist())).body).toMatchObject({ status: "pending_review", pharmacyId: "pharm-cloud" });
    expect((await prescriptionAsDoctor(prescriptionId)).body.orders[0]).toMatchObject({ pharmacyId: "pharm-cloud", returnedBy: RENHE, returnReason: "pharmacy_rejected: HTTP 422 region not served" });

    // the queue retries the dead row's message until it is dead-lettered; that changes nothing more
    const version = state?.version;
    await waitFor(
      () => env.DB.prepare("SELECT count(*) AS n FROM audit_events WHERE action = 'outbox.dead_letter' AND entity_id = ?").bind(`obx_${orderId}_created`).first<{ n: number }>(),
      (r) => (r?.n ?? 0) > 0,
      45_000,
    );
    expect((await orderState(orderId))?.version).toBe(version);
    expect(await auditRows(orderId, "order.reroute")).toHaveLength(1);
    expect((await scenario.state()).log.filter((r) => r.key === `obx_${orderId}_created`)).toHaveLength(1);
  });

  it("changes nothing when the rejected message is delivered again, or reaches the dead-letter queue", async () => {
    const { orderId } = await anAcceptedOrder(scenario, "rej-redeliver");
    const rowId = await aPendingCreatedRow(orderId);
    await scenario.control({ rejectRegions: [REGION] });
    const first = await consume(OUTBOX_QUEUE, [rowId]);
    expect(first.retryMessages).toHaveLength(1);
    const after = await orderState(orderId);
    expect(after).toMatchObject({ pharmacyId: "pharm-cloud", reroutes: 1 });
    const requests = (await scenario.state()).requests;

    await consume(OUTBOX_QUEUE, [rowId], 2);
    const dlq = await consume(OUTBOX_DLQ, [rowId]);
    expect(dlq.explicitAcks).toHaveLength(1);
    expect(await orderState(orderId)).toEqual(after);
    expect((await scenario.state()).requests).toBe(requests);
  });

  it("applies the return once when two deliveries of the same message are refused at the same time", async () => {
    const { orderId } = await anAcceptedOrder(scenario, "rej-race");
    const before = await orderState(orderId);
    const rowId = await aPendingCreatedRow(orderId);
    await scenario.control({ rejectRegions: [REGION] });
    await Promise.all([consume(OUTBOX_QUEUE, [rowId]), consume(OUTBOX_QUEUE, [rowId])]);
    expect(await orderState(orderId)).toMatchObject({ pharmacyId: "pharm-cloud", reroutes: 1, version: (before?.version ?? 0) + 1 });
    expect(await auditRows(orderId, "order.reroute")).toHaveLength(1);
    expect((await outboxRows([orderId])).find((r) => r.id === rowId)?.state).toBe("dead");
  });

  it("sends an order already re-routed once back to the doctor with the pharmacy's answer", async () => {
    const { prescriptionId, orderId } = await anAcceptedOrder(scenario, "rej-second");
    await env.DB.prepare("UPDATE orders SET reroutes = 1 WHERE id = ?").bind(orderId).run();
    const rowId = await aPendingCreatedRow(orderId);
    await scenario.control({ rejectRegions: [REGION] });
    await consume(OUTBOX_QUEUE, [rowId]);
    expect(await orderState(orderId)).toMatchObject({ status: "returned", pharmacyId: RENHE, returnedBy: RENHE, returnReason: "pharmacy_rejected: HTTP 422 region not served" });
    expect((await eventsOf(orderId)).at(-1)).toMatchObject({ to_status: "returned", source: "system", actor_id: "system:yaolian" });
    const notices = await notificationsOf(orderId);
    expect(notices.map((n) => [n.channel, n.template])).toEqual([
      ["sms", "order-returned"],
      ["inbox", "doctor-order-returned"],
    ]);
    expect(notices[1]?.params).toMatchObject({ reasonCode: "pharmacy_rejected", returnReason: "pharmacy_rejected: HTTP 422 region not served", pharmacyId: RENHE });
    expect(await supplyDays(prescriptionId)).toEqual([0]);
    expect((await prescriptionAsDoctor(prescriptionId)).body.orders[0]).toMatchObject({ status: "returned", returnReason: "pharmacy_rejected: HTTP 422 region not served" });
  });

  it("sends the order back to the doctor when no other pharmacy delivers there", { timeout: 30_000 }, async () => {
    await env.DB.prepare("UPDATE pharmacies SET delivery_regions = '[\"青溪县/城关镇\"]' WHERE id = 'pharm-cloud'").run();
    try {
      await scenario.control({ rejectRegions: [REGION] });
      const { orderId } = await signForRenhe("rej-none");
      const state = await waitFor(() => orderState(orderId), (s) => s?.status === "returned");
      expect(state).toMatchObject({ pharmacyId: RENHE, reroutes: 0, returnedBy: RENHE });
      const [audit] = await auditRows(orderId, "order.return");
      expect(audit?.after.notReroutedBecause).toEqual(["青溪县域云药房 (pharm-cloud) does not deliver to 青溪县/桃源镇/仁和村"]);
    } finally {
      await env.DB.prepare("UPDATE pharmacies SET delivery_regions = '[\"青溪县\"]' WHERE id = 'pharm-cloud'").run();
    }
  });

  it("only marks the row dead when the order is no longer the pharmacy's to return (cancelled meanwhile)", async () => {
    const { prescriptionId, orderId } = await anAcceptedOrder(scenario, "rej-cancelled");
    const cancel = await api("POST", `/prescriptions/${prescriptionId}/cancel`, { token: await shimenDoctor(), body: { reason: "患者要求取消" } });
    expect(cancel.status).toBe(200);
    const before = await orderState(orderId);
    const rowId = await aPendingCreatedRow(orderId);
    await scenario.control({ rejectRegions: [REGION] });
    await consume(OUTBOX_QUEUE, [rowId]);
    expect(await orderState(orderId)).toEqual(before);
    expect((await outboxRows([orderId])).find((r) => r.id === rowId)?.state).toBe("dead");
  });
});
