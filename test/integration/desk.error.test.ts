import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { Problem } from "../../worker/errors/problem";
import { addDays, chinaDate } from "../../worker/lib/clock";
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

/** The order's dispensation rows and status: what a refused dispense must leave untouched. */
async function dispensingState(orderId: string) {
  const lots = await env.DB.prepare("SELECT count(*) AS n FROM order_dispensations WHERE order_id = ?").bind(orderId).first<{ n: number }>();
  const row = await env.DB.prepare("SELECT status, items, dispense_rounds FROM orders WHERE id = ?").bind(orderId).first<{ status: string; items: string; dispense_rounds: number }>();
  return { lots: lots?.n, ...row };
}

/** YYYY-MM of the month `n` months from this China month. */
function month(n: number): string {
  const [y, m] = chinaDate(new Date()).split("-").map(Number);
  const d = new Date(Date.UTC(y ?? 0, (m ?? 1) - 1 + n, 1));
  return d.toISOString().slice(0, 7);
}

describe("dispensing input", () => {
  beforeAll(loadDemoSeed);

  const line = (over: Record<string, unknown> = {}) => ({ index: 0, packages: 1, ...TEST_LOT, ...over });

  it.each([
    ["no items", {}],
    ["an empty list", { items: [] }],
    ["an unknown field", { items: [line()], note: "x" }],
    ["an unknown field on a line", { items: [line({ batch: "x" })] }],
    ["a dispensed line without a lot number", { items: [line({ lotNo: undefined })] }],
    ["a dispensed line without an expiry", { items: [line({ expiry: undefined })] }],
    ["a lot number with spaces", { items: [line({ lotNo: "L 123" })] }],
    ["month 13", { items: [line({ expiry: "2099-13" })] }],
    ["30 February", { items: [line({ expiry: "2099-02-30" })] }],
    ["a date in another format", { items: [line({ expiry: "05/2099" })] }],
    ["negative packages", { items: [line({ packages: -1 })] }],
    ["fractional packages", { items: [line({ packages: 0.5 })] }],
    ["the same lot twice for one item", { items: [line(), line()] }],
  ])("refuses %s (400) and changes nothing", async (_name, body) => {
    const { orderId } = await aPickupOrder();
    await advance(orderId, APPROVE);
    const before = await dispensingState(orderId);
    const res = await act(orderId, "dispense", body);
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.code).toBe("validation-failed");
    expect(await dispensingState(orderId)).toEqual(before);
  });

  it.each([
    ["more packages than the item has", [line({ packages: 2 })], "items.0.packages"],
    ["two lots together over what remains", [line({ lotNo: "A1" }), line({ lotNo: "A2" })], "items.0.packages"],
    ["an item the order does not have", [line({ index: 3 })], "items.0.index"],
    ["nothing at all (every line 0)", [line({ packages: 0, lotNo: undefined, expiry: undefined })], "items"],
    ["a lot that expired yesterday", [line({ expiry: addDays(chinaDate(new Date()), -1) })], "items.0.expiry"],
    ["a lot printed with last month", [line({ expiry: month(-1) })], "items.0.expiry"],
  ])("refuses %s (422) and changes nothing", async (_name, items, path) => {
    const { orderId } = await aPickupOrder();
    await advance(orderId, APPROVE);
    const before = await dispensingState(orderId);
    const res = await act(orderId, "dispense", { items });
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.body.code).toBe("unprocessable");
    expect(res.body.issues?.map((i) => i.path)).toEqual([path]);
    expect(await dispensingState(orderId)).toEqual(before);
    expect((await eventsOf(orderId)).map((e) => e.to_status)).toEqual(["pending_review", "approved"]);
  });

  it.each([
    ["expiring today", () => chinaDate(new Date())],
    ["printed with this month (usable through its last day)", () => month(0)],
  ])("accepts a lot %s", async (_name, expiry) => {
    const { orderId } = await aPickupOrder();
    await advance(orderId, APPROVE);
    expect((await act(orderId, "dispense", { items: [line({ expiry: expiry() })] })).status).toBe(200);
  });

  it("refuses a second dispense of an order that is dispensing (409), and one from a status before approval", async () => {
    const { orderId } = await aPickupOrder();
    expect((await act(orderId, "dispense", { items: [line()] })).status).toBe(409);
    await advance(orderId, APPROVE, DISPENSE);
    expect((await act(orderId, "dispense", { items: [line()] })).status).toBe(409);
  });
});

