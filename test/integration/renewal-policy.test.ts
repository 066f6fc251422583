/**
 * Issue 10 through the HTTP API: renewals in the grace window, the last long prescription
 * for the same condition and drugs, routes kept on supply lines, and consortium policy
 * settings read by the rules (worker/rules/renewal.ts, long-rx-policy.ts).
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { addDays, chinaDate } from "../../worker/lib/clock";
import type { Draft, Prescription, Redraft } from "../../worker/prescriptions/prescriptions.schemas";
import { validatePrescription } from "../../worker/prescriptions/prescriptions.service";
import type { SettingView } from "../../worker/settings/settings.schemas";
import { AMLODIPINE, aLongRenewal, aNormalPrescription, METFORMIN } from "../builders/prescriptions";
import { api, asAdmin } from "../support/api";
import { loadDemoSeed } from "../support/seed";
import { freshPatient, sign } from "./desk.fixtures";
import { countedCtx, shimenDoctor } from "./follow-up-rx.fixtures";

interface Validation {
  valid: boolean;
  findings: { ruleId: string; severity: string; itemIndex?: number; message: string }[];
}

const HYPERTENSION = { icd10: "I10", name: "原发性高血压" };
const DIABETES = { icd10: "E11.9", name: "2型糖尿病" };
const ASSESSED = { assessment: "血压控制平稳，依从性好，评估后开具长期处方。", patientConfirmed: true };

async function validate(draft: Draft): Promise<Validation> {
  const res = await api<Validation>("POST", "/prescriptions/validate", { token: await shimenDoctor(), body: draft });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

const ruleIds = (v: Validation) => v.findings.map((f) => f.ruleId);

/** A 28-day long prescription of amlodipine for hypertension. */
function longAmlodipine(patientId: string, firstIssue: boolean): Draft {
  return aLongRenewal({
    patientId,
    diagnoses: [HYPERTENSION],
    items: [{ drugCode: AMLODIPINE, dose: { value: 5, unit: "mg" }, frequency: "qd", days: 28, packages: 1 }],
    longTerm: { firstIssue, ...ASSESSED },
  });
}

/**
 * Moves a signed prescription back in time so that its supply has `daysLeft` days left today
 * (1 on its last day), as if it had been signed (28 − daysLeft) days ago.
 */
async function signedDaysAgo(rx: Prescription, days: number, daysLeft: number): Promise<void> {
  const today = chinaDate(new Date());
  const start = addDays(today, daysLeft - days);
  await env.DB.batch([
    env.DB.prepare("UPDATE prescriptions SET written_at = ? WHERE id = ?").bind(`${start}T10:00:00+08:00`, rx.id),
    env.DB.prepare("UPDATE prescription_items SET start_date = ?, end_date = ? WHERE prescription_id = ?").bind(start, addDays(start, days), rx.id),
  ]);
}

describe("a renewal signed a few days before the renewed supply runs out", () => {
  beforeAll(loadDemoSeed);

  it("passes validation and signs with 5 days left; with 8 days left the supply is duplicated", async () => {
    const early = await freshPatient([HYPERTENSION]);
    await signedDaysAgo(await sign(longAmlodipine(early, true)), 28, 5);
    const renewal = longAmlodipine(early, false);
    expect(ruleIds(await validate(renewal))).not.toContain("safety-duplicate-ingredient");
    const signed = await sign(renewal);
    expect(signed).toMatchObject({ kind: "long_term", status: "signed" });

    const tooEarly = await freshPatient([HYPERTENSION]);
    await signedDaysAgo(await sign(longAmlodipine(tooEarly, true)), 28, 8);
    expect(ruleIds(await validate(longAmlodipine(tooEarly, false)))).toEqual(["safety-duplicate-ingredient"]);
  });

  it("a re-assessed first issue after an admission replaces the supply whatever is left", async () => {
    const patientId = await freshPatient([HYPERTENSION]);
    await signedDaysAgo(await sign(longAmlodipine(patientId, true)), 28, 20);
    await env.DB.prepare("INSERT INTO patient_events (id, patient_id, type, at) VALUES (?, ?, 'admission', ?)")
      .bind(`evt-${patientId}`, patientId, `${addDays(chinaDate(new Date()), -3)}T09:00:00+08:00`)
      .run();
    expect(ruleIds(await validate(longAmlodipine(patientId, false)))).toEqual(expect.arrayContaining(["ltrx-reassessment-due", "safety-duplicate-ingredient"]));
    const firstIssue = await validate(longAmlodipine(patientId, true));
    expect(firstIssue.findings).toEqual([]);
    await sign(longAmlodipine(patientId, true));
  });

  it("a normal refill 3 days before a 28-day supply runs out is no duplicate", async () => {
    const patientId = await freshPatient([HYPERTENSION]);
    const first = await sign({ ...aNormalPrescription(patientId, AMLODIPINE, 28), extendedReason: "慢性病长期用药" });
    await signedDaysAgo(first, 28, 3);
    expect(ruleIds(await validate(aNormalPrescription(patientId, AMLODIPINE, 7)))).not.toContain("safety-duplicate-ingredient");
  });
});

