import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { Problem } from "../../worker/http/problem";
import { api } from "../support/api";
import { loadDemoSeed } from "../support/seed";
import {
  APPROVE,
  aDeliveryOrder,
  act,
  advance,
  aPickupOrder,
  aReadyPickupOrder,
  cloudPharmacist,
  DISPENSE,
  eventsOf,
  orderRow,
  pickupCodeFromSms,
  shimenDoctor,
  TEST_LOT,
} from "./desk.fixtures";

/** A six-digit code other than `code`. */
const wrong = (code: string, n = 1) => String((Number(code) + n) % 1_000_000).padStart(6, "0");

describe("illegal transitions", () => {
  beforeAll(loadDemoSeed);

  it("answers 409 for every action the order's status does not allow, and changes nothing", async () => {
    const { orderId } = await aPickupOrder();
    for (const [action, body] of [["dispense", { items: [{ index: 0, packages: 1, ...TEST_LOT }] }], ["ready"], ["handover", { pickupCode: "123456" }], ["deliver"], ["reissue-pickup-code", { reason: "患者未收到短信" }]] as const) {
      const res = await act(orderId, action, body);
      expect(res.status, action).toBe(409);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      expect(res.body.code, action).toBe("conflict");
    }
    await advance(orderId, APPROVE);
    expect((await act(orderId, "review", { decision: "reject", reasonCode: "inappropriate.indication" })).status).toBe(409);
    expect((await act(orderId, "ready")).status).toBe(409);
    expect((await eventsOf(orderId)).map((e) => e.to_status)).toEqual(["pending_review", "approved"]);
    expect((await orderRow(orderId))?.status).toBe("approved");
  });

  it("refuses to ship or deliver a pickup order and to ready a delivery order (409)", async () => {
    const { orderId: pickup } = await aPickupOrder();
    await advance(pickup, APPROVE, DISPENSE);
    const ship = await act(pickup, "ship", { carrier: "顺丰速运", trackingNo: "SF000111" });
    expect(ship.status).toBe(409);
    expect(ship.body.detail).toContain("pickup");

    const { orderId: delivery } = await aDeliveryOrder();
    await advance(delivery, APPROVE, DISPENSE);
    expect((await act(delivery, "ready")).status).toBe(409);
    expect((await act(delivery, "handover", { pickupCode: "000000" })).status).toBe(409);
  });

  it("cannot cancel after hand-over (409)", async () => {
    const { orderId, code } = await aReadyPickupOrder();
    await advance(orderId, ["handover", { pickupCode: code }]);
    expect((await act(orderId, "cancel", { reason: "误操作" })).status).toBe(409);
  });

  it("refuses the doctor's cancellation once an order is dispensing (409), leaving the order as it was", async () => {
    const { orderId, rx } = await aPickupOrder();
    await advance(orderId, APPROVE, DISPENSE);
    const res = await api<Problem>("POST", `/prescriptions/${rx.id}/cancel`, { token: await shimenDoctor(), body: { reason: "改方案" } });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe("conflict");
    expect((await orderRow(orderId))?.status).toBe("dispensing");
  });
});

describe("review input", () => {
  beforeAll(loadDemoSeed);

  it("needs a 处方点评 reason code to reject (400), from the catalogue, and none to approve", async () => {
    const { orderId } = await aPickupOrder();
    const missing = await act(orderId, "review", { decision: "reject", note: "不合理" });
    expect(missing.status).toBe(400);
    expect(missing.body.code).toBe("validation-failed");
    expect(missing.body.issues?.map((i) => i.path)).toEqual(["reasonCode"]);
    expect((await act(orderId, "review", { decision: "reject", reasonCode: "looks_wrong" })).status).toBe(400);
    expect((await act(orderId, "review", { decision: "approve", reasonCode: "inappropriate.dosage" })).status).toBe(400);
    expect((await act(orderId, "review", { decision: "maybe" })).status).toBe(400);
    expect((await orderRow(orderId))?.status).toBe("pending_review");
  });

  it("refuses to approve a prescription whose signed content was changed (422)", async () => {
    const { orderId, rx } = await aPickupOrder();
    await env.DB.prepare("UPDATE prescriptions SET content = replace(content, '\"days\":7', '\"days\":70') WHERE id = ?").bind(rx.id).run();
    const res = await act(orderId, "review", { decision: "approve" });
    expect(res.status).toBe(422);
    expect(res.body.detail).toContain("does not verify");
    expect((await orderRow(orderId))?.status).toBe("pending_review");
    // rejecting it is still possible
    expect((await act(orderId, "review", { decision: "reject", reasonCode: "non_standard.signature" })).status).toBe(200);
  });

  it("validates ship and handover bodies (400)", async () => {
    const { orderId } = await aDeliveryOrder();
    await advance(orderId, APPROVE, DISPENSE);
    expect((await act(orderId, "ship", { carrier: "", trackingNo: "SF1" })).status).toBe(400);
    expect((await act(orderId, "ship", { carrier: "顺丰速运" })).status).toBe(400);
    expect((await act(orderId, "handover", { pickupCode: "12345" })).status).toBe(400);
    expect((await act(orderId, "cancel", {})).status).toBe(400);
    expect((await orderRow(orderId))?.status).toBe("dispensing");
  });
});

