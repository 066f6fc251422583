import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { runScheduled } from "../../worker/pharmacy/scheduled";
import { api, asAdmin, tokenFor } from "../support/api";
import { aDeliveryPrescription, freshPatients, outboxRows, RENHE, type Scenario, sendCallback, useScenario, waitFor } from "../support/fake-pharmacy.client";
import { loadDemoSeed } from "../support/seed";

const doctor = () => tokenFor("doctor", "doc-shimen-gp-intermediate", "inst-shimen");

async function signDelivery(label: string): Promise<{ prescriptionId: string; orderId: string }> {
  const [patientId = ""] = await freshPatients(1, label);
  const res = await api<{ id: string; orders: { id: string; pharmacyId: string }[] }>("POST", "/prescriptions", {
    token: await doctor(),
    headers: { "idempotency-key": crypto.randomUUID() },
    body: aDeliveryPrescription(patientId),
  });
  expect(res.status).toBe(201);
  expect(res.body.orders[0]?.pharmacyId).toBe(RENHE);
  return { prescriptionId: res.body.id, orderId: res.body.orders[0]?.id ?? "" };
}

interface EventRow {
  fromStatus: string | null;
  toStatus: string;
  source: string;
  actorId: string;
  actorRole: string;
  note: string | null;
}

const timeline = async (orderId: string) =>
  (
    await env.DB.prepare("SELECT from_status AS fromStatus, to_status AS toStatus, source, actor_id AS actorId, actor_role AS actorRole, note FROM order_events WHERE order_id = ? ORDER BY id")
      .bind(orderId)
      .all<EventRow>()
  ).results;

const orderOf = (id: string) =>
  env.DB.prepare("SELECT status, carrier, tracking_no AS trackingNo, reject_reason AS rejectReason, version FROM orders WHERE id = ?").bind(id).first<{ status: string; carrier: string | null; trackingNo: string | null; rejectReason: string | null; version: number }>();

const event = (orderId: string, status: string, extra: Record<string, unknown> = {}) => ({
  eventId: `evt_${crypto.randomUUID()}`,
  orderId,
  status,
  at: "2026-11-25T18:00:00+08:00",
  ...extra,
});

describe("pharmacy callbacks", () => {
  let scenario: Scenario;
  beforeAll(async () => {
    await loadDemoSeed();
    scenario = await useScenario("callbacks-happy");
  });

  it("moves the order on a valid signed callback and records it on the timeline, in the audit and as a seen event", async () => {
    const { orderId } = await signDelivery("cb-approve");
    const e = event(orderId, "approved", { note: "审核通过" });
    const res = await sendCallback(RENHE, scenario.secret, e);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ eventId: e.eventId, orderId, status: "approved", duplicate: false });
    expect((await orderOf(orderId))?.status).toBe("approved");
    expect((await timeline(orderId)).at(-1)).toEqual({
      fromStatus: "pending_review",
      toStatus: "approved",
      source: "callback",
      actorId: `pharmacy:${RENHE}`,
      actorRole: "pharmacist",
      note: "审核通过 [pharmacy time 2026-11-25T18:00:00+08:00]",
    });
    const audit = await env.DB.prepare("SELECT actor_org AS org FROM audit_events WHERE entity_id = ? AND action = 'order.approve'").bind(orderId).first<{ org: string }>();
    expect(audit?.org).toBe(RENHE);
    const seen = await env.DB.prepare("SELECT order_id AS orderId FROM pharmacy_callback_events WHERE pharmacy_id = ? AND event_id = ?").bind(RENHE, e.eventId).first();
    expect(seen).toEqual({ orderId });
    // on the order's page the callback is the external pharmacy's, by name
    const detail = await api<{ timeline: { source: string; actorName: string | null }[] }>("GET", `/orders/${orderId}`, { token: await asAdmin() });
    expect(detail.body.timeline.map((t) => [t.source, t.actorName])).toEqual([
      ["doctor", "邓春梅"],
      ["callback", "仁和大药房（桃源店）"],
    ]);
  });

  it("runs a delivery round trip: signed prescription → outbox → pharmacy → approved, dispensing, shipped, delivered", async () => {
    const { prescriptionId, orderId } = await signDelivery("cb-roundtrip");
    // the pharmacy learns of the order only through the outbox and the queue
    const [row] = await waitFor(() => outboxRows([orderId]), (r) => r[0]?.state === "delivered");
    const received = (await scenario.state()).orders[row!.idempotencyKey];
    expect(received).toMatchObject({ orderId, kind: "order.created", receipts: 1 });

    for (const [status, extra] of [
      ["approved", {}],
      ["dispensing", {}],
      ["shipped", { carrier: "顺丰速运", trackingNo: "SF1234567890" }],
      ["delivered", { note: "本人签收" }],
    ] as const) {
      const res = await sendCallback(RENHE, scenario.secret, event(received?.orderId ?? "", status, extra));
      expect(res.status, `${status}: ${JSON.stringify(res.body)}`).toBe(200);
      expect(res.body.status).toBe(status);
    }
    expect(await orderOf(orderId)).toMatchObject({ status: "delivered", carrier: "顺丰速运", trackingNo: "SF1234567890" });
    expect((await timeline(orderId)).map((e) => `${e.fromStatus ?? "-"}>${e.toStatus}:${e.source}`)).toEqual([
      "->pending_review:doctor",
      "pending_review>approved:callback",
      "approved>dispensing:callback",
      "dispensing>shipped:callback",
      "shipped>delivered:callback",
    ]);
    const rx = await env.DB.prepare("SELECT status FROM prescriptions WHERE id = ?").bind(prescriptionId).first<{ status: string }>();
    expect(rx?.status).toBe("completed");

    // the patient is told of the shipment and the delivery by the cron's notification run
    const templates = async () => (await env.DB.prepare("SELECT template, state FROM notifications WHERE order_id = ? ORDER BY template").bind(orderId).all<{ template: string; state: string }>()).results;
    expect(await templates()).toEqual([
      { template: "order-delivered", state: "pending" },
      { template: "order-shipped", state: "pending" },
    ]);
    const summary = await runScheduled(env, new Date());
    expect(summary.notifications?.sent).toBeGreaterThanOrEqual(2);
    expect((await templates()).map((t) => t.state)).toEqual(["sent", "sent"]);
  });

  it("records a rejection with its reason code, and a cancellation by the pharmacy without echoing a cancel message back", async () => {
    const rejected = await signDelivery("cb-reject");
    const res = await sendCallback(RENHE, scenario.secret, event(rejected.orderId, "rejected", { reasonCode: "inappropriate.dose", note: "剂量需复核" }));
    expect(res.status).toBe(200);
    expect(await orderOf(rejected.orderId)).toMatchObject({ status: "rejected", rejectReason: "inappropriate.dose" });

    const cancelled = await signDelivery("cb-cancel");
    expect((await sendCallback(RENHE, scenario.secret, event(cancelled.orderId, "cancelled", { note: "患者拒收" }))).status).toBe(200);
    expect((await orderOf(cancelled.orderId))?.status).toBe("cancelled");
    expect((await outboxRows([cancelled.orderId])).map((r) => r.id)).toEqual([`obx_${cancelled.orderId}_created`]);
  });
});
