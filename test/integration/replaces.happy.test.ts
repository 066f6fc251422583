import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { signPrescription } from "../../worker/prescriptions/prescriptions.service";
import { prescriptionDraft } from "../../worker/prescriptions/redraft.service";
import { api } from "../support/api";
import { loadDemoSeed } from "../support/seed";
import { act, aPickupOrder } from "./desk.fixtures";
import { aLongOrderInThree } from "./change-requests.fixtures";
import { auditRows, countedCtx, shimenDoctor } from "./follow-up-rx.fixtures";
import { anExpiredPrescription, aRejectedPrescription, aReturnedPrescription, draftOf, inboxDoneOf, orderStatuses, rxRow, signDraft } from "./replaces.fixtures";

describe("a prescription that came back, drafted again and replaced", () => {
  beforeAll(loadDemoSeed);

  it("a rejected one opens as today's draft with replaces, and signing it closes the old one and its notices", async () => {
    const { rx, orderId } = await aRejectedPrescription();
    expect(await inboxDoneOf(orderId)).toEqual([null]);
    const drafted = await draftOf(rx.id);
    expect(drafted.status).toBe(200);
    expect(drafted.body.basedOn).toMatchObject({ prescriptionId: rx.id, writtenAt: rx.writtenAt, institutionId: "inst-shimen", institutionName: "石门乡卫生院", prescriberName: "邓春梅", days: 7 });
    expect(drafted.body.draft).toMatchObject({ patientId: rx.patientId, kind: "normal", replaces: rx.id, items: [expect.objectContaining({ days: 7, packages: 1 })] });
    expect(drafted.body.draft).not.toHaveProperty("writtenAt");
    expect(drafted.body.validation.valid).toBe(true);

    const signed = await signDraft({ ...drafted.body.draft, items: [{ ...drafted.body.draft.items[0], dose: { value: 2.5, unit: "mg" } }] });
    expect(signed.status, JSON.stringify(signed.body)).toBe(201);
    expect(signed.body.replaces).toBe(rx.id);
    expect(signed.body.content).toMatchObject({ replaces: rx.id });
    expect(await rxRow(rx.id)).toMatchObject({ status: "replaced", replacedBy: signed.body.id });
    expect(await rxRow(signed.body.id)).toMatchObject({ status: "signed", replaces: rx.id });
    expect((await inboxDoneOf(orderId))[0]).not.toBeNull();
    expect((await auditRows("prescription", rx.id)).map((r) => r.action)).toEqual(["prescription.sign", "prescription.draft.read", "prescription.replace"]);
    const detail = await api<{ replacedBy: string }>("GET", `/prescriptions/${rx.id}`, { token: await shimenDoctor() });
    expect(detail.body.replacedBy).toBe(signed.body.id);
  });

  it("a long prescription whose first instalment was rejected: its later, scheduled instalments are cancelled with it", async () => {
    const { rx, orderIds } = await aLongOrderInThree();
    expect((await act(orderIds[0] ?? "", "review", { decision: "reject", reasonCode: "inappropriate.dosage" })).status).toBe(200);
    expect(await orderStatuses(rx.id)).toEqual(["rejected", "scheduled", "scheduled"]);
    const { body } = await draftOf(rx.id);
    expect(body.draft.replaces).toBe(rx.id);
    expect(body.draft.fulfilment.instalments).toBe(3);
    const signed = await signDraft(body.draft);
    expect(signed.status, JSON.stringify(signed.body)).toBe(201);
    expect(await orderStatuses(rx.id)).toEqual(["rejected", "cancelled", "cancelled"]);
    expect(await orderStatuses(signed.body.id)).toEqual(["pending_review", "scheduled", "scheduled"]);
    const supply = await env.DB.prepare("SELECT prescription_id AS id, active FROM prescription_items WHERE prescription_id IN (?, ?) ORDER BY prescription_id = ?").bind(rx.id, signed.body.id, signed.body.id).all<{ id: string; active: number }>();
    expect(supply.results.map((r) => [r.id, r.active])).toEqual([
      [rx.id, 0],
      [signed.body.id, 1],
    ]);
  });

  it("a returned one and an expired one are replaceable too", async () => {
    for (const { rx } of [await aReturnedPrescription(), await anExpiredPrescription()]) {
      const { body } = await draftOf(rx.id);
      expect(body.draft.replaces).toBe(rx.id);
      const signed = await signDraft(body.draft);
      expect(signed.status, JSON.stringify(signed.body)).toBe(201);
      expect(await rxRow(rx.id)).toMatchObject({ status: "replaced", replacedBy: signed.body.id });
    }
  });

  it("a cancelled one is replaced and stays cancelled", async () => {
    const { rx } = await aPickupOrder();
    expect((await api("POST", `/prescriptions/${rx.id}/cancel`, { token: await shimenDoctor(), body: { reason: "剂量开错" } })).status).toBe(200);
    const { body } = await draftOf(rx.id);
    expect(body.draft.replaces).toBe(rx.id);
    const signed = await signDraft(body.draft);
    expect(signed.status, JSON.stringify(signed.body)).toBe(201);
    expect(await rxRow(rx.id)).toMatchObject({ status: "cancelled", replacedBy: signed.body.id });
  });

  it("a prescription still under way at the pharmacy drafts as a copy, without replaces", async () => {
    const { rx } = await aPickupOrder();
    const { status, body } = await draftOf(rx.id);
    expect(status).toBe(200);
    expect(body.draft).not.toHaveProperty("replaces");
    // the copy is checked against the supply the original still holds
    expect(body.validation.findings.map((f) => f.ruleId)).toContain("safety-duplicate-ingredient");
  });

  it("round trips: the draft two (audited read, rule context), signing with replaces two (key and context with the old prescription, write)", async () => {
    const { rx } = await aRejectedPrescription();
    const reading = await countedCtx();
    const drafted = await prescriptionDraft(reading.ctx, rx.id);
    expect(reading.trips()).toBe(2);
    const signing = await countedCtx();
    const outcome = await signPrescription(signing.ctx, crypto.randomUUID(), drafted.draft);
    expect(outcome.status).toBe(201);
    expect(signing.trips()).toBe(2);
  });
});
