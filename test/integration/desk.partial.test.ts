import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { Prescription } from "../../worker/prescriptions/prescriptions.schemas";
import { AMLODIPINE, aNormalPrescription, METFORMIN } from "../builders/prescriptions";
import { api, tokenFor } from "../support/api";
import { loadDemoSeed } from "../support/seed";
import { APPROVE, act, advance, aTwoDrugOrder, eventsOf, getOrder, pickupCodeFromSms, shimenDoctor, TEST_LOT } from "./desk.fixtures";

/*
 * Partial supply end to end (DOMAIN.md "Partial supply"): an item out of stock is held while
 * the rest is handed over; the order waits in awaiting_stock, the patient is told, and the
 * active supply counts only what the patient received until a restock round completes it.
 */

/** Another doctor, at another institution of the consortium. */
const chengguanDoctor = () => tokenFor("doctor", "doc-chengguan-gp-intermediate", "inst-chengguan");

const lot = (index: number, packages: number, lotNo: string = TEST_LOT.lotNo) => ({ index, packages, lotNo, expiry: TEST_LOT.expiry });

/** The order's supply lines: item index → [start, end) as stored. */
async function supplyLines(prescriptionId: string) {
  const rows = await env.DB.prepare("SELECT idx, start_date, end_date FROM prescription_items WHERE prescription_id = ? ORDER BY idx").bind(prescriptionId).all<{
    idx: number;
    start_date: string;
    end_date: string;
  }>();
  return rows.results.map((r) => ({ idx: r.idx, days: (Date.parse(r.end_date) - Date.parse(r.start_date)) / 86_400_000 }));
}

/** The duplicate-ingredient errors another doctor's 7-day amlodipine + metformin draft for the patient meets today, by drug. */
async function duplicatesSeenBy(patientId: string): Promise<string[]> {
  const draft = {
    ...aNormalPrescription(patientId, AMLODIPINE, 7),
    diagnoses: [{ icd10: "I10" }, { icd10: "E11.9" }],
    items: [
      { drugCode: AMLODIPINE, dose: { value: 5, unit: "mg" }, frequency: "qd", days: 7, packages: 1 },
      { drugCode: METFORMIN, dose: { value: 0.5, unit: "g" }, frequency: "bid", days: 7, packages: 14 },
    ],
  };
  const res = await api<{ findings: { ruleId: string; itemIndex?: number }[] }>("POST", "/prescriptions/validate", { token: await chengguanDoctor(), body: draft });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  const names = [AMLODIPINE, METFORMIN];
  return [...new Set(res.body.findings.filter((f) => f.ruleId === "safety-duplicate-ingredient").map((f) => names[f.itemIndex ?? -1] ?? "?"))].sort();
}

async function smsOf(orderId: string) {
  const rows = await env.DB.prepare("SELECT id, template, params FROM notifications WHERE order_id = ? AND channel = 'sms' ORDER BY created_at, rowid").bind(orderId).all<{
    id: string;
    template: string;
    params: string;
  }>();
  return rows.results.map((r) => ({ id: r.id, template: r.template, params: JSON.parse(r.params) as Record<string, string> }));
}

const progress = (body: { items: { supplied: number; dispensed: number; held: number }[] }) => body.items.map((i) => [i.supplied, i.dispensed, i.held]);

