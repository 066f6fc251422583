import { env } from "cloudflare:workers";
import { expect } from "vitest";
import type { Problem } from "../../worker/errors/problem";
import { type DemoPrescription, demoPrescriptionStatements } from "../../seeds/demo-history";
import { nemlSeed } from "../../seeds/neml/convert";
import csvText from "../../seeds/neml-2026/varieties.csv?raw";
import { prepare } from "../../worker/db/bulk";
import type { EntryContent } from "../../worker/formulary/formulary.schemas";
import { getSigner } from "../../worker/signing/signer";
import { AMLODIPINE, METFORMIN } from "../builders/prescriptions";
import { tokenFor } from "../support/api";

/** Shared by the follow-up.*.test.ts files (not a test file itself). */

/** 曹德贵, the village doctor of the issue (inst-fenglin), 张桂兰's family doctor in the demo. */
export const fenglinDoctor = () => tokenFor("doctor", "doc-fenglin-village", "inst-fenglin");
/** 邓春梅, township centre (inst-shimen): wrote 张桂兰's first long prescription. */
export const shimenDoctor = () => tokenFor("doctor", "doc-shimen-gp-intermediate", "inst-shimen");
/** a doctor of the county hospital */
export const countyDoctor = () => tokenFor("doctor", "doc-county-im-senior", "inst-county");
export const anAdmin = () => tokenFor("admin", "admin-county", "inst-county");
export const aPharmacist = () => tokenFor("pharmacist", "ph-cloud-1", "pharm-cloud");
/** a token naming an institution its subject is not a registered practitioner of */
export const impostorDoctor = () => tokenFor("doctor", "doc-county-im-senior", "inst-fenglin");

/** A unique suffix: every test works on its own patients. */
export const uid = (prefix: string) => `${prefix}-${crypto.randomUUID().slice(0, 12)}`;

export interface PatientSeed {
  name?: string;
  pinyin?: string | null;
  phone?: string | null;
  birthDate?: string;
  gender?: "male" | "female";
  familyDoctorId?: string | null;
}

/** A patient of this test alone, written straight to D1 (no audit row: not what is tested). */
export async function aPatient(seed: PatientSeed = {}): Promise<string> {
  const id = uid("pat-fu");
  await env.DB.prepare(
    "INSERT INTO patients (id, name, pinyin, gender, birth_date, phone, family_doctor_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, '2026-01-01T00:00:00.000Z')",
  )
    .bind(id, seed.name ?? "随访测试", seed.pinyin === undefined ? "SFCS" : seed.pinyin, seed.gender ?? "female", seed.birthDate ?? "1958-03-14", seed.phone ?? null, seed.familyDoctorId ?? null)
    .run();
  return id;
}

export async function anEvent(patientId: string, type: "admission" | "new_condition" | "goal_not_met", at: string): Promise<string> {
  const id = uid("pe-fu");
  await env.DB.prepare("INSERT INTO patient_events (id, patient_id, type, at) VALUES (?, ?, ?, ?)").bind(id, patientId, type, at).run();
  return id;
}

let entries: EntryContent[] | undefined;
const neml = () => {
  entries ??= nemlSeed(csvText).entries;
  return entries;
};

/** Who writes a fixture prescription: 邓春梅 at 石门乡卫生院 unless told otherwise. */
const PRESCRIBERS = {
  "doc-shimen-gp-intermediate": { institutionId: "inst-shimen", title: "intermediate", level: "primary" },
  "doc-fenglin-village": { institutionId: "inst-fenglin", title: "junior", level: "village" },
  "doc-county-im-senior": { institutionId: "inst-county", title: "senior", level: "secondary" },
} as const;

export interface RxSeed {
  patientId: string;
  /** China date it was written (signed at 09:30 China time) */
  on: string;
  days?: number;
  kind?: "normal" | "long_term";
  status?: "signed" | "completed" | "cancelled" | "replaced";
  prescriberId?: keyof typeof PRESCRIBERS;
  drugs?: string[];
}

/**
 * A signed prescription dated in the past (the API signs only today's), frozen and signed
 * like the demo history, with its supply lines; a cancelled one gets inactive lines.
 */
export async function aPrescription(seed: RxSeed): Promise<string> {
  const prescriberId = seed.prescriberId ?? "doc-shimen-gp-intermediate";
  const who = PRESCRIBERS[prescriberId];
  const days = seed.days ?? 84;
  const kind = seed.kind ?? "long_term";
  const rx: DemoPrescription = {
    id: uid("rx-fu"),
    patientId: seed.patientId,
    prescriberId,
    prescriberTitle: who.title,
    institutionId: who.institutionId,
    institutionLevel: who.level,
    kind,
    // 01:30 UTC is 09:30 on the same China date
    writtenAt: `${seed.on}T01:30:00.000Z`,
    date: seed.on,
    days,
    status: "signed",
    diagnoses: [{ icd10: "I10", name: "原发性高血压" }],
    items: (seed.drugs ?? [AMLODIPINE, METFORMIN]).map((drugCode) => ({ drugCode, dose: { value: 5, unit: "mg" }, frequency: "qd", days, packages: 3 })),
    longTerm: kind === "long_term" ? { firstIssue: true, assessment: "病情稳定", patientConfirmed: true } : null,
    fulfilment: { mode: "pickup", pickupSiteId: "site-cloud-shimen" },
  };
  const { statements } = await demoPrescriptionStatements(await getSigner(env), neml(), 1, rx);
  await env.DB.batch(statements.map((s) => prepare(env.DB, s)));
  const status = seed.status ?? "signed";
  if (status !== "signed") {
    await env.DB.batch([
      env.DB.prepare("UPDATE prescriptions SET status = ? WHERE id = ?").bind(status, rx.id),
      env.DB.prepare("UPDATE prescription_items SET active = ? WHERE prescription_id = ?").bind(status === "cancelled" ? 0 : 1, rx.id),
    ]);
  }
  return rx.id;
}

export interface AuditRow {
  action: string;
  actor_id: string;
  entity_type: string;
  entity_id: string;
  after: string | null;
}

export async function auditOfRequest(requestId: string | null): Promise<AuditRow[]> {
  const rows = await env.DB.prepare("SELECT action, actor_id, entity_type, entity_id, after FROM audit_events WHERE request_id = ? ORDER BY id").bind(requestId).all<AuditRow>();
  return rows.results;
}

/** A problem+json answer with this status and code; returns the problem. */
export function expectProblem(res: { status: number; headers: Headers; body: unknown }, status: number, code: string): Problem {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  const body = res.body as Problem;
  expect(body).toMatchObject({ status, code });
  return body;
}
