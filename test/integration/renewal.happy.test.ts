import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { Draft, type Prescription, type Redraft } from "../../worker/prescriptions/prescriptions.schemas";
import { renewalDraft } from "../../worker/prescriptions/redraft.service";
import { AMLODIPINE, aLongRenewal } from "../builders/prescriptions";
import { api } from "../support/api";
import { loadDemoSeed } from "../support/seed";
import { freshPatient, sign } from "./desk.fixtures";
import { auditRows, countedCtx, fenglinDoctor, shimenDoctor } from "./follow-up-rx.fixtures";

/** A fresh patient with stable hypertension and a first long prescription of amlodipine signed today at Shimen. */
async function aPatientOnLongAmlodipine(): Promise<{ patientId: string; rx: Prescription }> {
  const patientId = await freshPatient([{ icd10: "I10", name: "原发性高血压" }]);
  const rx = await sign(
    aLongRenewal({
      patientId,
      diagnoses: [{ icd10: "I10", name: "原发性高血压" }],
      items: [{ drugCode: AMLODIPINE, dose: { value: 5, unit: "mg" }, frequency: "qd", days: 56, packages: 2 }],
      longTerm: { firstIssue: true, assessment: "血压控制平稳，评估后开具长期处方。", patientConfirmed: true },
    }),
  );
  return { patientId, rx };
}

describe("renewal (续方)", () => {
  beforeAll(loadDemoSeed);

  it("turns 张桂兰's last long prescription into today's draft for 曹德贵, who may not see the other institution's prescription id", async () => {
    const res = await api<Redraft>("GET", "/patients/pat-001/renewal", { token: await fenglinDoctor() });
    expect(res.status).toBe(200);
    const stored = await env.DB.prepare("SELECT written_at, days FROM prescriptions WHERE id = 'rx_demo_pat001_first'").first<{ written_at: string; days: number }>();
    expect(res.body.basedOn).toEqual({
      prescriptionId: null,
      writtenAt: stored?.written_at,
      institutionId: "inst-shimen",
      institutionName: "石门乡卫生院",
      prescriberName: "邓春梅",
      days: 84,
      endDate: expect.stringMatching(/^2026-11-2\d$/),
    });
    const { draft, validation } = res.body;
    expect(Draft.safeParse(draft).success).toBe(true);
    expect(draft).toMatchObject({ patientId: "pat-001", kind: "long_term", longTerm: { firstIssue: false, assessment: "", patientConfirmed: false } });
    expect(draft).not.toHaveProperty("writtenAt");
    expect(draft).not.toHaveProperty("replaces");
    expect(draft.diagnoses.map((d) => d.icd10)).toEqual(["I10", "E11.9"]);
    expect(draft.items.map((i) => [i.drugCode, i.days])).toEqual(expect.arrayContaining([[AMLODIPINE, 84]]));
    // today's rules: the assessment and the patient's confirmation are still to be given
    expect(validation.valid).toBe(false);
    expect(validation.findings.map((f) => f.ruleId)).toContain("ltrx-assessment-required");
    expect(validation.formularyVersion).toBeGreaterThan(0);
  });

  it("is signed once the doctor fills in the assessment and the patient's confirmation", async () => {
    const { body } = await api<Redraft>("GET", "/patients/pat-001/renewal", { token: await fenglinDoctor() });
    const confirmed = { ...body.draft, longTerm: { firstIssue: body.draft.longTerm?.firstIssue ?? false, assessment: "血压血糖达标，病情稳定。", patientConfirmed: true } };
    const validated = await api<{ valid: boolean; findings: { ruleId: string; severity: string }[] }>("POST", "/prescriptions/validate", { token: await fenglinDoctor(), body: confirmed });
    expect(validated.body.findings.filter((f) => f.severity === "error")).toEqual([]);
    const signed = await sign(confirmed, await fenglinDoctor());
    expect(signed).toMatchObject({ kind: "long_term", patientId: "pat-001", institutionId: "inst-fenglin", status: "signed" });
  });

  it("names the prescription to the writing institution's doctors", async () => {
    const { patientId, rx } = await aPatientOnLongAmlodipine();
    const res = await api<Redraft>("GET", `/patients/${patientId}/renewal`, { token: await shimenDoctor() });
    expect(res.status).toBe(200);
    expect(res.body.basedOn).toMatchObject({ prescriptionId: rx.id, writtenAt: rx.writtenAt, days: 56 });
    expect(res.body.draft.items).toEqual([{ drugCode: AMLODIPINE, dose: { value: 5, unit: "mg" }, frequency: "qd", days: 56, packages: 2 }]);
    expect(res.body.draft.fulfilment).toEqual({ mode: "pickup", pickupSiteId: "site-cloud-shimen" });
  });

  it("is a first issue when re-assessment is due (an admission since the last long prescription)", async () => {
    const { patientId } = await aPatientOnLongAmlodipine();
    await env.DB.prepare("INSERT INTO patient_events (id, patient_id, type, at) VALUES (?, ?, 'admission', ?)")
      .bind(`evt-${patientId}`, patientId, new Date().toISOString())
      .run();
    const res = await api<Redraft>("GET", `/patients/${patientId}/renewal`, { token: await shimenDoctor() });
    expect(res.status).toBe(200);
    expect(res.body.draft.longTerm).toEqual({ firstIssue: true, assessment: "", patientConfirmed: false });
    expect(res.body.validation.findings.map((f) => f.ruleId)).not.toContain("ltrx-reassessment-due");
  });

  it("costs two round trips and leaves an audit row naming the patient by id", async () => {
    const { patientId } = await aPatientOnLongAmlodipine();
    const { ctx, trips } = await countedCtx();
    await renewalDraft(ctx, patientId);
    expect(trips()).toBe(2);
    expect((await auditRows("patient", patientId)).map((r) => [r.action, r.actor_id])).toEqual([["patient.renewal.read", "doc-shimen-gp-intermediate"]]);
  });
});