describe("partial supply at the window", () => {
  beforeAll(loadDemoSeed);

  it("holds metformin, hands over amlodipine, counts only that in active supply, then completes with a restock round and a new code", async () => {
    const { rx, orderId, patientId } = await aTwoDrugOrder();
    await advance(orderId, APPROVE);
    // planned supply counts in full: another doctor meets both drugs as duplicates
    expect(await duplicatesSeenBy(patientId)).toEqual([AMLODIPINE, METFORMIN]);

    const dispensed = await act(orderId, "dispense", { items: [lot(0, 1), lot(1, 0)] });
    expect(dispensed.status, JSON.stringify(dispensed.body)).toBe(200);
    expect(dispensed.body).toMatchObject({ status: "dispensing", partial: true, dispenseRounds: 1 });
    expect(progress(dispensed.body)).toEqual([
      [0, 1, 0],
      [0, 0, 14],
    ]);
    // the patient hears of it now, without a drug name
    expect((await smsOf(orderId)).map((n) => n.template)).toEqual(["order-partial-dispense"]);

    await advance(orderId, ["ready"]);
    const firstCode = await pickupCodeFromSms(orderId);
    const partly = await act(orderId, "handover", { pickupCode: firstCode });
    expect(partly.status).toBe(200);
    expect(partly.body).toMatchObject({ status: "awaiting_stock", partial: true, pickupCodeValid: false });
    expect(progress(partly.body)).toEqual([
      [1, 0, 0],
      [0, 0, 14],
    ]);
    // supply counts what the patient got: amlodipine's 7 days, none of metformin's
    expect(await supplyLines(rx.id)).toEqual([
      { idx: 0, days: 7 },
      { idx: 1, days: 0 },
    ]);
    expect(await duplicatesSeenBy(patientId)).toEqual([AMLODIPINE]);
    const doctorView = await api<Prescription>("GET", `/prescriptions/${rx.id}`, { token: await shimenDoctor() });
    expect(doctorView.body).toMatchObject({ status: "signed", orders: [expect.objectContaining({ id: orderId, status: "awaiting_stock" })] });

    // stock arrives: the rest only
    const tooMuch = await act(orderId, "dispense", { items: [lot(0, 1), lot(1, 14, "M2412-01")] });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.issues?.map((i) => i.path)).toEqual(["items.0.packages"]);
    const restock = await act(orderId, "dispense", { items: [lot(1, 8, "M2412-01"), lot(1, 6, "M2412-02")] });
    expect(restock.status, JSON.stringify(restock.body)).toBe(200);
    expect(restock.body).toMatchObject({ status: "dispensing", partial: false, dispenseRounds: 2 });
    expect(progress(restock.body)).toEqual([
      [1, 0, 0],
      [0, 14, 0],
    ]);
    await advance(orderId, ["ready"]);
    const secondCode = await pickupCodeFromSms(orderId);
    const done = await act(orderId, "handover", { pickupCode: secondCode });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: "picked_up", partial: false });
    expect(progress(done.body)).toEqual([
      [1, 0, 0],
      [14, 0, 0],
    ]);

    expect(await supplyLines(rx.id)).toEqual([
      { idx: 0, days: 7 },
      { idx: 1, days: 7 },
    ]);
    expect(await duplicatesSeenBy(patientId)).toEqual([AMLODIPINE, METFORMIN]);
    expect((await api<Prescription>("GET", `/prescriptions/${rx.id}`, { token: await shimenDoctor() })).body.status).toBe("completed");

    const sms = await smsOf(orderId);
    expect(sms.map((n) => [n.id, n.template])).toEqual([
      [`ntf_${orderId}_partial_dispense_r1`, "order-partial-dispense"],
      [`ntf_${orderId}_ready_for_pickup`, "order-ready-for-pickup"],
      [`ntf_${orderId}_awaiting_stock`, "order-awaiting-stock"],
      [`ntf_${orderId}_ready_for_pickup_r2`, "order-ready-for-pickup"],
    ]);
    expect(sms[3]?.params).toMatchObject({ restock: "true", pickupCode: secondCode });
    for (const n of sms) expect(JSON.stringify(n.params)).not.toMatch(/二甲双胍|氨氯地平|W315|W185/);

    const page = await getOrder(orderId);
    expect(page.body.dispensations.map((d) => [d.round, d.index, d.lotNo, d.packages])).toEqual([
      [1, 0, TEST_LOT.lotNo, 1],
      [2, 1, "M2412-01", 8],
      [2, 1, "M2412-02", 6],
    ]);
    expect((await eventsOf(orderId)).map((e) => [e.from_status, e.to_status, e.note])).toEqual([
      [null, "pending_review", null],
      ["pending_review", "approved", null],
      ["approved", "dispensing", "缺货暂缓：二甲双胍 ×14"],
      ["dispensing", "ready_for_pickup", null],
      ["ready_for_pickup", "awaiting_stock", null],
      ["awaiting_stock", "dispensing", null],
      ["dispensing", "ready_for_pickup", null],
      ["ready_for_pickup", "picked_up", null],
    ]);
  });

  it("counts part of a held item: 6 of 14 metformin tablets handed over cover 3 of the 7 days", async () => {
    const { rx, orderId } = await aTwoDrugOrder();
    await advance(orderId, APPROVE, ["dispense", { items: [lot(0, 1), lot(1, 6)] }], ["ready"]);
    await advance(orderId, ["handover", { pickupCode: await pickupCodeFromSms(orderId) }]);
    expect(await supplyLines(rx.id)).toEqual([
      { idx: 0, days: 7 },
      { idx: 1, days: 3 },
    ]);
  });

  it("keeps what was supplied when an order awaiting stock is cancelled (the held rest is given up)", async () => {
    const { rx, orderId } = await aTwoDrugOrder();
    await advance(orderId, APPROVE, ["dispense", { items: [lot(0, 1)] }], ["ready"]);
    await advance(orderId, ["handover", { pickupCode: await pickupCodeFromSms(orderId) }]);
    const cancelled = await act(orderId, "cancel", { reason: "二甲双胍长期缺货，已请患者复诊" });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: "cancelled", partial: false });
    expect(progress(cancelled.body)).toEqual([
      [1, 0, 0],
      [0, 0, 0],
    ]);
    expect(await supplyLines(rx.id)).toEqual([
      { idx: 0, days: 7 },
      { idx: 1, days: 0 },
    ]);
    // not everything reached the patient: the prescription stays signed
    expect((await api<Prescription>("GET", `/prescriptions/${rx.id}`, { token: await shimenDoctor() })).body.status).toBe("signed");
    expect((await act(orderId, "dispense", { items: [lot(1, 14)] })).status).toBe(409);
  });

  it("runs three rounds, each notice a row of its own", async () => {
    const { orderId } = await aTwoDrugOrder();
    await advance(orderId, APPROVE, ["dispense", { items: [lot(0, 1), lot(1, 4)] }], ["ready"]);
    await advance(orderId, ["handover", { pickupCode: await pickupCodeFromSms(orderId) }]);
    await advance(orderId, ["dispense", { items: [lot(1, 5)] }], ["ready"]);
    await advance(orderId, ["handover", { pickupCode: await pickupCodeFromSms(orderId) }]);
    await advance(orderId, ["dispense", { items: [lot(1, 5)] }], ["ready"]);
    const last = await act(orderId, "handover", { pickupCode: await pickupCodeFromSms(orderId) });
    expect(last.body).toMatchObject({ status: "picked_up", dispenseRounds: 3 });
    expect((await smsOf(orderId)).map((n) => n.id.replace(`ntf_${orderId}_`, ""))).toEqual([
      "partial_dispense_r1",
      "ready_for_pickup",
      "awaiting_stock",
      "partial_dispense_r2",
      "ready_for_pickup_r2",
      "awaiting_stock_r2",
      "ready_for_pickup_r3",
    ]);
  });
});