describe("reissuing a pickup code", () => {
  beforeAll(loadDemoSeed);

  it("needs a reason of 1-200 characters (400)", async () => {
    const { orderId } = await aReadyPickupOrder();
    for (const body of [{}, { reason: "" }, { reason: "   " }, { reason: "x".repeat(201) }, { reason: "丢失", extra: 1 }]) {
      expect((await act(orderId, "reissue-pickup-code", body)).status, JSON.stringify(body)).toBe(400);
    }
    expect((await orderRow(orderId))?.pickup_code_reissues).toBe(0);
  });

  it("refuses an order that is not ready for pickup (409)", async () => {
    const { orderId, code } = await aReadyPickupOrder();
    await advance(orderId, ["handover", { pickupCode: code }]);
    const res = await act(orderId, "reissue-pickup-code", { reason: "患者未收到短信" });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe("conflict");
  });

  it("keeps counting wrong attempts across reissues and stops reissuing after 3: the patient is seen in person", async () => {
    const { orderId, code } = await aReadyPickupOrder();
    let current = code;
    for (let reissue = 1; reissue <= 3; reissue++) {
      for (let n = 1; n <= 2; n++) expect((await act(orderId, "handover", { pickupCode: wrong(current, n) })).status).toBe(409);
      const res = await act(orderId, "reissue-pickup-code", { reason: `第${reissue}次：患者未收到短信` });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ pickupAttempts: 0, pickupAttemptsTotal: 2 * reissue, pickupCodeReissues: reissue, pickupCodeValid: true });
      current = await pickupCodeFromSms(orderId);
    }
    const fourth = await act(orderId, "reissue-pickup-code", { reason: "再次补发" });
    expect(fourth.status).toBe(409);
    expect(fourth.body.code).toBe("too-many-attempts");
    expect(fourth.body.detail).toContain("in person");
    // the last code still works: 3 reissues, 6 wrong attempts, all on record
    for (let n = 1; n <= 5; n++) await act(orderId, "handover", { pickupCode: wrong(current, n) });
    const voided = await act(orderId, "handover", { pickupCode: current });
    expect(voided.body.code).toBe("too-many-attempts");
    expect(voided.body.detail).toContain("can no longer be reissued");
    expect(await orderRow(orderId)).toMatchObject({ status: "ready_for_pickup", pickup_attempts: 5, pickup_attempts_total: 11, pickup_code_reissues: 3, pickup_code_hash: null });
    const audit = await env.DB.prepare("SELECT after FROM audit_events WHERE entity_id = ? AND action = 'order.pickup_code.reissue' ORDER BY id").bind(orderId).all<{ after: string }>();
    expect(audit.results.map((a) => JSON.parse(a.after).reason)).toEqual(["第1次：患者未收到短信", "第2次：患者未收到短信", "第3次：患者未收到短信"]);
    // the cancel path stays open
    expect((await act(orderId, "cancel", { reason: "取药码多次错误，已请患者复诊" })).status).toBe(200);
  });
});

describe("listing input", () => {
  it("rejects an unknown status and a forged cursor (400)", async () => {
    await loadDemoSeed();
    const token = await cloudPharmacist();
    for (const status of ["lost", "pending_review,lost", ",", "work,approved"]) {
      const res = await api<Problem>("GET", `/orders?status=${status}`, { token });
      expect(res.status, status).toBe(400);
      expect(res.body.issues?.map((i) => i.path)).toEqual(["query.status"]);
    }
    for (const query of ["mode=drone", "instalment=second", "siteId="]) expect((await api<Problem>("GET", `/orders?${query}`, { token })).status, query).toBe(400);
    expect((await api<Problem>("GET", "/orders/counts?mode=drone", { token })).status).toBe(400);
    const forged = await api<Problem>("GET", "/orders?cursor=bm90LWEtY3Vyc29y", { token });
    expect(forged.status).toBe(400);
    expect(forged.body.code).toBe("invalid-cursor");
  });
});
