/**
 * Bugs the model-based test of orders (orders.model.test.ts) found, each as its shrunk
 * counterexample replayed by hand.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { loadDemoSeed } from "../support/seed";
import { accept, anOrderInReview, aVbpAmlodipine, changeRequestRow, decline, orderState, proposed } from "./change-requests.fixtures";
import { act } from "./desk.fixtures";

describe("orders: counterexamples of the model", () => {
  let vbp = "";
  beforeAll(async () => {
    await loadDemoSeed();
    vbp = await aVbpAmlodipine();
  });

  // [sign(normal, pickup@site-cloud-shimen)], propose-change, desk-cancel: the request stayed open, undecidable
  it("withdraws the open change request when the desk cancels the order waiting for the doctor", async () => {
    const { orderId } = await anOrderInReview();
    const cr = await proposed(orderId, [{ index: 0, drugCode: vbp }]);
    const cancelled = await act(orderId, "cancel", { reason: "患者已转诊" });
    expect(cancelled.status).toBe(200);
    expect(await orderState(orderId)).toMatchObject({ status: "cancelled" });
    expect(await changeRequestRow(cr.id)).toMatchObject({ status: "withdrawn", decision_note: "患者已转诊", version: 2 });
    expect((await accept(cr.id)).status).toBe(409);
    expect((await decline(cr.id)).status).toBe(409);
  });
});
