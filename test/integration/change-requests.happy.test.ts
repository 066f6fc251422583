import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { addDays, chinaDate } from "../../worker/lib/clock";
import { AMLODIPINE } from "../builders/prescriptions";
import { api } from "../support/api";
import { loadDemoSeed } from "../support/seed";
import {
  accept,
  aLongOrderInThree,
  anOrderInReview,
  aVbpAmlodipine,
  changeRequestRow,
  decline,
  getRx,
  orderState,
  proposed,
  replacementsOf,
  rxState,
  shimenColleague,
  supplyLines,
  withdraw,
} from "./change-requests.fixtures";
import { act, cloudPharmacist, eventsOf } from "./desk.fixtures";

/*
 * A change request's whole life through the worker: the desk proposes, the prescribing
 * doctor accepts (a new signed prescription replaces the old and takes its open orders) or
 * declines, or the desk withdraws; both sides see where it stands.
 */

let VBP = "";

describe("a pharmacist proposes a 集采 generic and the doctor accepts", () => {
  beforeAll(async () => {
    await loadDemoSeed();
    VBP = await aVbpAmlodipine();
  });

  it("signs a new prescription that replaces the old, moves the order back to review and switches the supply lines", async () => {
    const { rx, orderId } = await anOrderInReview();
    const cr = await proposed(orderId, [{ index: 0, drugCode: VBP }]);
    expect(cr).toMatchObject({ orderId, prescriptionId: rx.id, pharmacyId: "pharm-cloud", institutionId: "inst-shimen", prescriberId: "doc-shimen-gp-intermediate", status: "open", valid: true });
    expect(cr.findings.every((f) => f.severity === "warning")).toBe(true);
    expect(cr.proposal?.diff).toEqual([
      {
        index: 0,
        before: expect.objectContaining({ drugCode: AMLODIPINE, genericName: "氨氯地平", pack: { size: 28, unit: "片" }, packages: 1, vbp: false }),
        after: expect.objectContaining({ drugCode: VBP, genericName: "氨氯地平", pack: { size: 7, unit: "片" }, packages: 1, vbp: true }),
      },
    ]);
    expect(cr.proposal?.draft.items[0]).toEqual({ drugCode: VBP, dose: { value: 5, unit: "mg" }, frequency: "qd", days: 7, packages: 1 });
    expect((await orderState(orderId)).status).toBe("change_requested");

    // the prescriber is told in the platform, with the request to open
    const notice = await env.DB.prepare("SELECT recipient_id, template, params FROM notifications WHERE order_id = ? AND channel = 'inbox'").bind(orderId).first<{ recipient_id: string; template: string; params: string }>();
    expect(notice).toMatchObject({ recipient_id: "doc-shimen-gp-intermediate", template: "doctor-change-requested" });
    expect(JSON.parse(notice?.params ?? "{}")).toMatchObject({ changeRequestId: cr.id, orderId, note: "集采中选产品替换" });

    // the doctors of the institution see it, with the proposal beside the prescription
    const open = await api<{ items: { id: string }[] }>("GET", "/change-requests?status=open&limit=100", { token: await shimenColleague() });
    expect(open.status).toBe(200);
    expect(open.body.items.map((i) => i.id)).toContain(cr.id);
    const before = await getRx(rx.id);
    expect(before.body.changeRequests?.map((c) => [c.id, c.status])).toEqual([[cr.id, "open"]]);

    const res = await accept(cr.id, { body: { note: "同意使用集采品种" } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const { prescription, changeRequest } = res.body;
    expect(changeRequest).toMatchObject({ id: cr.id, status: "accepted", decidedBy: "doc-shimen-gp-intermediate", decisionNote: "同意使用集采品种", newPrescriptionId: prescription.id });
    expect(prescription).toMatchObject({ status: "signed", replaces: rx.id, replacedBy: null, patientId: rx.patientId, prescriberId: "doc-shimen-gp-intermediate", kind: "normal" });
    expect(prescription.orders?.map((o) => [o.id, o.status])).toEqual([[orderId, "pending_review"]]);

    // the new prescription: signed content with the replaced one inside it, verifying
    const fresh = await getRx(prescription.id);
    expect(fresh.status).toBe(200);
    expect(fresh.body.verification).toMatchObject({ contentHashValid: true, signatureValid: true });
    expect(fresh.body.content).toMatchObject({ replaces: rx.id, items: [expect.objectContaining({ drugCode: VBP, packages: 1 })] });
    expect(fresh.body.orders?.map((o) => o.id)).toEqual([orderId]);
    expect(fresh.body.changeRequests?.map((c) => [c.id, c.status])).toEqual([[cr.id, "accepted"]]);

    // the old one: replaced, pointing at its successor, no open order left
    const old = await getRx(rx.id);
    expect(old.body).toMatchObject({ status: "replaced", replacedBy: prescription.id, replaces: null });
    expect(old.body.orders).toEqual([]);
    expect(old.body.verification).toMatchObject({ contentHashValid: true, signatureValid: true });

    // the order now serves the new prescription and is back in the pharmacy's review
    expect(await orderState(orderId)).toMatchObject({ status: "pending_review", prescriptionId: prescription.id, items: [expect.objectContaining({ drugCode: VBP, packages: 1 })] });
    const events = await eventsOf(orderId);
    expect(events.slice(-2).map((e) => [e.from_status, e.to_status, e.source])).toEqual([
      ["pending_review", "change_requested", "desk"],
      ["change_requested", "pending_review", "doctor"],
    ]);
    expect(events.at(-1)?.note).toContain(prescription.id);

    // supply: the old lines cover nothing any more, the new ones cover the 7 days from today
    const today = chinaDate(new Date());
    expect((await supplyLines(rx.id)).map((l) => l.end_date === l.start_date)).toEqual([true]);
    expect(await supplyLines(prescription.id)).toEqual([{ drug_code: VBP, start_date: today, end_date: addDays(today, 7), packages: 1, active: 1 }]);
    expect(await changeRequestRow(cr.id)).toMatchObject({ status: "accepted", new_prescription_id: prescription.id });

    // the pharmacist reviews the new prescription (its signature verifies) and approves
    const approved = await act(orderId, "review", { decision: "approve" });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body.prescriptionId).toBe(prescription.id);
  });

  it("counts the new prescription as active supply: the same medicine again is a duplicate", async () => {
    const { orderId, patientId } = await anOrderInReview();
    const cr = await proposed(orderId, [{ index: 0, drugCode: VBP }]);
    expect((await accept(cr.id)).status).toBe(201);
    const check = await api<{ findings: { ruleId: string }[] }>("POST", "/prescriptions/validate", {
      token: await shimenColleague(),
      body: {
        patientId,
        kind: "normal",
        diagnoses: [{ icd10: "I10" }],
        items: [{ drugCode: AMLODIPINE, dose: { value: 5, unit: "mg" }, frequency: "qd", days: 7, packages: 1 }],
        fulfilment: { mode: "pickup", pickupSiteId: "site-cloud-shimen" },
      },
    });
    expect(check.status).toBe(200);
    // one line of active supply: the new prescription's (the replaced one covers nothing)
    expect(check.body.findings.filter((f) => f.ruleId === "safety-duplicate-ingredient")).toHaveLength(1);
  });

  it("answers a replayed acceptance with the stored response and signs once", async () => {
    const { rx, orderId } = await anOrderInReview();
    const cr = await proposed(orderId, [{ index: 0, drugCode: VBP }]);
    const key = crypto.randomUUID();
    const first = await accept(cr.id, { key });
    const again = await accept(cr.id, { key });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.body).toEqual(first.body);
    expect(await replacementsOf(rx.id)).toBe(1);
    // another key for the same decision finds it taken
    const late = await accept(cr.id);
    expect(late.status).toBe(409);
  });

  it("moves the later instalments of a long prescription with their share of the new items; supplied ones stay", async () => {
    const { rx, orderIds } = await aLongOrderInThree();
    const [first, second, third] = orderIds as [string, string, string];
    // instalment 1 was handed over and instalment 2 released (written as the desk and the cron leave them)
    await env.DB.batch([
      env.DB.prepare("UPDATE orders SET status = 'picked_up', items = json_set(items, '$[0].supplied', 1), version = version + 1 WHERE id = ?").bind(first),
      env.DB.prepare("UPDATE orders SET status = 'pending_review', pending_since = ?, version = version + 1 WHERE id = ?").bind(new Date().toISOString(), second),
    ]);
    const cr = await proposed(second, [{ index: 0, drugCode: VBP, packages: 12 }], "原规格缺货，改用集采品种");
    expect(cr.proposal?.draft.items[0]).toMatchObject({ drugCode: VBP, days: 84, packages: 12 });

    const res = await accept(cr.id);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const next = res.body.prescription;
    expect(next.orders?.map((o) => [o.id, o.instalment, o.instalments])).toEqual([
      [second, 2, 3],
      [third, 3, 3],
    ]);
    expect(await orderState(first)).toMatchObject({ status: "picked_up", prescriptionId: rx.id, items: [expect.objectContaining({ drugCode: AMLODIPINE, packages: 1 })] });
    // 12 packs of 7 split by supply days as the instalments split: 4 per 28 days
    expect(await orderState(second)).toMatchObject({ status: "pending_review", prescriptionId: next.id, items: [expect.objectContaining({ drugCode: VBP, packages: 4 })] });
    expect(await orderState(third)).toMatchObject({ status: "scheduled", prescriptionId: next.id, items: [expect.objectContaining({ drugCode: VBP, packages: 4 })] });
    expect((await eventsOf(third)).at(-1)).toMatchObject({ from_status: "scheduled", to_status: "scheduled", source: "doctor" });

    expect(await rxState(rx.id)).toMatchObject({ status: "replaced", replaced_by: next.id });
    expect(await rxState(next.id)).toMatchObject({ status: "signed", replaces: rx.id });
    // the old prescription keeps counting what the patient got (1 of 3 packs: 28 days), the new one what its orders will supply (8 of 12: 56 days)
    const [oldLine] = await supplyLines(rx.id);
    expect(oldLine?.end_date).toBe(addDays(oldLine?.start_date ?? "", 28));
    const today = chinaDate(new Date());
    expect(await supplyLines(next.id)).toEqual([{ drug_code: VBP, start_date: today, end_date: addDays(today, 56), packages: 12, active: 1 }]);
  });
});

