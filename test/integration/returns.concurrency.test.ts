import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { reviewOrder } from "../../worker/pharmacy/desk/review.service";
import { changePickupSite, returnDeskOrder } from "../../worker/pharmacy/desk/returns.service";
import { CHANGED_MEANWHILE } from "../../worker/pharmacy/orders/transition";
import { outcomes, } from "../support/race";
import { loadDemoSeed } from "../support/seed";
import { act, aDeliveryOrder, aPickupOrder, deskRacers, eventsOf } from "./desk.fixtures";
import { addSecondPharmacy, auditRows, changeSite, orderState, returnOrder, SECOND } from "./returns.fixtures";

/*
 * Exactly one of simultaneous changes to one order wins (the versioned update and its
 * guard), whatever they are: two returns, a return and an approval, a return and a site
 * change. The first block sends requests together through the worker's fetch handler; a
 * request that happens to run after the winner finds the order gone to another pharmacy
 * (404) or in a state it cannot leave (409). The second block forces the worst
 * interleaving: every caller reads before any writes.
 */

const LOST = `conflict: ${CHANGED_MEANWHILE}`;
const statuses = (results: { status: number }[]) => results.map((r) => r.status).sort();

describe("concurrent returns", () => {
  beforeAll(async () => {
    await loadDemoSeed();
    await addSecondPharmacy();
  });

  it("re-routes once when two pharmacists return the same order at once: one 200, the other 409 (raced) or 404 (the order left)", async () => {
    const { orderId } = await aDeliveryOrder();
    const results = await Promise.all([returnOrder(orderId, { reasonCode: "out_of_stock_long" }), returnOrder(orderId, { reasonCode: "outside_delivery_area" })]);
    expect(statuses(results)[0]).toBe(200);
    expect([404, 409]).toContain(statuses(results)[1]);
    const winner = results.find((r) => r.status === 200)?.body;
    expect(await orderState(orderId)).toMatchObject({ pharmacyId: SECOND, reroutes: 1, returnReason: winner?.order.returnReason });
    expect((await eventsOf(orderId)).filter((e) => e.note?.includes("→"))).toHaveLength(1);
    expect(await auditRows(orderId, "order.reroute")).toHaveLength(1);
  });

  it("settles a return racing an approval consistently: rerouted (approved first or not) or approved here", async () => {
    for (let i = 0; i < 3; i++) {
      const { orderId } = await aDeliveryOrder();
      const [ret, approve] = await Promise.all([returnOrder(orderId, { reasonCode: "out_of_stock_long" }), act(orderId, "review", { decision: "approve" })]);
      const state = await orderState(orderId);
      // a return after a committed approval is legal (nothing dispensed): both succeed, in that order
      if (ret.status === 200) expect(state).toMatchObject({ status: "pending_review", pharmacyId: SECOND, reroutes: 1 });
      else expect(state).toMatchObject({ status: "approved", pharmacyId: "pharm-cloud", reroutes: 0 });
      if (approve.status === 200 && ret.status === 200) expect((await eventsOf(orderId)).map((e) => e.to_status)).toEqual(["pending_review", "approved", "pending_review"]);
      expect(ret.status === 200 || approve.status === 200).toBe(true);
    }
  });

  it("lets exactly one of a return and a change of site win", async () => {
    const { orderId } = await aPickupOrder();
    const results = await Promise.all([
      returnOrder(orderId, { reasonCode: "cannot_contact_patient" }),
      changeSite(orderId, { pickupSiteId: "site-cloud-chengguan", consent: { method: "phone" } }),
    ]);
    expect(statuses(results)).toEqual([200, 409]);
    const state = await orderState(orderId);
    expect(state?.status === "returned" || state?.pickupSiteId === "site-cloud-chengguan").toBe(true);
    expect(state?.status === "returned" && state.pickupSiteId === "site-cloud-chengguan").toBe(false);
  });

  it("never lets two pharmacies both take an order returned twice at once", async () => {
    const { orderId } = await aDeliveryOrder();
    await Promise.all(Array.from({ length: 4 }, () => returnOrder(orderId, { reasonCode: "out_of_stock_long" })));
    const reroutes = await env.DB.prepare("SELECT count(*) AS n FROM order_events WHERE order_id = ? AND from_status = to_status").bind(orderId).first<{ n: number }>();
    expect(reroutes?.n).toBe(1);
    expect((await orderState(orderId))?.reroutes).toBe(1);
  });
});

describe("concurrent returns that all read the same version", () => {
  beforeAll(async () => {
    await loadDemoSeed();
    await addSecondPharmacy();
  });


  it("3 returns from the same version: one re-route commits, two are rolled back whole", async () => {
    const { orderId } = await aDeliveryOrder();
    const racers = await deskRacers(3);
    const result = await outcomes(racers.map((ctx) => returnDeskOrder(ctx, orderId, { reasonCode: "out_of_stock_long" })));
    expect(result.sort()).toEqual([LOST, LOST, "ok"]);
    expect(await orderState(orderId)).toMatchObject({ pharmacyId: SECOND, reroutes: 1 });
    expect(await auditRows(orderId, "order.reroute")).toHaveLength(1);
  });

  it("a return and an approval from the same pending version: exactly one commits", async () => {
    const { orderId } = await aDeliveryOrder();
    const [a, b] = await deskRacers(2);
    if (!a || !b) throw new Error("two racers");
    const result = await outcomes([returnDeskOrder(a, orderId, { reasonCode: "out_of_stock_long" }), reviewOrder(b, orderId, { decision: "approve" })]);
    expect([...result].sort()).toEqual([LOST, "ok"]);
    const state = await orderState(orderId);
    expect(state).toMatchObject(result[0] === "ok" ? { status: "pending_review", pharmacyId: SECOND } : { status: "approved", pharmacyId: "pharm-cloud" });
  });

  it("a return and a change of site from the same version: exactly one commits", async () => {
    const { orderId } = await aPickupOrder();
    const [a, b] = await deskRacers(2);
    if (!a || !b) throw new Error("two racers");
    const result = await outcomes([
      returnDeskOrder(a, orderId, { reasonCode: "cannot_contact_patient" }),
      changePickupSite(b, orderId, { pickupSiteId: "site-cloud-chengguan", consent: { method: "phone" } }),
    ]);
    expect([...result].sort()).toEqual([LOST, "ok"]);
    expect(await orderState(orderId)).toMatchObject(result[0] === "ok" ? { status: "returned", pickupSiteId: "site-cloud-shimen" } : { status: "pending_review", pickupSiteId: "site-cloud-chengguan" });
  });
});
