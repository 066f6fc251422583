import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { Problem } from "../../worker/errors/problem";
import { aNormalPrescription } from "../builders/prescriptions";
import { api, asAdmin, tokenFor } from "../support/api";
import { loadDemoSeed } from "../support/seed";

/*
 * Issue 11, found by the review: reading a prescription or an order's notifications trusted
 * the token's org without checking that the caller is registered there, and any member
 * doctor could re-grade another institution's diagnosis as stable.
 */

const prescriber = () => tokenFor("doctor", "doc-shimen-gp-intermediate", "inst-shimen");
const uid = (prefix: string) => `${prefix}-${crypto.randomUUID().slice(0, 8)}`;

async function aSignedPrescription(): Promise<{ id: string; orderId: string; pharmacyId: string }> {
  const patientId = uid("pat-reg");
  await env.DB.prepare("INSERT INTO patients (id, name, gender, birth_date, created_at) VALUES (?, '测试', 'female', '1960-01-01', '2026-01-01')").bind(patientId).run();
  const res = await api<{ id: string; orders: { id: string; pharmacyId: string }[] }>("POST", "/prescriptions", {
    token: await prescriber(),
    headers: { "idempotency-key": crypto.randomUUID() },
    body: aNormalPrescription(patientId),
  });
  expect(res.status).toBe(201);
  const order = res.body.orders[0];
  return { id: res.body.id, orderId: order?.id ?? "", pharmacyId: order?.pharmacyId ?? "" };
}

function expectForbidden(res: { status: number; headers: Headers; body: unknown }, what: string) {
  expect(res.status, what).toBe(403);
  expect(res.headers.get("content-type"), what).toContain("application/problem+json");
  expect((res.body as Problem).code, what).toBe("forbidden");
}

describe("the caller must be registered at the organisation in the token", () => {
  beforeAll(loadDemoSeed);

  it("GET /prescriptions/{id}: a doctor claiming the writing institution without working there gets 403", async () => {
    const rx = await aSignedPrescription();
    expect((await api("GET", `/prescriptions/${rx.id}`, { token: await prescriber() })).status).toBe(200);
    for (const [sub, what] of [
      ["doc-fenglin-village", "a doctor of another institution"],
      ["doc-nobody", "no practitioner at all"],
    ] as const) {
      expectForbidden(await api("GET", `/prescriptions/${rx.id}`, { token: await tokenFor("doctor", sub, "inst-shimen") }), what);
    }
    // a non-member learns nothing about ids either: the same 403 for an unknown prescription
    expectForbidden(await api("GET", "/prescriptions/rx_nope", { token: await tokenFor("doctor", "doc-fenglin-village", "inst-shimen") }), "unknown id");
  });

  it("GET /prescriptions/{id}: a pharmacist claiming the routed pharmacy without working there gets 403", async () => {
    const rx = await aSignedPrescription();
    const staff = await env.DB.prepare("SELECT id FROM pharmacists WHERE pharmacy_id = ? LIMIT 1").bind(rx.pharmacyId).first<{ id: string }>();
    expect((await api("GET", `/prescriptions/${rx.id}`, { token: await tokenFor("pharmacist", staff?.id ?? "", rx.pharmacyId) })).status).toBe(200);
    expectForbidden(await api("GET", `/prescriptions/${rx.id}`, { token: await tokenFor("pharmacist", "ph-renhe-1", rx.pharmacyId) }), "another pharmacy's pharmacist");
    expectForbidden(await api("GET", `/prescriptions/${rx.id}`, { token: await tokenFor("pharmacist", "ph-nobody", rx.pharmacyId) }), "no pharmacist at all");
  });

  it("GET /notifications: a pharmacist claiming the order's pharmacy without working there gets 403", async () => {
    const rx = await aSignedPrescription();
    const staff = await env.DB.prepare("SELECT id FROM pharmacists WHERE pharmacy_id = ? LIMIT 1").bind(rx.pharmacyId).first<{ id: string }>();
    expect((await api("GET", `/notifications?orderId=${rx.orderId}`, { token: await tokenFor("pharmacist", staff?.id ?? "", rx.pharmacyId) })).status).toBe(200);
    expectForbidden(await api("GET", `/notifications?orderId=${rx.orderId}`, { token: await tokenFor("pharmacist", "ph-renhe-1", rx.pharmacyId) }), "another pharmacy's pharmacist");
    expectForbidden(await api("GET", "/notifications?orderId=ord_nope", { token: await tokenFor("pharmacist", "ph-nobody", rx.pharmacyId) }), "unknown order");
    expect((await api("GET", `/notifications?orderId=${rx.orderId}`, { token: await asAdmin() })).status).toBe(200);
  });
});

describe("re-grading a condition: what relaxes the long-prescription rules belongs to the diagnosing institution", () => {
  beforeAll(loadDemoSeed);

  const county = () => tokenFor("doctor", "doc-county-cardio-senior", "inst-county");

  async function aCondition(stable: boolean, chronic = true) {
    const patientId = uid("pat-cond");
    const created = await api("POST", "/patients", { token: await county(), body: { id: patientId, name: "稳定性", gender: "male", birthDate: "1955-03-01" } });
    expect(created.status).toBe(201);
    const res = await api<{ id: string }>("POST", `/patients/${patientId}/conditions`, {
      token: await county(),
      body: { icd10: "I10", name: "高血压", chronic, stable, diagnosedAt: "2025-01-10", diagnosedBy: "doc-county-cardio-senior" },
    });
    expect(res.status).toBe(201);
    return { path: `/patients/${patientId}/conditions/${res.body.id}`, id: res.body.id };
  }

  const stored = async (id: string) => env.DB.prepare("SELECT stable, chronic FROM patient_conditions WHERE id = ?").bind(id).first<{ stable: number; chronic: number }>();

  it("refuses another institution's doctor grading it stable or chronic (403), changing nothing, not even the audit", async () => {
    const unstable = await aCondition(false);
    const audits = async () => (await env.DB.prepare("SELECT count(*) AS n FROM audit_events WHERE action = 'patient.condition.update' AND after LIKE ?").bind(`%${unstable.id}%`).first<{ n: number }>())?.n;
    expectForbidden(await api("PATCH", unstable.path, { token: await prescriber(), body: { stable: true } }), "stable");
    const acute = await aCondition(true, false);
    expectForbidden(await api("PATCH", acute.path, { token: await prescriber(), body: { chronic: true } }), "chronic");
    expect(await stored(unstable.id)).toEqual({ stable: 0, chronic: 1 });
    expect(await stored(acute.id)).toEqual({ stable: 1, chronic: 0 });
    expect(await audits()).toBe(0);
  });

  it("lets any member doctor record a turn for the worse (not stable, not chronic): it only tightens the rules", async () => {
    const stable = await aCondition(true);
    const res = await api<{ stable: boolean }>("PATCH", stable.path, { token: await prescriber(), body: { stable: false } });
    expect(res.status).toBe(200);
    expect(await stored(stable.id)).toEqual({ stable: 0, chronic: 1 });
  });

  it("lets the diagnosing institution's doctors grade it stable", async () => {
    const unstable = await aCondition(false);
    const colleague = await env.DB.prepare("SELECT id FROM practitioners WHERE institution_id = 'inst-county' AND id <> 'doc-county-cardio-senior' LIMIT 1").first<{ id: string }>();
    const res = await api("PATCH", unstable.path, { token: await tokenFor("doctor", colleague?.id ?? "", "inst-county"), body: { stable: true } });
    expect(res.status).toBe(200);
    expect(await stored(unstable.id)).toEqual({ stable: 1, chronic: 1 });
  });
});