describe("the last long prescription is the last one for the same condition and drugs", () => {
  beforeAll(loadDemoSeed);

  it("a long prescription of metformin for diabetes does not make amlodipine for hypertension a renewal", async () => {
    const patientId = await freshPatient([HYPERTENSION, DIABETES]);
    await sign(
      aLongRenewal({
        patientId,
        diagnoses: [DIABETES],
        items: [{ drugCode: METFORMIN, dose: { value: 0.5, unit: "g" }, frequency: "bid", days: 28, packages: 56 }],
        longTerm: { firstIssue: true, ...ASSESSED },
      }),
    );
    expect(ruleIds(await validate(longAmlodipine(patientId, false)))).toContain("ltrx-first-issue-missing");
    const metforminRenewal = aLongRenewal({
      patientId,
      diagnoses: [DIABETES],
      items: [{ drugCode: METFORMIN, dose: { value: 0.5, unit: "g" }, frequency: "bid", days: 28, packages: 56 }],
    });
    expect(ruleIds(await validate(metforminRenewal))).not.toContain("ltrx-first-issue-missing");
  });
});

describe("GET /patients/{id}/renewal?icd10=: the last long prescription for that condition", () => {
  beforeAll(loadDemoSeed);

  it("offers the newest long prescription, or the newest for the condition asked", async () => {
    const patientId = await freshPatient([HYPERTENSION, DIABETES]);
    const amlodipine = await sign(longAmlodipine(patientId, true));
    const metformin = await sign(
      aLongRenewal({
        patientId,
        diagnoses: [DIABETES],
        items: [{ drugCode: METFORMIN, dose: { value: 0.5, unit: "g" }, frequency: "bid", days: 28, packages: 56 }],
        longTerm: { firstIssue: true, ...ASSESSED },
      }),
    );
    const renewal = async (query: string) => api<Redraft>("GET", `/patients/${patientId}/renewal${query}`, { token: await shimenDoctor() });
    expect((await renewal("")).body.basedOn.prescriptionId).toBe(metformin.id);
    const hypertension = await renewal("?icd10=I10");
    expect(hypertension.status).toBe(200);
    expect(hypertension.body.basedOn.prescriptionId).toBe(amlodipine.id);
    expect(hypertension.body.draft.items.map((i) => i.drugCode)).toEqual([AMLODIPINE]);
    expect((await renewal("?icd10=E11.9")).body.basedOn.prescriptionId).toBe(metformin.id);
    expect((await renewal("?icd10=J45")).status).toBe(404);
    expect((await renewal("?icd10=not-a-code")).status).toBe(400);
  });
});