describe("partial supply by delivery", () => {
  beforeAll(loadDemoSeed);

  it("delivers what was dispensed, waits for stock, ships the rest with its own tracking number and completes", async () => {
    const { rx, orderId } = await aTwoDrugOrder("delivery");
    await advance(orderId, APPROVE, ["dispense", { items: [lot(0, 1), lot(1, 10)] }], ["ship", { carrier: "顺丰速运", trackingNo: "SF1000000001" }]);
    const partly = await act(orderId, "deliver");
    expect(partly.status).toBe(200);
    expect(partly.body).toMatchObject({ status: "awaiting_stock", partial: true });
    expect(progress(partly.body)).toEqual([
      [1, 0, 0],
      [10, 0, 4],
    ]);
    expect(await supplyLines(rx.id)).toEqual([
      { idx: 0, days: 7 },
      { idx: 1, days: 5 },
    ]);
    // a ready/hand-over is for pickup orders only
    expect((await act(orderId, "ready")).status).toBe(409);

    await advance(orderId, ["dispense", { items: [lot(1, 4)] }], ["ship", { carrier: "中国邮政", trackingNo: "EMS20000002" }]);
    const done = await act(orderId, "deliver");
    expect(done.body).toMatchObject({ status: "delivered", partial: false, carrier: "中国邮政", trackingNo: "EMS20000002" });
    expect((await api<Prescription>("GET", `/prescriptions/${rx.id}`, { token: await shimenDoctor() })).body.status).toBe("completed");
    const sms = await smsOf(orderId);
    expect(sms.map((n) => n.id.replace(`ntf_${orderId}_`, ""))).toEqual(["partial_dispense_r1", "shipped", "awaiting_stock", "shipped_r2", "delivered_r2"]);
    expect(sms[3]?.params).toMatchObject({ carrier: "中国邮政", trackingNo: "EMS20000002" });
  });
});
