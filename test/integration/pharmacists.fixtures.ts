import { env } from "cloudflare:workers";
import { expect } from "vitest";
import type { Pharmacist } from "../../worker/members/pharmacists.schemas";
import { api, asAdmin, tokenFor } from "../support/api";

/** Shared by the pharmacists.*.test.ts files (not a test file itself). */

let serial = 0;
export const uid = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${(++serial).toString(36)}${Math.random().toString(36).slice(2, 6)}`;

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** A desk pharmacy of this test alone, so listings hold only what the test registered. */
export async function aPharmacy(): Promise<string> {
  const id = uid("pharm");
  const res = await api("POST", "/pharmacies", { token: await asAdmin(), body: { id, name: "测试云药房", integration: "desk", deliveryRegions: ["青溪县"], capabilities: ["pickup"] } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return id;
}

export async function aPharmacist(pharmacyId: string, overrides: Record<string, unknown> = {}): Promise<Pharmacist> {
  const res = await api<Pharmacist>("POST", "/pharmacists", { token: await asAdmin(), body: { id: uid("ph"), name: "陈晓梅", pharmacyId, title: "pharmacist", ...overrides } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

/** A pharmacist's token as the identity provider would issue it: sub = pharmacist id, org = their pharmacy. */
export const tokenOf = (p: Pick<Pharmacist, "id" | "pharmacyId">) => tokenFor("pharmacist", p.id, p.pharmacyId);

export interface AuditRow {
  action: string;
  actor_id: string;
  actor_role: string;
  before: string | null;
  after: string | null;
  request_id: string;
}

export const auditOf = async (pharmacistId: string) =>
  (await env.DB.prepare("SELECT * FROM audit_events WHERE entity_type = 'pharmacist' AND entity_id = ? ORDER BY id").bind(pharmacistId).all<AuditRow>()).results;

export const auditCount = async () => (await env.DB.prepare("SELECT count(*) AS n FROM audit_events").first<{ n: number }>())?.n ?? 0;