describe("supply lines keep their route", () => {
  beforeAll(loadDemoSeed);

  async function femalePatient(): Promise<string> {
    const id = `pat-route-${crypto.randomUUID().slice(0, 8)}`;
    await env.DB.prepare("INSERT INTO patients (id, name, gender, birth_date, created_at) VALUES (?, '药联测试', 'female', '1962-05-04', '2026-01-01')").bind(id).run();
    return id;
  }
  /** Metronidazole for 7 days: W032-01 tablets (oral) or W032-05 vaginal effervescent tablets. */
  const metronidazole = (patientId: string, drugCode: string): Draft => ({
    ...aNormalPrescription(patientId, drugCode, 7),
    diagnoses: [{ icd10: "N76.0", name: "急性阴道炎" }],
    items: [{ drugCode, dose: { value: 0.2, unit: "g" }, frequency: "qn", days: 7, packages: 7 }],
  });
  const warfarin = (patientId: string): Draft => ({
    ...aNormalPrescription(patientId, "W295-02", 7),
    diagnoses: [{ icd10: "I48", name: "心房颤动" }],
    items: [{ drugCode: "W295-02", dose: { value: 2.5, unit: "mg" }, frequency: "qd", days: 7, packages: 7 }],
  });

  it("a vaginal metronidazole supply raises no warfarin interaction; an oral one does", async () => {
    const local = await femalePatient();
    const vaginal = await sign(metronidazole(local, "W032-05"));
    const line = await env.DB.prepare("SELECT route FROM prescription_items WHERE prescription_id = ?").bind(vaginal.id).first<{ route: string | null }>();
    expect(line?.route).toBe("vaginal");
    const withLocal = await validate(warfarin(local));
    expect(ruleIds(withLocal).filter((id) => id.startsWith("safety-interaction"))).toEqual([]);
    await sign(warfarin(local));

    const systemic = await femalePatient();
    await sign(metronidazole(systemic, "W032-01"));
    expect(ruleIds(await validate(warfarin(systemic)))).toContain("safety-interaction-moderate");
  });
});

describe("consortium policy settings change the rules' result", () => {
  beforeAll(loadDemoSeed);

  const put = async (key: string, value: unknown) => {
    const current = await api<SettingView>("GET", `/settings/${key}`, { token: await asAdmin() });
    const res = await api<SettingView>("PUT", `/settings/${key}`, { token: await asAdmin(), headers: { "if-match": `"${current.body.version}"` }, body: { value } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  };

  it("coldChainOnLongRx admits insulin glargine on a long prescription", async () => {
    const patientId = await freshPatient([DIABETES]);
    const insulin = aLongRenewal({
      patientId,
      diagnoses: [DIABETES],
      items: [{ drugCode: "W312-01", dose: { value: 20, unit: "U" }, frequency: "qn", route: "sc", days: 28, packages: 2 }],
      longTerm: { firstIssue: true, ...ASSESSED },
    });
    const before = ruleIds(await validate(insulin));
    expect(before).toContain("ltrx-drug-excluded");
    await put("coldChainOnLongRx", true);
    const after = ruleIds(await validate(insulin));
    expect(after).not.toContain("ltrx-drug-excluded");
    expect(after).not.toContain("ltrx-drug-not-listed");
    await put("coldChainOnLongRx", false);
    expect(ruleIds(await validate(insulin))).toContain("ltrx-drug-excluded");
  });

  it("antiviralsOnLongRx admits entecavir for chronic hepatitis B", async () => {
    const patientId = await freshPatient([{ icd10: "B18.1", name: "慢性乙型病毒性肝炎" }]);
    const entecavir = aLongRenewal({
      patientId,
      diagnoses: [{ icd10: "B18.1", name: "慢性乙型病毒性肝炎" }],
      items: [{ drugCode: "W045-01", dose: { value: 0.5, unit: "mg" }, frequency: "qd", days: 28, packages: 28 }],
      longTerm: { firstIssue: true, ...ASSESSED },
    });
    expect(ruleIds(await validate(entecavir))).toContain("ltrx-drug-excluded");
    await put("antiviralsOnLongRx", true);
    expect(ruleIds(await validate(entecavir))).not.toContain("ltrx-drug-excluded");
    await put("antiviralsOnLongRx", false);
  });

  it("refillGraceDays narrows the renewal window", async () => {
    const patientId = await freshPatient([HYPERTENSION]);
    await signedDaysAgo(await sign(longAmlodipine(patientId, true)), 28, 5);
    expect(ruleIds(await validate(longAmlodipine(patientId, false)))).not.toContain("safety-duplicate-ingredient");
    await put("refillGraceDays", 3);
    expect(ruleIds(await validate(longAmlodipine(patientId, false)))).toContain("safety-duplicate-ingredient");
    await put("refillGraceDays", 7);
  });

  it("validation still costs one D1 round trip with the policy read", async () => {
    const patientId = await freshPatient([HYPERTENSION]);
    const { ctx, trips } = await countedCtx();
    await validatePrescription(ctx, longAmlodipine(patientId, false));
    expect(trips()).toBe(1);
  });
});
