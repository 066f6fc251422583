/**
 * The API calls the prescription e2e tests make from Node, with the token a page signed in
 * with: registering a fresh patient (so no other browser test's prescriptions of the demo
 * patients get in the way), signing, reviewing.
 */
import type { Page } from "playwright-core";
import { expect, inject } from "vitest";

export const AMLODIPINE = "W185-01"; // 苯磺酸氨氯地平片 5 mg, 28 per pack
export const METFORMIN = "W315-05"; // 盐酸二甲双胍片 0.5 g

/** The bearer token of the page's signed-in user (sessionStorage, as the pages keep it). */
export async function tokenOf(page: Page): Promise<string> {
  return String(await page.evaluate("sessionStorage.getItem('yaolian.token')"));
}

export async function call<T>(token: string, method: "GET" | "POST", path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: T }> {
  const res = await fetch(`${inject("baseUrl")}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}

/** A fresh patient with stable, chronic hypertension and type 2 diabetes diagnosed by `doctorId`. */
export async function freshPatient(token: string, doctorId: string, person: { name: string; gender: "male" | "female"; birthDate: string }): Promise<string> {
  const id = `pat-e2e-${Date.now().toString(36)}${Math.floor(Math.random() * 1e4).toString(36)}`;
  const created = await call(token, "POST", "/patients", { id, ...person, phone: "13807310000" });
  expect(created.status).toBe(201);
  for (const [icd10, name] of [
    ["I10", "原发性高血压"],
    ["E11.9", "2型糖尿病"],
  ]) {
    const res = await call(token, "POST", `/patients/${id}/conditions`, { icd10, name, chronic: true, stable: true, diagnosedAt: "2024-03-01", diagnosedBy: doctorId });
    expect(res.status).toBe(201);
  }
  return id;
}

export interface Signed {
  id: string;
  orders: { id: string; pharmacyId: string; status: string }[];
}

export async function sign(token: string, draft: Record<string, unknown>): Promise<Signed> {
  const res = await call<Signed>(token, "POST", "/prescriptions", draft, { "idempotency-key": crypto.randomUUID() });
  if (res.status !== 201) throw new Error(`signing answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}
