import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { QueueOrder } from "../../worker/pharmacy/desk/desk.schemas";
import type { Draft, Prescription } from "../../worker/prescriptions/prescriptions.schemas";
import { AMLODIPINE, METFORMIN, aLongRenewal, aNormalPrescription } from "../builders/prescriptions";
import { api, asAdmin } from "../support/api";
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
  freshPatient,
  getOrder,
  orderRow,
  pickupCodeFromSms,
  shimenDoctor,
  sign,
} from "./desk.fixtures";

interface Page {
  items: QueueOrder[];
  nextCursor: string | null;
}

/** Every order the caller may list with this query, following the cursor. */
async function listAll(query: string, token?: string, limit = 50): Promise<QueueOrder[]> {
  const out: QueueOrder[] = [];
  let cursor: string | null = null;
  do {
    const res: { status: number; body: Page } = await api<Page>("GET", `/orders?${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`, {
      token: token ?? (await cloudPharmacist()),
    });
    expect(res.status).toBe(200);
    out.push(...res.body.items);
    cursor = res.body.nextCursor;
  } while (cursor);
  return out;
}

async function notificationsOf(orderId: string) {
  const rows = await env.DB.prepare("SELECT template, params FROM notifications WHERE order_id = ? AND channel = 'sms' ORDER BY created_at, id").bind(orderId).all<{ template: string; params: string }>();
  return rows.results.map((r) => ({ template: r.template, params: JSON.parse(r.params) as Record<string, string> }));
}

describe("pickup at the Shimen window", () => {
  beforeAll(loadDemoSeed);

  it("runs from review (warnings visible) to dispensing per lot and hand-over with the code from the patient's SMS", async () => {
    const patientId = await freshPatient();
    // metformin for 5 of the 7 days: signs with an rx-quantity-short warning the pharmacist must see
    const draft: Draft = {
      ...aNormalPrescription(patientId, AMLODIPINE, 7),
      diagnoses: [{ icd10: "I10" }, { icd10: "E11.9" }],
      items: [
        { drugCode: AMLODIPINE, dose: { value: 5, unit: "mg" }, frequency: "qd", days: 7, packages: 1 },
        { drugCode: METFORMIN, dose: { value: 0.5, unit: "g" }, frequency: "bid", days: 7, packages: 10 },
      ],
    };
    const rx = await sign(draft);
    expect(rx.orders).toHaveLength(1);
    const { id: orderId, reference, pharmacyId } = rx.orders?.[0] ?? { id: "", reference: "", pharmacyId: "" };
    expect(pharmacyId).toBe("pharm-cloud");

    const queue = await listAll("status=pending_review");
    expect(queue.map((o) => o.id)).toContain(orderId);
    expect(queue.every((o) => o.pharmacyId === "pharm-cloud" && o.status === "pending_review")).toBe(true);

    const detail = await getOrder(orderId);
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({ id: orderId, status: "pending_review", mode: "pickup", patientId, pickupSite: { id: "site-cloud-shimen" } });
    expect(detail.body.findings.map((f) => [f.ruleId, f.severity])).toContainEqual(["rx-quantity-short", "warning"]);
    expect(detail.body.prescription).toMatchObject({ id: rx.id, status: "signed", verification: { contentHashValid: true, signatureValid: true } });
    expect(detail.body.prescription.content?.items.map((i) => i.genericName)).toEqual(["氨氯地平", "二甲双胍"]);
    expect(detail.body.prescription.content?.diagnoses.map((d) => d.icd10)).toEqual(["I10", "E11.9"]);
    // the age at writing, as the 处方笺 writes it (born 1958-03-02), for judging the dose
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString();
    const age = Number(today.slice(0, 4)) - 1958 - (today.slice(5, 10) < "03-02" ? 1 : 0);
    expect(detail.body.patient).toMatchObject({ id: patientId, gender: "male", age: `${age}岁` });
    expect(detail.body.timeline).toEqual([expect.objectContaining({ fromStatus: null, toStatus: "pending_review", source: "doctor", actorName: "邓春梅" })]);

    expect((await advance(orderId, ["review", { decision: "approve", note: "已核对，剂量适宜" }])).status).toBe("approved");
    const dispensed = await act(orderId, "dispense", {
      items: [
        { index: 0, packages: 1, lotNo: "A240601", expiry: "2099-05" },
        { index: 1, packages: 6, lotNo: "M2405-11", expiry: "2099-12-31" },
        { index: 1, packages: 4, lotNo: "M2406-02", expiry: "2099-01" },
      ],
    });
    expect(dispensed.status, JSON.stringify(dispensed.body)).toBe(200);
    expect(dispensed.body).toMatchObject({ status: "dispensing", partial: false, dispenseRounds: 1 });
    expect(dispensed.body.items.map((i) => [i.packages, i.dispensed, i.supplied, i.held])).toEqual([
      [1, 1, 0, 0],
      [10, 10, 0, 0],
    ]);

    const ready = await act(orderId, "ready");
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: "ready_for_pickup", pickupAttempts: 0, pickupCodeValid: true });
    // the code is in the patient's SMS only: not in the answer, and only its salted hash is kept
    expect(ready.body).not.toHaveProperty("pickupCode");
    const code = await pickupCodeFromSms(orderId);
    expect(code).toMatch(/^\d{6}$/);
    expect(JSON.stringify(ready.body)).not.toContain(code);
    const stored = await orderRow(orderId);
    expect(stored?.pickup_code_hash).toMatch(/^[0-9a-f]{64}$/);
    const page = await getOrder(orderId);
    expect(JSON.stringify(page.body)).not.toContain(`"${code}"`);
    expect(page.body.dispensations.map((d) => [d.round, d.index, d.lotNo, d.expiry, d.packages])).toEqual([
      [1, 0, "A240601", "2099-05", 1],
      [1, 1, "M2405-11", "2099-12-31", 6],
      [1, 1, "M2406-02", "2099-01", 4],
    ]);
    expect(await notificationsOf(orderId)).toContainEqual({
      template: "order-ready-for-pickup",
      params: expect.objectContaining({ pickupCode: code, reference, siteName: "石门乡卫生院便民取药窗口" }),
    });

    const handedOver = await act(orderId, "handover", { pickupCode: code });
    expect(handedOver.status).toBe(200);
    expect(handedOver.body).toMatchObject({ status: "picked_up", pickupCodeValid: false });

    expect((await eventsOf(orderId)).map((e) => [e.from_status, e.to_status, e.source])).toEqual([
      [null, "pending_review", "doctor"],
      ["pending_review", "approved", "desk"],
      ["approved", "dispensing", "desk"],
      ["dispensing", "ready_for_pickup", "desk"],
      ["ready_for_pickup", "picked_up", "desk"],
    ]);
    // everything supplied: the prescription is completed
    const doctorView = await api<Prescription>("GET", `/prescriptions/${rx.id}`, { token: await shimenDoctor() });
    expect(doctorView.body).toMatchObject({ status: "completed", orders: [expect.objectContaining({ id: orderId, status: "picked_up" })] });
  });
});