describe("pickup codes", () => {
  beforeAll(loadDemoSeed);

  it("counts wrong codes, voids the code at the fifth (too-many-attempts) until it is reissued", async () => {
    const { orderId, code } = await aReadyPickupOrder();
    for (let attempt = 1; attempt <= 4; attempt++) {
      const res = await act(orderId, "handover", { pickupCode: wrong(code, attempt) });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe("conflict");
      expect(res.body.detail).toContain(`${5 - attempt} attempt(s) left`);
      expect((await orderRow(orderId))?.pickup_attempts).toBe(attempt);
    }
    const fifth = await act(orderId, "handover", { pickupCode: wrong(code, 5) });
    expect(fifth.status).toBe(409);
    expect(fifth.body.code).toBe("too-many-attempts");
    // the right code no longer works
    const right = await act(orderId, "handover", { pickupCode: code });
    expect(right.status).toBe(409);
    expect(right.body.code).toBe("too-many-attempts");
    expect((await orderRow(orderId))?.status).toBe("ready_for_pickup");

    const reissued = await act(orderId, "reissue-pickup-code", { reason: "五次输错，患者本人到窗口" });
    expect(reissued.status).toBe(200);
    expect(reissued.body).not.toHaveProperty("pickupCode");
    const fresh = await pickupCodeFromSms(orderId);
    expect(fresh).toMatch(/^\d{6}$/);
    expect(JSON.stringify(reissued.body)).not.toContain(fresh);
    // the code's own count starts again; the order's lifetime count does not
    expect(reissued.body).toMatchObject({ pickupAttempts: 0, pickupAttemptsTotal: 5, pickupCodeReissues: 1, pickupCodeValid: true, status: "ready_for_pickup" });
    const sms = await env.DB.prepare("SELECT params FROM notifications WHERE order_id = ? AND template = 'order-ready-for-pickup' ORDER BY created_at, id").bind(orderId).all<{ params: string }>();
    expect(sms.results.map((r) => JSON.parse(r.params).pickupCode)).toEqual(expect.arrayContaining([code, fresh]));

    if (fresh !== code) expect((await act(orderId, "handover", { pickupCode: code })).status).toBe(409);
    expect((await act(orderId, "handover", { pickupCode: fresh })).body.status).toBe("picked_up");
    const audit = await env.DB.prepare("SELECT action FROM audit_events WHERE entity_id = ? AND action LIKE 'order.pickup_code%'").bind(orderId).all<{ action: string }>();
    expect(audit.results.filter((a) => a.action === "order.pickup_code.wrong").length).toBeGreaterThanOrEqual(5);
    expect(audit.results.filter((a) => a.action === "order.pickup_code.reissue")).toHaveLength(1);
  });
});

describe("listing input", () => {
  it("rejects an unknown status and a forged cursor (400)", async () => {
    await loadDemoSeed();
    const token = await cloudPharmacist();
    expect((await api<Problem>("GET", "/orders?status=lost", { token })).status).toBe(400);
    const forged = await api<Problem>("GET", "/orders?cursor=bm90LWEtY3Vyc29y", { token });
    expect(forged.status).toBe(400);
    expect(forged.body.code).toBe("invalid-cursor");
  });
});
