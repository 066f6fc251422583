import { env } from "cloudflare:workers";
import { expect } from "vitest";
import type { Problem } from "../../worker/errors/problem";
import type { ChangeRequest } from "../../worker/pharmacy/orders/change-request-view";
import type { AcceptedChange } from "../../worker/prescriptions/change-requests.schemas";
import type { Draft, Prescription } from "../../worker/prescriptions/prescriptions.schemas";
import { anEntry } from "../builders/entries";
import { AMLODIPINE } from "../builders/prescriptions";
import { api, asAdmin, tokenFor } from "../support/api";
import { cloudPharmacist, freshPatient, shimenDoctor, sign } from "./desk.fixtures";

/** Shared by the change-requests.*.test.ts files (not a test file itself). */

/** The prescriber's colleague at 石门乡卫生院 (sees the requests, does not decide them). */
export const shimenColleague = () => tokenFor("doctor", "doc-shimen-gp-junior", "inst-shimen");
/** A doctor of another institution. */
export const taoyuanDoctor = () => tokenFor("doctor", "doc-taoyuan-gp-intermediate", "inst-taoyuan");

export type Answer<T> = T & Partial<Pick<Problem, "code" | "detail" | "issues">> & { findings?: { ruleId: string; severity: string }[] };

/**
 * A 集采 amlodipine in 7-tablet packs, added to this test file's formulary by the admin
 * (the NEML seed marks no product 集采): the same medicine as the seed's W185-01 (ATC
 * C08CA01), another product and pack size.
 */
export async function aVbpAmlodipine(overrides: Record<string, unknown> = {}): Promise<string> {
  const entry = anEntry({ vbp: true, form: "片剂(苯磺酸盐)", pack: { size: 7, unit: "片" }, price: 0.9, ...overrides });
  const res = await api<{ entry: { code: string } }>("POST", "/formulary/drugs", { token: await asAdmin(), body: entry });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.entry.code;
}

/** A 7-day amlodipine prescription for a fresh patient, picked up at the Shimen window (pharm-cloud): its order id. */
export async function anOrderInReview(days = 7): Promise<{ rx: Prescription; orderId: string; patientId: string }> {
  const patientId = await freshPatient();
  const draft: Draft = {
    patientId,
    kind: "normal",
    diagnoses: [{ icd10: "I10" }],
    items: [{ drugCode: AMLODIPINE, dose: { value: 5, unit: "mg" }, frequency: "qd", days, packages: 1 }],
    fulfilment: { mode: "pickup", pickupSiteId: "site-cloud-shimen" },
  };
  const rx = await sign(draft);
  const orderId = rx.orders?.[0]?.id;
  if (!orderId) throw new Error("no order routed");
  return { rx, orderId, patientId };
}

/** A first long prescription (84 days of amlodipine, three 28-day instalments) for a fresh stable hypertensive patient. */
export async function aLongOrderInThree(): Promise<{ rx: Prescription; orderIds: string[]; patientId: string }> {
  const patientId = await freshPatient([{ icd10: "I10", name: "原发性高血压" }]);
  const rx = await sign({
    patientId,
    kind: "long_term",
    diagnoses: [{ icd10: "I10", name: "原发性高血压" }],
    items: [{ drugCode: AMLODIPINE, dose: { value: 5, unit: "mg" }, frequency: "qd", days: 84, packages: 3 }],
    longTerm: { firstIssue: true, assessment: "血压控制达标，病情稳定，用药方案 3 个月未变。", patientConfirmed: true },
    fulfilment: { mode: "pickup", pickupSiteId: "site-cloud-shimen", instalments: 3 },
  });
  const orderIds = (rx.orders ?? []).map((o) => o.id);
  expect(orderIds).toHaveLength(3);
  return { rx, orderIds, patientId };
}

export async function propose(orderId: string, body: unknown, token?: string) {
  return api<Answer<ChangeRequest>>("POST", `/orders/${orderId}/change-requests`, { token: token ?? (await cloudPharmacist()), body });
}

/** Proposes and asserts it was accepted for the doctor: the open request. */
export async function proposed(orderId: string, changes: unknown[], reason = "集采中选产品替换"): Promise<ChangeRequest> {
  const res = await propose(orderId, { reason, changes });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

export async function accept(id: string, opts: { token?: string; key?: string | null; body?: unknown } = {}) {
  const headers: Record<string, string> = opts.key === null ? {} : { "idempotency-key": opts.key ?? crypto.randomUUID() };
  return api<Answer<AcceptedChange>>("POST", `/change-requests/${id}/accept`, { token: opts.token ?? (await shimenDoctor()), headers, body: opts.body ?? {} });
}

export async function decline(id: string, note = "患者长期服用原品种，血压控制平稳，不同意更换", token?: string) {
  return api<Answer<ChangeRequest>>("POST", `/change-requests/${id}/decline`, { token: token ?? (await shimenDoctor()), body: { note } });
}

export async function withdraw(id: string, token?: string, body: unknown = {}) {
  return api<Answer<ChangeRequest>>("POST", `/change-requests/${id}/withdraw`, { token: token ?? (await cloudPharmacist()), body });
}

export async function getRx(id: string, token?: string) {
  return api<Answer<Prescription>>("GET", `/prescriptions/${id}`, { token: token ?? (await shimenDoctor()) });
}

export async function orderState(orderId: string) {
  const row = await env.DB.prepare("SELECT status, version, prescription_id, items FROM orders WHERE id = ?").bind(orderId).first<{
    status: string;
    version: number;
    prescription_id: string;
    items: string;
  }>();
  if (!row) throw new Error(`no order ${orderId}`);
  return { status: row.status, version: row.version, prescriptionId: row.prescription_id, items: JSON.parse(row.items) as { drugCode: string; packages: number }[] };
}

export async function rxState(id: string) {
  return env.DB.prepare("SELECT status, replaces, replaced_by, version FROM prescriptions WHERE id = ?").bind(id).first<{
    status: string;
    replaces: string | null;
    replaced_by: string | null;
    version: number;
  }>();
}

export async function supplyLines(prescriptionId: string) {
  const rows = await env.DB.prepare("SELECT drug_code, start_date, end_date, packages, active FROM prescription_items WHERE prescription_id = ? ORDER BY idx")
    .bind(prescriptionId)
    .all<{ drug_code: string; start_date: string; end_date: string; packages: number; active: number }>();
  return rows.results;
}

export async function changeRequestRow(id: string) {
  return env.DB.prepare("SELECT status, version, new_prescription_id, decision_note FROM change_requests WHERE id = ?").bind(id).first<{
    status: string;
    version: number;
    new_prescription_id: string | null;
    decision_note: string | null;
  }>();
}

/** Prescriptions that replace `id` (an acceptance signs exactly one). */
export async function replacementsOf(id: string): Promise<number> {
  const row = await env.DB.prepare("SELECT count(*) AS n FROM prescriptions WHERE replaces = ?").bind(id).first<{ n: number }>();
  return row?.n ?? 0;
}