describe("delivery to 青溪县/石门乡", () => {
  beforeAll(loadDemoSeed);

  it("is routed to the cloud pharmacy, shipped with a tracking number and delivered", async () => {
    const { rx, orderId } = await aDeliveryOrder();
    expect(rx.orders?.[0]?.pharmacyId).toBe("pharm-cloud");
    await advance(orderId, APPROVE, DISPENSE);

    const shipped = await act(orderId, "ship", { carrier: "顺丰速运", trackingNo: "SF1234567890" });
    expect(shipped.status).toBe(200);
    expect(shipped.body).toMatchObject({ status: "shipped", carrier: "顺丰速运", trackingNo: "SF1234567890" });

    expect((await advance(orderId, ["deliver"])).status).toBe("delivered");
    expect((await notificationsOf(orderId)).map((n) => n.template)).toEqual(["order-shipped", "order-delivered"]);
    expect((await notificationsOf(orderId))[0]?.params).toMatchObject({ carrier: "顺丰速运", trackingNo: "SF1234567890" });
    expect((await api<Prescription>("GET", `/prescriptions/${rx.id}`, { token: await shimenDoctor() })).body.status).toBe("completed");
  });
});

describe("rejection back to the doctor", () => {
  beforeAll(loadDemoSeed);

  it("stores the 处方点评 reason, shows it on the doctor's prescription and tells the patient without medical detail", async () => {
    const { rx, orderId } = await aPickupOrder();
    const rejected = await act(orderId, "review", { decision: "reject", reasonCode: "inappropriate.dosage", note: "剂量偏大，请核对" });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({ status: "rejected", rejectReason: "inappropriate.dosage", rejectNote: "剂量偏大，请核对" });

    const doctorView = await api<Prescription & { orders: { rejectReason: string | null; rejectNote: string | null }[] }>("GET", `/prescriptions/${rx.id}`, {
      token: await shimenDoctor(),
    });
    expect(doctorView.status).toBe(200);
    expect(doctorView.body.status).toBe("signed");
    expect(doctorView.body.orders).toEqual([expect.objectContaining({ id: orderId, status: "rejected", rejectReason: "inappropriate.dosage", rejectNote: "剂量偏大，请核对" })]);

    // the doctor reads the label of the code
    const reasons = await api<{ categories: { code: string; label: string; reasons: { code: string; label: string }[] }[] }>("GET", "/orders/review-reasons", {
      token: await shimenDoctor(),
    });
    expect(reasons.status).toBe(200);
    expect(reasons.body.categories.map((c) => [c.code, c.label])).toEqual([
      ["non_standard", "不规范处方"],
      ["inappropriate", "用药不适宜处方"],
      ["abnormal", "超常处方"],
    ]);
    const dosage = reasons.body.categories.flatMap((c) => c.reasons).find((r) => r.code === "inappropriate.dosage");
    expect(dosage?.label).toBe("用法、用量不适宜");

    const notes = await notificationsOf(orderId);
    expect(notes.map((n) => n.template)).toEqual(["order-rejected"]);
    expect(JSON.stringify(notes[0]?.params)).not.toContain("dosage");
    const timeline = (await getOrder(orderId)).body.timeline;
    expect(timeline.at(-1)).toMatchObject({ toStatus: "rejected", actorId: "ph-cloud-1", actorName: "徐文静", note: "inappropriate.dosage: 剂量偏大，请核对" });
  });
});

