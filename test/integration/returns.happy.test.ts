import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../../worker/db/index";
import type { DeskCtx } from "../../worker/pharmacy/desk/desk.access";
import { changePickupSite, returnDeskOrder } from "../../worker/pharmacy/desk/returns.service";
import type { Prescription } from "../../worker/prescriptions/prescriptions.schemas";
import { getSigner } from "../../worker/signing/signer";
import { countingD1 } from "../support/d1-counter";
import { outboxRows, RENHE, TAOYUAN, useScenario, waitFor } from "../support/fake-pharmacy.client";
import { api, tokenFor } from "../support/api";
import { loadDemoSeed } from "../support/seed";
import { APPROVE, advance, aDeliveryOrder, aPickupOrder, eventsOf, getOrder, shimenDoctor } from "./desk.fixtures";
import { aVbpAmlodipine, proposed } from "./change-requests.fixtures";
import {
  addSecondPharmacy,
  auditRows,
  changeSite,
  forceStatus,
  notificationsOf,
  orderState,
  returnOrder,
  SECOND,
  SECOND_SITE,
  secondPharmacist,
  supplyDays,
} from "./returns.fixtures";

/*
 * Returns and pickup-site changes through the worker. This file's D1 has a second desk
 * pharmacy (returns.fixtures.ts): a delivery in 石门乡 is routed to the cloud pharmacy first
 * and, when returned, goes to the second one; the second return sends it back to the doctor.
 */

const prescriptionAsDoctor = async (id: string) => api<Prescription & { orders: { id: string; status: string; returnedBy: string | null; returnReason: string | null }[] }>("GET", `/prescriptions/${id}`, { token: await shimenDoctor() });

