import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../../worker/db/index";
import type { Principal } from "../../worker/http/auth";
import { cancelDeskOrder } from "../../worker/pharmacy/desk/cancel.service";
import { deliverOrder, shipOrder } from "../../worker/pharmacy/desk/delivery.service";
import type { DeskCtx } from "../../worker/pharmacy/desk/desk.access";
import { countDeskOrders, getDeskOrder, listDeskOrders } from "../../worker/pharmacy/desk/desk.service";
import { dispenseOrder } from "../../worker/pharmacy/desk/dispense.service";
import { handOverOrder, readyOrder, reissuePickupCode } from "../../worker/pharmacy/desk/pickup.service";
import { reviewOrder } from "../../worker/pharmacy/desk/review.service";
import { getSigner } from "../../worker/signing/signer";
import { countingD1 } from "../support/d1-counter";
import { loadDemoSeed } from "../support/seed";
import { APPROVE, aDeliveryOrder, advance, aPickupOrder, DISPENSE, fullDispense, pickupCodeFromSms } from "./desk.fixtures";

/*
 * What each desk action costs in D1 round trips (test/support/d1-counter.ts): the one-batch
 * read of desk.access (the caller, the pharmacy, the order, its site, and for an approval
 * the prescription it verifies) and one guarded write batch. Reads: one batch each; an
 * order's page adds its audit row.
 */

const PHARMACIST: Principal = { sub: "ph-cloud-1", role: "pharmacist", org: "pharm-cloud", name: "" };

async function counted<T>(run: (ctx: DeskCtx) => Promise<T>): Promise<number> {
  const counter = countingD1(env.DB);
  const ctx: DeskCtx = { db: getDb(counter.db), actor: PHARMACIST, requestId: "trips", now: new Date(), queue: env.ORDER_QUEUE, signer: await getSigner(env) };
  await run(ctx);
  return counter.count();
}

describe("round trips of the desk", () => {
  beforeAll(loadDemoSeed);

  it("costs two per action: read, then write", async () => {
    const trips: Record<string, number> = {};

    const approveMe = await aPickupOrder();
    trips.approve = await counted((ctx) => reviewOrder(ctx, approveMe.orderId, { decision: "approve" }));
    const rejectMe = await aPickupOrder();
    trips.reject = await counted((ctx) => reviewOrder(ctx, rejectMe.orderId, { decision: "reject", reasonCode: "inappropriate.dosage" }));

    const body = await fullDispense(approveMe.orderId);
    trips.dispense = await counted((ctx) => dispenseOrder(ctx, approveMe.orderId, body));
    trips.ready = await counted((ctx) => readyOrder(ctx, approveMe.orderId));
    trips.reissue = await counted((ctx) => reissuePickupCode(ctx, approveMe.orderId, "患者未收到短信"));
    const code = await pickupCodeFromSms(approveMe.orderId);
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, "0");
    trips["handover (wrong code)"] = await counted((ctx) => handOverOrder(ctx, approveMe.orderId, wrong).catch(() => undefined));
    trips.handover = await counted((ctx) => handOverOrder(ctx, approveMe.orderId, code));

    const cancelMe = await aPickupOrder();
    await advance(cancelMe.orderId, APPROVE);
    trips.cancel = await counted((ctx) => cancelDeskOrder(ctx, cancelMe.orderId, "患者联系不上"));

    const delivery = await aDeliveryOrder();
    await advance(delivery.orderId, APPROVE, DISPENSE);
    trips.ship = await counted((ctx) => shipOrder(ctx, delivery.orderId, { carrier: "顺丰速运", trackingNo: "SF1234567890" }));
    trips.deliver = await counted((ctx) => deliverOrder(ctx, delivery.orderId));

    expect(trips).toEqual({
      approve: 2,
      reject: 2,
      dispense: 2,
      ready: 2,
      reissue: 2,
      "handover (wrong code)": 2,
      handover: 2,
      cancel: 2,
      ship: 2,
      deliver: 2,
    });
  });

  it("costs one per queue page and per count, and one plus the audit row per order page", async () => {
    const { orderId } = await aPickupOrder();
    expect(await counted((ctx) => listDeskOrders(ctx, { limit: 20 }))).toBe(1);
    expect(await counted((ctx) => listDeskOrders(ctx, { statuses: ["pending_review", "approved"], mode: "pickup", instalment: "first", limit: 20 }))).toBe(1);
    expect(await counted((ctx) => countDeskOrders(ctx, {}))).toBe(1);
    expect(await counted((ctx) => getDeskOrder(ctx, orderId))).toBe(2);
  });
});
