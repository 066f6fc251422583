import { beforeAll, describe, expect, it } from "vitest";
import { loadDemoSeed } from "../support/seed";
import { aDeliveryOrder, aPickupOrder } from "./desk.fixtures";
import { addSecondPharmacy, changeSite, forceStatus, orderState, returnOrder, SECOND_SITE } from "./returns.fixtures";

/** Every refusal leaves the order exactly as it was (same version). */
async function unchanged(orderId: string, attempt: () => Promise<{ status: number; body: { code?: string } }>, status: number, code?: string) {
  const before = await orderState(orderId);
  const res = await attempt();
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  if (code) expect(res.body.code).toBe(code);
  expect(await orderState(orderId)).toEqual(before);
  return res;
}

describe("returns: errors", () => {
  beforeAll(async () => {
    await loadDemoSeed();
    await addSecondPharmacy();
  });

  it.each(["scheduled", "dispensing", "ready_for_pickup", "shipped", "picked_up", "delivered", "rejected", "returned", "expired", "cancelled"])(
    "answers 409 to a return of a %s order (drugs dispensed, or nothing left to return)",
    async (status) => {
      const { orderId } = await aDeliveryOrder();
      await forceStatus(orderId, status);
      const res = await unchanged(orderId, () => returnOrder(orderId, { reasonCode: "out_of_stock_long" }), 409, "conflict");
      expect((res.body as { detail?: string }).detail).toContain(`cannot return an order that is ${status}`);
    },
  );

  it.each([
    ["no body fields", {}],
    ["an unknown reason", { reasonCode: "too_busy" }],
    ["`other` without a note", { reasonCode: "other" }],
    ["a blank note", { reasonCode: "other", note: "   " }],
    ["a note too long", { reasonCode: "out_of_stock_long", note: "缺".repeat(301) }],
    ["an unknown field", { reasonCode: "out_of_stock_long", pharmacyId: "pharm-second" }],
    ["an array", [{ reasonCode: "out_of_stock_long" }]],
  ])("answers 400 to a return with %s", async (_, body) => {
    const { orderId } = await aDeliveryOrder();
    await unchanged(orderId, () => returnOrder(orderId, body), 400, "validation-failed");
  });

  it("answers 404 for an order that does not exist", async () => {
    expect((await returnOrder("ord_nope", { reasonCode: "out_of_stock_long" })).status).toBe(404);
    expect((await changeSite("ord_nope", { pickupSiteId: "site-cloud-chengguan", consent: { method: "phone" } })).status).toBe(404);
  });
});

describe("change of pickup site: errors", () => {
  beforeAll(async () => {
    await loadDemoSeed();
    await addSecondPharmacy();
  });

  const consent = { method: "phone" };

  it("refuses a delivery order (409): it has no window", async () => {
    const { orderId } = await aDeliveryOrder();
    await unchanged(orderId, () => changeSite(orderId, { pickupSiteId: "site-cloud-chengguan", consent }), 409, "conflict");
  });

  it.each(["dispensing", "ready_for_pickup", "picked_up", "awaiting_stock", "change_requested", "returned", "cancelled"])("refuses a %s order (409): only before dispensing", async (status) => {
    const { orderId } = await aPickupOrder();
    await forceStatus(orderId, status);
    await unchanged(orderId, () => changeSite(orderId, { pickupSiteId: "site-cloud-chengguan", consent }), 409, "conflict");
  });

  it("refuses to move a scheduled instalment to another pharmacy (409): a re-route happens once it is released", async () => {
    const { orderId } = await aPickupOrder();
    await forceStatus(orderId, "scheduled");
    await unchanged(orderId, () => changeSite(orderId, { pickupSiteId: SECOND_SITE, consent }), 409, "conflict");
  });

  it("refuses the site the order already has (409) and an unknown site (422)", async () => {
    const { orderId } = await aPickupOrder();
    await unchanged(orderId, () => changeSite(orderId, { pickupSiteId: "site-cloud-shimen", consent }), 409, "conflict");
    const res = await unchanged(orderId, () => changeSite(orderId, { pickupSiteId: "site-nowhere", consent }), 422, "unprocessable");
    expect((res.body as { issues?: { path: string }[] }).issues?.[0]?.path).toBe("pickupSiteId");
  });

  it("refuses another pharmacy's window that lacks what an item needs (422 no-eligible-pharmacy)", async () => {
    const { orderId } = await aPickupOrder();
    await forceStatus(orderId, "pending_review", {
      items: [{ drugCode: "W185-01", genericName: "苯磺酸氨氯地平片", packages: 1, storage: "cold_chain" }],
    });
    const res = await unchanged(orderId, () => changeSite(orderId, { pickupSiteId: SECOND_SITE, consent }), 422, "no-eligible-pharmacy");
    expect(JSON.stringify(res.body)).toContain("lacks cold_chain");
  });

  const now = Date.now();
  it.each([
    ["no consent", { pickupSiteId: "site-cloud-chengguan" }],
    ["an unknown consent method", { pickupSiteId: "site-cloud-chengguan", consent: { method: "email" } }],
    ["a consent without method", { pickupSiteId: "site-cloud-chengguan", consent: { note: "同意" } }],
    ["a consent time without offset", { pickupSiteId: "site-cloud-chengguan", consent: { method: "phone", confirmedAt: "2026-11-25 09:30" } }],
    ["a consent in the future", { pickupSiteId: "site-cloud-chengguan", consent: { method: "phone", confirmedAt: new Date(now + 3_600_000).toISOString() } }],
    ["a consent older than 30 days", { pickupSiteId: "site-cloud-chengguan", consent: { method: "phone", confirmedAt: new Date(now - 31 * 86_400_000).toISOString() } }],
    ["an unknown consent field", { pickupSiteId: "site-cloud-chengguan", consent: { method: "phone", signedBy: "x" } }],
    ["no site", { consent: { method: "phone" } }],
    ["an empty site", { pickupSiteId: "", consent: { method: "phone" } }],
  ])("answers 400 to %s", async (_, body) => {
    const { orderId } = await aPickupOrder();
    await unchanged(orderId, () => changeSite(orderId, body), 400, "validation-failed");
  });
});
