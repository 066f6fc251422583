import { env } from "cloudflare:workers";
import type { Draft } from "../../worker/prescriptions/prescriptions.schemas";

/** Seed codes (see seeds/neml): metformin 0.5 g tablets (pack of 1 tablet), amlodipine 5 mg (28/pack), amoxicillin 0.25 g tablets. */
export const METFORMIN = "W315-05";
export const AMLODIPINE = "W185-01";
export const AMOXICILLIN = "W006-05";

/** The issue's happy path: a 12-week metformin + amlodipine renewal for pat-001 (stable I10 + E11). */
export function aLongRenewal(overrides: Partial<Draft> = {}): Draft {
  return {
    patientId: "pat-001",
    kind: "long_term",
    diagnoses: [
      { icd10: "I10", name: "原发性高血压" },
      { icd10: "E11.9", name: "2型糖尿病" },
    ],
    items: [
      { drugCode: METFORMIN, dose: { value: 0.5, unit: "g" }, frequency: "bid", days: 84, packages: 168 },
      { drugCode: AMLODIPINE, dose: { value: 5, unit: "mg" }, frequency: "qd", days: 84, packages: 3 },
    ],
    longTerm: { firstIssue: false, assessment: "血压血糖控制达标，病情稳定，用药方案 3 个月未变。", patientConfirmed: true },
    fulfilment: { mode: "pickup", pickupSiteId: "site-cloud-shimen" },
    ...overrides,
  };
}

export function aNormalPrescription(patientId: string, drugCode = AMLODIPINE, days = 7): Draft {
  return {
    patientId,
    kind: "normal",
    diagnoses: [{ icd10: "I10" }],
    items: [{ drugCode, dose: { value: 5, unit: "mg" }, frequency: "qd", days, packages: 1 }],
    fulfilment: { mode: "pickup", pickupSiteId: "site-cloud-shimen" },
  };
}

/**
 * Inserts an earlier long prescription as history (written `daysAgo` days before today,
 * `days` long, no items covering today), for renewal and re-assessment scenarios.
 */
export async function aPastLongPrescription(patientId: string, writtenAt: string, id = `rx_past_${crypto.randomUUID().slice(0, 8)}`) {
  await env.DB.prepare(
    `INSERT INTO prescriptions (id, patient_id, prescriber_id, institution_id, kind, written_at, days, long_term_first_issue, status, content, content_hash, signature, signature_key_id, formulary_version, findings, created_at, version)
     VALUES (?, ?, 'doc-shimen-gp-intermediate', 'inst-shimen', 'long_term', ?, 84, 1, 'completed', '{}', 'x', 'x', 'fixture', 1, '[]', ?, 1)`,
  )
    .bind(id, patientId, writtenAt, writtenAt)
    .run();
  return id;
}