describe("returning an order", () => {
  beforeAll(async () => {
    await loadDemoSeed();
    await addSecondPharmacy();
  });

  it("re-routes a pending delivery once to the next eligible pharmacy, which reviews it afresh", async () => {
    const { orderId } = await aDeliveryOrder();
    const before = await orderState(orderId);
    expect(before).toMatchObject({ pharmacyId: "pharm-cloud", status: "pending_review", reroutes: 0 });

    const res = await returnOrder(orderId, { reasonCode: "out_of_stock_long", note: "厂家停产，预计两月后到货" });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({
      outcome: "rerouted",
      toPharmacyId: SECOND,
      reasons: [],
      order: { id: orderId, pharmacyId: SECOND, status: "pending_review", reroutes: 1, returnedBy: "pharm-cloud", returnReason: "out_of_stock_long: 厂家停产，预计两月后到货" },
    });
    const after = await orderState(orderId);
    expect(after).toMatchObject({ pharmacyId: SECOND, status: "pending_review", reroutes: 1, version: (before?.version ?? 0) + 1 });
    // the review-time target restarts at the new pharmacy
    expect(after?.pendingSince && before?.pendingSince && after.pendingSince > before.pendingSince).toBe(true);

    const last = (await eventsOf(orderId)).at(-1);
    expect(last).toMatchObject({ from_status: "pending_review", to_status: "pending_review", source: "desk", actor_id: "ph-cloud-1" });
    expect(last?.note).toContain(`pharm-cloud → ${SECOND}`);
    expect(last?.note).toContain("长期缺货");
    expect(await auditRows(orderId, "order.reroute")).toEqual([
      {
        actorId: "ph-cloud-1",
        before: { status: "pending_review", version: before?.version },
        after: expect.objectContaining({ status: "pending_review", fromPharmacyId: "pharm-cloud", toPharmacyId: SECOND, returnReason: "out_of_stock_long: 厂家停产，预计两月后到货", reroutes: 1 }),
      },
    ]);
    // no outbox row for a desk pharmacy; no notice to anyone: the order just has another pharmacy
    expect(await outboxRows([orderId])).toEqual([]);
    expect(await notificationsOf(orderId)).toEqual([]);

    // it left the cloud pharmacy's desk and is on the second one's
    expect((await getOrder(orderId)).status).toBe(404);
    expect((await getOrder(orderId, await secondPharmacist())).body).toMatchObject({ status: "pending_review", pharmacyId: SECOND });
  });

  it("re-routes an approved order too (nothing dispensed yet): the next pharmacy reviews it again", async () => {
    const { orderId } = await aDeliveryOrder();
    await advance(orderId, APPROVE);
    const res = await returnOrder(orderId, { reasonCode: "outside_delivery_area" });
    expect(res.body).toMatchObject({ outcome: "rerouted", order: { status: "pending_review", pharmacyId: SECOND, returnReason: "outside_delivery_area" } });
  });

  it("sends the second return of the same order back to the doctor: returned, patient SMS, doctor inbox, supply released", async () => {
    const { rx, orderId } = await aDeliveryOrder();
    expect((await supplyDays(rx.id))[0]).toBe(7);
    await returnOrder(orderId, { reasonCode: "out_of_stock_long" });
    const res = await returnOrder(orderId, { reasonCode: "cannot_contact_patient", note: "三次电话未接通" }, await secondPharmacist());
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({
      outcome: "returned",
      toPharmacyId: null,
      reasons: ["the order was already re-routed once"],
      order: { status: "returned", pharmacyId: SECOND, reroutes: 1, returnedBy: SECOND, returnReason: "cannot_contact_patient: 三次电话未接通" },
    });
    expect((await eventsOf(orderId)).at(-1)).toMatchObject({ from_status: "pending_review", to_status: "returned", source: "desk", actor_id: "ph-second-1" });
    const notices = await notificationsOf(orderId);
    expect(notices).toEqual([
      expect.objectContaining({ channel: "sms", template: "order-returned", recipientId: null }),
      expect.objectContaining({
        channel: "inbox",
        template: "doctor-order-returned",
        recipientId: "doc-shimen-gp-intermediate",
        params: expect.objectContaining({ reasonCode: "cannot_contact_patient", returnReason: "cannot_contact_patient: 三次电话未接通", pharmacyId: SECOND }),
      }),
    ]);
    // nothing was handed over: the supply line no longer counts
    expect(await supplyDays(rx.id)).toEqual([0]);
    // the doctor sees where it came back from and why
    const seen = await prescriptionAsDoctor(rx.id);
    expect(seen.body.orders.find((o) => o.id === orderId)).toMatchObject({ status: "returned", returnedBy: SECOND, returnReason: "cannot_contact_patient: 三次电话未接通" });
    expect(await auditRows(orderId, "order.return")).toEqual([
      { actorId: "ph-second-1", before: expect.any(Object), after: expect.objectContaining({ status: "returned", fromPharmacyId: SECOND, notReroutedBecause: ["the order was already re-routed once"] }) },
    ]);
  });

  it("returns to the doctor when no other pharmacy fits (a cold-chain item and no other cold chain)", async () => {
    const { orderId } = await aDeliveryOrder();
    await env.DB.prepare("UPDATE orders SET items = json_set(items, '$[0].storage', 'cold_chain') WHERE id = ?").bind(orderId).run();
    const res = await returnOrder(orderId, { reasonCode: "no_cold_chain", note: "冷链车检修" });
    expect(res.body).toMatchObject({ outcome: "returned", order: { status: "returned", reroutes: 0, returnedBy: "pharm-cloud" } });
    expect(res.body.reasons).toContain(`青溪县第二药房 (${SECOND}) lacks cold_chain`);
  });

  it("sends a pickup order back to the doctor: its window is the patient's choice, moved only with consent", async () => {
    const { orderId } = await aPickupOrder();
    const res = await returnOrder(orderId, { reasonCode: "out_of_stock_long" });
    expect(res.body).toMatchObject({ outcome: "returned", order: { status: "returned", pickupSiteId: "site-cloud-shimen" } });
    expect(res.body.reasons[0]).toMatch(/consent/);
  });

  it("sends a change_requested order, and an awaiting_stock one, straight back to the doctor; what was handed over stays supplied", async () => {
    const pending = await aDeliveryOrder();
    await forceStatus(pending.orderId, "change_requested");
    expect((await returnOrder(pending.orderId, { reasonCode: "other", note: "医生未回复变更" })).body).toMatchObject({ outcome: "returned", order: { status: "returned" } });

    const held = await aPickupOrder();
    const items = (await getOrder(held.orderId)).body.items;
    await forceStatus(held.orderId, "awaiting_stock", { items: items.map((i) => ({ ...i, packages: 2, supplied: 1 })) });
    const res = await returnOrder(held.orderId, { reasonCode: "out_of_stock_long" });
    expect(res.body).toMatchObject({ outcome: "returned", order: { status: "returned" } });
    // 7 days for 1 package prescribed; 1 package handed over still counts
    expect(await supplyDays(held.rx.id)).toEqual([7]);
  });

  it("withdraws the open change request of an order it returns to the doctor from change_requested", async () => {
    const vbp = await aVbpAmlodipine();
    const { orderId } = await aPickupOrder();
    const cr = await proposed(orderId, [{ index: 0, drugCode: vbp }]);
    expect((await orderState(orderId))?.status).toBe("change_requested");
    const res = await returnOrder(orderId, { reasonCode: "other", note: "患者改在他处购药" });
    expect(res.body).toMatchObject({ outcome: "returned", order: { status: "returned" } });
    const row = await env.DB.prepare("SELECT status, decided_by AS decidedBy, decision_note AS note FROM change_requests WHERE id = ?").bind(cr.id).first();
    expect(row).toEqual({ status: "withdrawn", decidedBy: "ph-cloud-1", note: "other: 患者改在他处购药" });
  });

  it("lets a 药士 return an order (a matter of stock and reach, not of review)", async () => {
    const { orderId } = await aDeliveryOrder();
    const res = await returnOrder(orderId, { reasonCode: "outside_delivery_area" }, await tokenFor("pharmacist", "ph-cloud-3", "pharm-cloud"));
    expect(res.status).toBe(200);
  });

  it("re-routes to an external pharmacy with an order.created row of its own key, delivered through the queue", async () => {
    const scenario = await useScenario("returns-external");
    // 仁和 takes no delivery while the order is signed, so the cloud pharmacy gets it; then it delivers again
    await env.DB.prepare("UPDATE pharmacies SET capabilities = '[]' WHERE id = ?").bind(RENHE).run();
    const { orderId } = await aDeliveryOrder(`${TAOYUAN}/仁和村`);
    await env.DB.prepare("UPDATE pharmacies SET capabilities = '[\"delivery\"]' WHERE id = ?").bind(RENHE).run();
    expect((await orderState(orderId))?.pharmacyId).toBe("pharm-cloud");

    const res = await returnOrder(orderId, { reasonCode: "out_of_stock_long" });
    expect(res.body).toMatchObject({ outcome: "rerouted", toPharmacyId: RENHE, order: { pharmacyId: RENHE, status: "pending_review" } });
    const key = `obx_${orderId}_created_r1`;
    const [row] = await waitFor(() => outboxRows([orderId]), (rows) => rows[0]?.state === "delivered");
    expect(row).toMatchObject({ id: key, idempotencyKey: key, state: "delivered" });
    expect((await scenario.state()).orders[key]).toMatchObject({ orderId, kind: "order.created", receipts: 1 });
  });
});

