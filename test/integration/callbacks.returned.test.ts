import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { Prescription } from "../../worker/prescriptions/prescriptions.schemas";
import { api } from "../support/api";
import { aDeliveryPrescription, freshPatients, RENHE, type Scenario, sendCallback, useScenario } from "../support/fake-pharmacy.client";
import { loadDemoSeed } from "../support/seed";
import { eventsOf, shimenDoctor } from "./desk.fixtures";
import { auditRows, notificationsOf, orderState } from "./returns.fixtures";

/*
 * An external pharmacy reports that it cannot fulfil an order (callback status `returned`):
 * the return path, as for a desk return or a permanent rejection. The event id commits in
 * the same batch, so a replay changes nothing.
 */

async function aRenheOrder(label: string): Promise<string> {
  const [patientId = ""] = await freshPatients(1, label);
  const res = await api<Prescription>("POST", "/prescriptions", { token: await shimenDoctor(), headers: { "idempotency-key": crypto.randomUUID() }, body: aDeliveryPrescription(patientId) });
  expect(res.status).toBe(201);
  expect(res.body.orders?.[0]?.pharmacyId).toBe(RENHE);
  return res.body.orders?.[0]?.id ?? "";
}

const event = (orderId: string, status: string, extra: Record<string, unknown> = {}) => ({ eventId: `evt_${crypto.randomUUID()}`, orderId, status, at: "2026-11-25T18:00:00+08:00", ...extra });

describe("pharmacy callback: returned", () => {
  let scenario: Scenario;
  const send = (e: Record<string, unknown>) => sendCallback(RENHE, scenario.secret, e);

  beforeAll(async () => {
    await loadDemoSeed();
    scenario = await useScenario("callbacks-returned");
  });

  it("re-routes the order to the desk pharmacy with the pharmacy's reason; a replay changes nothing", async () => {
    const orderId = await aRenheOrder("cbr-reroute");
    const e = event(orderId, "returned", { reasonCode: "OUT_OF_STOCK", note: "该药品长期缺货" });
    const res = await send(e);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ eventId: e.eventId, orderId, status: "pending_review", duplicate: false });
    const state = await orderState(orderId);
    expect(state).toMatchObject({ pharmacyId: "pharm-cloud", status: "pending_review", reroutes: 1, returnedBy: RENHE, returnReason: "pharmacy_returned: OUT_OF_STOCK 该药品长期缺货" });
    const last = (await eventsOf(orderId)).at(-1);
    expect(last).toMatchObject({ from_status: "pending_review", to_status: "pending_review", source: "callback", actor_id: `pharmacy:${RENHE}` });
    expect(last?.note).toContain("[pharmacy time 2026-11-25T18:00:00+08:00]");
    expect(await auditRows(orderId, "order.reroute")).toHaveLength(1);

    const replay = await send(e);
    expect(replay.body).toEqual({ eventId: e.eventId, orderId, status: "pending_review", duplicate: true });
    expect(await orderState(orderId)).toEqual(state);
  });

  it("re-routes an order the pharmacy had approved (nothing dispensed)", async () => {
    const orderId = await aRenheOrder("cbr-approved");
    expect((await send(event(orderId, "approved"))).status).toBe(200);
    const res = await send(event(orderId, "returned"));
    expect(res.body).toMatchObject({ status: "pending_review" });
    expect(await orderState(orderId)).toMatchObject({ pharmacyId: "pharm-cloud", returnReason: "pharmacy_returned" });
  });

  it("sends the order back to the doctor when no other pharmacy delivers there", async () => {
    await env.DB.prepare("UPDATE pharmacies SET delivery_regions = '[\"青溪县/城关镇\"]' WHERE id = 'pharm-cloud'").run();
    try {
      const orderId = await aRenheOrder("cbr-none");
      const res = await send(event(orderId, "returned", { note: "无法配送" }));
      expect(res.body).toMatchObject({ status: "returned" });
      expect(await orderState(orderId)).toMatchObject({ status: "returned", pharmacyId: RENHE, returnReason: "pharmacy_returned: 无法配送" });
      expect((await notificationsOf(orderId)).map((n) => n.template)).toEqual(["order-returned", "doctor-order-returned"]);
    } finally {
      await env.DB.prepare("UPDATE pharmacies SET delivery_regions = '[\"青溪县\"]' WHERE id = 'pharm-cloud'").run();
    }
  });

  it("answers 409 once drugs left the shelf (shipped), changing nothing", async () => {
    const orderId = await aRenheOrder("cbr-shipped");
    for (const [status, extra] of [["approved", {}], ["dispensing", {}], ["shipped", { carrier: "顺丰", trackingNo: "SF1234" }]] as const) {
      expect((await send(event(orderId, status, extra))).status).toBe(200);
    }
    const before = await orderState(orderId);
    const res = await send(event(orderId, "returned"));
    expect(res.status).toBe(409);
    expect(await orderState(orderId)).toEqual(before);
  });

  it("answers 404 for an order that already went to another pharmacy", async () => {
    const orderId = await aRenheOrder("cbr-gone");
    expect((await send(event(orderId, "returned"))).status).toBe(200);
    const again = await send(event(orderId, "returned"));
    expect(again.status).toBe(404);
  });
});