describe("cancellation", () => {
  beforeAll(loadDemoSeed);

  it("follows the doctor's cancellation: the pharmacy's order is cancelled with a timeline event", async () => {
    const { rx, orderId } = await aPickupOrder();
    await advance(orderId, APPROVE);
    const cancelled = await api<Prescription>("POST", `/prescriptions/${rx.id}/cancel`, { token: await shimenDoctor(), body: { reason: "患者住院，暂停用药" } });
    expect(cancelled.status).toBe(200);
    const detail = await getOrder(orderId);
    expect(detail.body.status).toBe("cancelled");
    expect(detail.body.prescription).toMatchObject({ status: "cancelled", cancelReason: "患者住院，暂停用药" });
    expect(detail.body.timeline.at(-1)).toMatchObject({ fromStatus: "approved", toStatus: "cancelled", source: "doctor", actorId: "doc-shimen-gp-intermediate", actorName: "邓春梅", note: "患者住院，暂停用药" });
  });

  it("lets the pharmacy cancel before hand-over, voiding a pickup code already sent", async () => {
    const { orderId, code } = await aReadyPickupOrder();
    const cancelled = await act(orderId, "cancel", { reason: "库存不足，已通知患者" });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: "cancelled", pickupCodeValid: false });
    expect((await orderRow(orderId))?.pickup_code_hash).toBeNull();
    expect((await act(orderId, "handover", { pickupCode: code })).status).toBe(409);
    expect((await eventsOf(orderId)).at(-1)).toMatchObject({ to_status: "cancelled", source: "desk", note: "库存不足，已通知患者" });
  });
});

describe("the work list", () => {
  beforeAll(loadDemoSeed);

  it("keeps scheduled instalments out of the work list unless asked for with status=scheduled", async () => {
    const patientId = await freshPatient([
      { icd10: "I10", name: "原发性高血压" },
      { icd10: "E11", name: "2型糖尿病" },
    ]);
    const rx = await sign(
      aLongRenewal({
        patientId,
        longTerm: { firstIssue: true, assessment: "血压血糖控制达标，病情稳定，评估后开具长期处方。", patientConfirmed: true },
        fulfilment: { mode: "pickup", pickupSiteId: "site-cloud-shimen", instalments: 3 },
      }),
    );
    const [first, second, third] = rx.orders ?? [];
    expect([first?.status, second?.status, third?.status]).toEqual(["pending_review", "scheduled", "scheduled"]);

    const work = (await listAll("", undefined, 100)).map((o) => o.id);
    expect(work).toContain(first?.id);
    expect(work).not.toContain(second?.id);
    expect(work).not.toContain(third?.id);
    const scheduled = await listAll("status=scheduled");
    expect(scheduled.map((o) => o.id)).toEqual(expect.arrayContaining([second?.id, third?.id]));
    expect(scheduled.every((o) => o.status === "scheduled")).toBe(true);
    // a scheduled instalment is not reviewable yet
    expect((await act(second?.id ?? "", "review", { decision: "approve" })).status).toBe(409);
  });

  it("pages by (createdAt, id) without gaps or repeats, oldest first", async () => {
    for (let i = 0; i < 3; i++) await aPickupOrder();
    const big = await listAll("", undefined, 100);
    const small = await listAll("", undefined, 2);
    expect(small.map((o) => o.id)).toEqual(big.map((o) => o.id));
    expect(new Set(small.map((o) => o.id)).size).toBe(small.length);
    const keys = small.map((o) => `${o.createdAt}|${o.id}`);
    expect([...keys].sort()).toEqual(keys);
    expect(small.some((o) => o.status === "scheduled")).toBe(false);
  });

  it("lets admins read every pharmacy's orders, or one pharmacy's", async () => {
    const { orderId } = await aPickupOrder();
    const admin = await asAdmin();
    expect((await listAll("pharmacyId=pharm-cloud", admin)).map((o) => o.id)).toContain(orderId);
    expect((await listAll("pharmacyId=pharm-renhe", admin)).map((o) => o.id)).not.toContain(orderId);
    const detail = await getOrder(orderId, admin);
    expect(detail.status).toBe(200);
    expect(detail.body.id).toBe(orderId);
  });

  it("audits every read of an order's detail (it shows patient data to pharmacy staff)", async () => {
    const { orderId } = await aPickupOrder();
    await getOrder(orderId);
    const audit = await env.DB.prepare("SELECT action, actor_id FROM audit_events WHERE entity_type = 'order' AND entity_id = ?").bind(orderId).all<{ action: string; actor_id: string }>();
    expect(audit.results).toEqual([{ action: "order.read", actor_id: "ph-cloud-1" }]);
  });
});
