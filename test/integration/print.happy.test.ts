import { beforeAll, describe, expect, it } from "vitest";
import type { PrintedPrescription } from "../../worker/prescriptions/prescriptions.schemas";
import { printPrescription } from "../../worker/prescriptions/print.service";
import { decodeQrPayload, verifyQrPayload } from "../../worker/signing/qr-payload";
import { aNormalPrescription, AMLODIPINE } from "../builders/prescriptions";
import { api } from "../support/api";
import { loadDemoSeed } from "../support/seed";
import { freshPatient, sign } from "./desk.fixtures";
import { auditRows, countedCtx, shimenDoctor } from "./follow-up-rx.fixtures";

describe("the printed prescription", () => {
  beforeAll(loadDemoSeed);

  it("shows what the 处方笺 needs, from the signed content and the records it names", async () => {
    const rx = await sign({ ...aNormalPrescription(await freshPatient(), AMLODIPINE, 7), diagnoses: [{ icd10: "I10", name: "原发性高血压" }] });
    const res = await api<PrintedPrescription>("GET", `/prescriptions/${rx.id}/print`, { token: await shimenDoctor() });
    expect(res.status).toBe(200);
    const { qr, writtenAt, ...printed } = res.body;
    expect(writtenAt).toBe(rx.writtenAt);
    expect(printed).toEqual({
      id: rx.id,
      kind: "normal",
      status: "signed",
      institution: { id: "inst-shimen", name: "石门乡卫生院", level: "primary" },
      // freshPatient: born 1958-03-02, male
      patient: { id: rx.patientId, name: "药联测试", gender: "male", age: `${Number(writtenAt.slice(0, 4)) - 1958 - (writtenAt.slice(5, 10) < "03-02" ? 1 : 0)}岁` },
      prescriber: { id: "doc-shimen-gp-intermediate", name: "邓春梅", title: "intermediate" },
      diagnoses: [{ icd10: "I10", name: "原发性高血压" }],
      items: [
        {
          drugCode: AMLODIPINE,
          genericName: expect.stringContaining("氨氯地平"),
          form: expect.any(String),
          strength: { value: 5, unit: "mg" },
          pack: expect.objectContaining({ size: expect.any(Number) }),
          dose: { value: 5, unit: "mg" },
          frequency: "qd",
          route: null,
          days: 7,
          packages: 1,
        },
      ],
      longTerm: null,
      extendedReason: null,
      formularyVersion: rx.formularyVersion,
      contentHash: rx.contentHash,
    });
  });

  it("carries a QR payload that verifies offline against the public keys, fetched without a token", async () => {
    const rx = await sign(aNormalPrescription(await freshPatient(), AMLODIPINE, 7));
    const printed = (await api<PrintedPrescription>("GET", `/prescriptions/${rx.id}/print`, { token: await shimenDoctor() })).body;
    const keys = await api<{ keys: { kid: string }[] }>("GET", "/prescription-signing-keys");
    expect(keys.status).toBe(200);
    expect(keys.headers.get("cache-control")).toBe("public, max-age=300");
    const result = await verifyQrPayload(printed.qr, keys.body);
    expect(result.valid).toBe(true);
    expect(result.fields).toEqual({
      id: rx.id,
      w: rx.writtenAt,
      k: "normal",
      o: "石门乡卫生院",
      d: "邓春梅",
      p: ["药联测试", "M", printed.patient.age],
      x: ["I10"],
      r: [[printed.items[0]?.genericName, "5mg", 1, "5mg qd"]],
      h: rx.contentHash.slice(0, 16),
    });
    // the payload's kid is the prescription's signing key
    expect(decodeQrPayload(printed.qr).ok && decodeQrPayload(printed.qr)).toMatchObject({ kid: rx.signatureKeyId });
  });

  it("is an audited read, in one round trip", async () => {
    const rx = await sign(aNormalPrescription(await freshPatient(), AMLODIPINE, 7));
    const { ctx, trips } = await countedCtx();
    await printPrescription(ctx, rx.id);
    expect(trips()).toBe(1);
    expect((await auditRows("prescription", rx.id)).map((r) => [r.action, r.actor_id])).toEqual([
      ["prescription.sign", "doc-shimen-gp-intermediate"],
      ["prescription.print", "doc-shimen-gp-intermediate"],
    ]);
  });
});
