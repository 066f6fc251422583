import { beforeAll, describe, expect, it } from "vitest";
import { api, asAdmin, tokenFor } from "../support/api";
import { RENHE, TAOYUAN } from "../support/fake-pharmacy.client";
import { loadDemoSeed } from "../support/seed";
import { aDeliveryOrder, aPickupOrder, renhePharmacist, shimenDoctor } from "./desk.fixtures";
import { addSecondPharmacy, changeSite, orderState, returnOrder, secondPharmacist } from "./returns.fixtures";

const RETURN = { reasonCode: "out_of_stock_long" };
const CHANGE = { pickupSiteId: "site-cloud-chengguan", consent: { method: "phone" } };

describe("returns and site changes: who may", () => {
  beforeAll(async () => {
    await loadDemoSeed();
    await addSecondPharmacy();
  });

  it("answers 401 without a token", async () => {
    const { orderId } = await aPickupOrder();
    expect((await api("POST", `/orders/${orderId}/return`, { body: RETURN })).status).toBe(401);
    expect((await api("POST", `/orders/${orderId}/change-site`, { body: CHANGE })).status).toBe(401);
  });

  it("answers 403 to doctors and admins (admins read orders, never change them)", async () => {
    const { orderId } = await aPickupOrder();
    const before = await orderState(orderId);
    for (const token of [await shimenDoctor(), await asAdmin()]) {
      expect((await returnOrder(orderId, RETURN, token)).status).toBe(403);
      expect((await changeSite(orderId, CHANGE, token)).status).toBe(403);
    }
    expect(await orderState(orderId)).toEqual(before);
  });

  it("answers 404 to another pharmacy's pharmacist: the order's existence does not leak", async () => {
    const { orderId } = await aPickupOrder();
    const before = await orderState(orderId);
    expect((await returnOrder(orderId, RETURN, await secondPharmacist())).status).toBe(404);
    expect((await changeSite(orderId, CHANGE, await secondPharmacist())).status).toBe(404);
    expect(await orderState(orderId)).toEqual(before);
  });

  it("answers 403 to a token of the pharmacy whose subject is not registered there", async () => {
    const { orderId } = await aPickupOrder();
    expect((await returnOrder(orderId, RETURN, await tokenFor("pharmacist", "ph-renhe-1", "pharm-cloud"))).status).toBe(403);
    expect((await returnOrder(orderId, RETURN, await tokenFor("pharmacist", "ph-ghost", "pharm-cloud"))).status).toBe(403);
  });

  it("answers 403 to an external pharmacy's staff on its own order: it returns through its signed callback", async () => {
    const { orderId } = await aDeliveryOrder(`${TAOYUAN}/仁和村`);
    expect((await orderState(orderId))?.pharmacyId).toBe(RENHE);
    const res = await returnOrder(orderId, RETURN, await renhePharmacist());
    expect(res.status).toBe(403);
    expect(res.body.detail).toMatch(/signed callbacks/);
    expect((await orderState(orderId))?.pharmacyId).toBe(RENHE);
  });

  it("lets every role read the return reasons with their labels", async () => {
    for (const token of [await shimenDoctor(), await asAdmin(), await secondPharmacist()]) {
      const res = await api<{ reasons: { code: string; label: string }[] }>("GET", "/orders/return-reasons", { token });
      expect(res.status).toBe(200);
      expect(res.body.reasons).toContainEqual({ code: "out_of_stock_long", label: "长期缺货" });
    }
  });
});