describe("changing the pickup site with the patient's consent", () => {
  beforeAll(async () => {
    await loadDemoSeed();
    await addSecondPharmacy();
  });

  it("moves the order to another window of the same pharmacy: the site changes, the consent is on the timeline and in the audit", async () => {
    const { orderId } = await aPickupOrder();
    const before = await orderState(orderId);
    const res = await changeSite(orderId, { pickupSiteId: "site-cloud-chengguan", consent: { method: "phone", note: "患者本人来电", confirmedAt: "2026-11-25T09:30:00+08:00" } });
    if (res.status !== 200) throw new Error(JSON.stringify(res.body));
    expect(res.body).toMatchObject({ outcome: "site_changed", toPharmacyId: null, order: { pickupSiteId: "site-cloud-chengguan", pharmacyId: "pharm-cloud", status: "pending_review", reroutes: 0 } });
    expect(await orderState(orderId)).toMatchObject({ pickupSiteId: "site-cloud-chengguan", status: "pending_review", version: (before?.version ?? 0) + 1, reroutes: 0 });
    const last = (await eventsOf(orderId)).at(-1);
    expect(last).toMatchObject({ from_status: "pending_review", to_status: "pending_review", source: "desk" });
    expect(last?.note).toContain("电话确认");
    expect(last?.note).toContain("site-cloud-shimen → site-cloud-chengguan");
    expect(await auditRows(orderId, "order.site_change")).toEqual([
      {
        actorId: "ph-cloud-1",
        before: { pickupSiteId: "site-cloud-shimen", version: before?.version },
        after: { pickupSiteId: "site-cloud-chengguan", version: (before?.version ?? 0) + 1, consent: { method: "phone", note: "患者本人来电", confirmedAt: "2026-11-25T01:30:00.000Z", recordedBy: "ph-cloud-1" } },
      },
    ]);
  });

  it("moves an order to another pharmacy's window as its one re-route, with the consent recorded", async () => {
    const { orderId } = await aPickupOrder();
    const res = await changeSite(orderId, { pickupSiteId: SECOND_SITE, consent: { method: "in_person" } });
    expect(res.body).toMatchObject({
      outcome: "rerouted",
      toPharmacyId: SECOND,
      order: { pharmacyId: SECOND, pickupSiteId: SECOND_SITE, status: "pending_review", reroutes: 1, returnedBy: "pharm-cloud", returnReason: "site_changed" },
    });
    const [audit] = await auditRows(orderId, "order.reroute");
    expect(audit?.after).toMatchObject({ fromPharmacyId: "pharm-cloud", toPharmacyId: SECOND, fromSiteId: "site-cloud-shimen", toSiteId: SECOND_SITE, consent: { method: "in_person" } });
    // the once-only re-route is spent: it cannot move to another pharmacy again
    const again = await changeSite(orderId, { pickupSiteId: "site-cloud-chengguan", consent: { method: "phone" } }, await secondPharmacist());
    expect(again.status).toBe(409);
    expect(again.body.detail).toMatch(/once/);
  });

  it("moves a scheduled later instalment within the pharmacy before it is released", async () => {
    const { orderId } = await aPickupOrder();
    await forceStatus(orderId, "scheduled");
    const res = await changeSite(orderId, { pickupSiteId: "site-cloud-chengguan", consent: { method: "sms" } });
    expect(res.body).toMatchObject({ outcome: "site_changed", order: { status: "scheduled", pickupSiteId: "site-cloud-chengguan" } });
  });
});