describe("a doctor declines, a pharmacist withdraws", () => {
  beforeAll(async () => {
    await loadDemoSeed();
    VBP ||= await aVbpAmlodipine();
  });

  it("declines: the order goes back to review with the doctor's note, the prescription stays as signed", async () => {
    const { rx, orderId } = await anOrderInReview();
    const cr = await proposed(orderId, [{ index: 0, drugCode: VBP }]);
    const res = await decline(cr.id, "患者对原品种耐受良好，暂不更换");
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ id: cr.id, status: "declined", decidedBy: "doc-shimen-gp-intermediate", decisionNote: "患者对原品种耐受良好，暂不更换", newPrescriptionId: null });
    expect(await orderState(orderId)).toMatchObject({ status: "pending_review", prescriptionId: rx.id, items: [expect.objectContaining({ drugCode: AMLODIPINE })] });
    expect(await rxState(rx.id)).toMatchObject({ status: "signed", replaced_by: null });
    const last = (await eventsOf(orderId)).at(-1);
    expect(last).toMatchObject({ from_status: "change_requested", to_status: "pending_review", source: "doctor", note: "医师未同意变更处方：患者对原品种耐受良好，暂不更换" });

    // the pharmacy sees the decision and reviews the prescription as it is
    const list = await api<{ items: { id: string; status: string; decisionNote: string | null }[] }>("GET", `/orders/${orderId}/change-requests`, { token: await cloudPharmacist() });
    expect(list.body.items).toEqual([expect.objectContaining({ id: cr.id, status: "declined", decisionNote: "患者对原品种耐受良好，暂不更换" })]);
    expect((await act(orderId, "review", { decision: "approve" })).status).toBe(200);
  });

  it("lets the pharmacy propose again after a decline, one open request at a time", async () => {
    const { orderId } = await anOrderInReview();
    const first = await proposed(orderId, [{ index: 0, drugCode: VBP }]);
    expect((await decline(first.id)).status).toBe(200);
    const second = await proposed(orderId, [{ index: 0, drugCode: VBP }], "集采品种价格更低，请再考虑");
    const list = await api<{ items: { id: string; status: string }[] }>("GET", `/orders/${orderId}/change-requests`, { token: await cloudPharmacist() });
    expect(list.body.items.map((i) => [i.id, i.status])).toEqual([
      [first.id, "declined"],
      [second.id, "open"],
    ]);
  });

  it("withdraws: the order goes back to review and the doctor has nothing left to decide", async () => {
    const { rx, orderId } = await anOrderInReview();
    const cr = await proposed(orderId, [{ index: 0, drugCode: VBP }]);
    const res = await withdraw(cr.id, undefined, { note: "已到货原品种" });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ status: "withdrawn", decidedBy: "ph-cloud-1", decisionNote: "已到货原品种" });
    expect(await orderState(orderId)).toMatchObject({ status: "pending_review", prescriptionId: rx.id });
    expect((await eventsOf(orderId)).at(-1)).toMatchObject({ to_status: "pending_review", source: "desk", note: "药房撤回变更申请：已到货原品种" });
    const open = await api<{ items: { id: string }[] }>("GET", "/change-requests?status=open&limit=100", { token: await shimenColleague() });
    expect(open.body.items.map((i) => i.id)).not.toContain(cr.id);
    expect((await accept(cr.id)).status).toBe(409);
    expect(await replacementsOf(rx.id)).toBe(0);
  });
});
