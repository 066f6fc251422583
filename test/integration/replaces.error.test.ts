import { beforeAll, describe, expect, it } from "vitest";
import { aNormalPrescription, AMLODIPINE } from "../builders/prescriptions";
import { loadDemoSeed } from "../support/seed";
import { advance, APPROVE, aPickupOrder, DISPENSE, freshPatient, pickupCodeFromSms, sign, anOrderAwaitingStock } from "./desk.fixtures";
import { returnOrder } from "./returns.fixtures";
import { aRejectedPrescription, draftOf, prescriptionsOfPatient, rxRow, signDraft } from "./replaces.fixtures";

describe("replacing: what cannot be replaced", () => {
  beforeAll(loadDemoSeed);

  it("a prescription still in review: 409, nothing signed, nothing changed", async () => {
    const { rx } = await aPickupOrder();
    const res = await signDraft({ ...aNormalPrescription(rx.patientId, AMLODIPINE, 7), replaces: rx.id });
    expect([res.status, res.body.code]).toEqual([409, "conflict"]);
    expect(res.body.detail).toContain("none of its orders was rejected, returned or expired");
    expect(await rxRow(rx.id)).toMatchObject({ status: "signed", replacedBy: null, version: 1 });
    expect(await prescriptionsOfPatient(rx.patientId)).toBe(1);
  });

  it("one already replaced: 409 for the second replacement", async () => {
    const { rx } = await aRejectedPrescription();
    const { body } = await draftOf(rx.id);
    expect((await signDraft(body.draft)).status).toBe(201);
    const again = await signDraft(body.draft);
    expect([again.status, again.body.code]).toEqual([409, "conflict"]);
    expect(again.body.detail).toContain("already replaced");
    expect(await prescriptionsOfPatient(rx.patientId)).toBe(2);
    // and its draft no longer offers to replace it
    expect((await draftOf(rx.id)).body.draft).not.toHaveProperty("replaces");
  });

  it("another patient's prescription: 422 on replaces", async () => {
    const { rx } = await aRejectedPrescription();
    const other = await freshPatient();
    const res = await signDraft({ ...aNormalPrescription(other, AMLODIPINE, 7), replaces: rx.id });
    expect([res.status, res.body.code]).toEqual([422, "unprocessable"]);
    expect(res.body.issues?.map((i) => i.path)).toEqual(["replaces"]);
    expect(await rxRow(rx.id)).toMatchObject({ status: "signed", replacedBy: null });
  });

  it("an unknown prescription: 422 on replaces", async () => {
    const patientId = await freshPatient();
    const res = await signDraft({ ...aNormalPrescription(patientId, AMLODIPINE, 7), replaces: "rx_unknown" });
    expect([res.status, res.body.code]).toEqual([422, "unprocessable"]);
    expect(await prescriptionsOfPatient(patientId)).toBe(0);
  });

  it("one picked up, and one returned after part of it was handed over: 409 (the patient got drugs of it)", async () => {
    const picked = await aPickupOrder();
    await advance(picked.orderId, APPROVE, DISPENSE, ["ready"]);
    await advance(picked.orderId, ["handover", { pickupCode: await pickupCodeFromSms(picked.orderId) }]);
    const partial = await anOrderAwaitingStock();
    expect((await returnOrder(partial.orderId, { reasonCode: "out_of_stock_long" })).status).toBe(200);
    for (const rx of [picked.rx, partial.rx]) {
      const res = await signDraft({ ...aNormalPrescription(rx.patientId, AMLODIPINE, 7), replaces: rx.id });
      expect([res.status, res.body.code]).toEqual([409, "conflict"]);
      expect((await draftOf(rx.id)).body.draft).not.toHaveProperty("replaces");
    }
  });

  it("a replacement that fails the rules: 422 with the findings, the old one untouched", async () => {
    const { rx } = await aRejectedPrescription();
    const { body } = await draftOf(rx.id);
    const res = await signDraft({ ...body.draft, items: [{ ...body.draft.items[0], dose: { value: 500, unit: "mg" } }] });
    expect(res.status).toBe(422);
    expect(await rxRow(rx.id)).toMatchObject({ status: "signed", replacedBy: null });
  });

  it("a draft of an unknown prescription is a 404 problem; a malformed replaces a 400", async () => {
    expect((await draftOf("rx_unknown")).status).toBe(404);
    const patientId = await freshPatient();
    await sign(aNormalPrescription(patientId, AMLODIPINE, 7));
    const res = await signDraft({ ...aNormalPrescription(patientId, AMLODIPINE, 7), replaces: "" });
    expect(res.status).toBe(400);
  });
});