describe("round trips", () => {
  beforeAll(async () => {
    await loadDemoSeed();
    await addSecondPharmacy();
  });

  const deskCtx = async (db: D1Database): Promise<DeskCtx> => ({
    db: getDb(db),
    actor: { sub: "ph-cloud-1", role: "pharmacist", org: "pharm-cloud", name: "徐文静" },
    requestId: "rt",
    now: new Date(),
    queue: env.ORDER_QUEUE,
    signer: await getSigner(env),
  });

  it("costs two round trips per return (re-routed or back to the doctor) and per site change: one read batch, one write batch", async () => {
    const cases: [() => Promise<{ orderId: string }>, (ctx: DeskCtx, orderId: string) => Promise<{ outcome: string }>][] = [
      [aDeliveryOrder, (ctx, id) => returnDeskOrder(ctx, id, { reasonCode: "out_of_stock_long" })],
      [aPickupOrder, (ctx, id) => returnDeskOrder(ctx, id, { reasonCode: "out_of_stock_long" })],
      [aPickupOrder, (ctx, id) => changePickupSite(ctx, id, { pickupSiteId: "site-cloud-chengguan", consent: { method: "phone" } })],
      [aPickupOrder, (ctx, id) => changePickupSite(ctx, id, { pickupSiteId: SECOND_SITE, consent: { method: "phone" } })],
    ];
    const outcomes: string[] = [];
    const counts: number[] = [];
    for (const [make, action] of cases) {
      const { orderId } = await make();
      const counter = countingD1(env.DB);
      outcomes.push((await action(await deskCtx(counter.db), orderId)).outcome);
      counts.push(counter.count());
    }
    expect(outcomes).toEqual(["rerouted", "returned", "site_changed", "rerouted"]);
    expect(counts).toEqual([2, 2, 2, 2]);
  });
});
