import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { canonicalJson } from "../../worker/lib/canonical-json";
import type { Problem } from "../../worker/errors/problem";
import type { Prescription } from "../../worker/prescriptions/prescriptions.schemas";
import { sha256Hex } from "../../worker/lib/encoding";
import { AMLODIPINE, aNormalPrescription } from "../builders/prescriptions";
import { api, asAdmin, tokenFor } from "../support/api";
import { loadDemoSeed } from "../support/seed";

const doctor = () => tokenFor("doctor", "doc-chengguan-gp-intermediate", "inst-chengguan");
const colleague = () => tokenFor("doctor", "doc-chengguan-gp-junior", "inst-chengguan");
const otherInstitution = () => tokenFor("doctor", "doc-taoyuan-gp-intermediate", "inst-taoyuan");
let patientSerial = 0;

/** A fresh patient per test, so active supply from one test never leaks into another. */
async function freshPatient(): Promise<string> {
  patientSerial++;
  const id = `pat-sign-${patientSerial}-${crypto.randomUUID().slice(0, 6)}`;
  await env.DB.prepare("INSERT INTO patients (id, name, gender, birth_date, created_at) VALUES (?, '测试', 'female', '1960-01-01', '2026-01-01')").bind(id).run();
  return id;
}

async function sign(draft: unknown, key: string | null = crypto.randomUUID(), token?: string) {
  return api<Prescription & Partial<Pick<Problem, "code" | "detail" | "issues">>>("POST", "/prescriptions", {
    token: token ?? (await doctor()),
    headers: key === null ? {} : { "idempotency-key": key },
    body: draft,
  });
}

const countRx = async (patientId: string) => (await env.DB.prepare("SELECT count(*) AS n FROM prescriptions WHERE patient_id = ?").bind(patientId).first<{ n: number }>())?.n ?? 0;

describe("signing", () => {
  beforeAll(loadDemoSeed);

  it("stores the frozen content with its hash, a verifiable signature and the formulary version, in one batch with its audit row", async () => {
    const patientId = await freshPatient();
    const res = await sign(aNormalPrescription(patientId));
    expect(res.status).toBe(201);
    const rx = res.body;
    expect(rx).toMatchObject({ status: "signed", patientId, institutionId: "inst-chengguan", prescriberId: "doc-chengguan-gp-intermediate", kind: "normal", days: 7 });
    expect(rx.contentHash).toBe(await sha256Hex(canonicalJson(rx.content)));
    expect(rx.formularyVersion).toBeGreaterThan(0);

    const got = await api<Prescription>("GET", `/prescriptions/${rx.id}`, { token: await doctor() });
    expect(got.status).toBe(200);
    expect(got.body.verification).toEqual({ contentHashValid: true, signatureValid: true, keyId: rx.signatureKeyId });

    const audit = await env.DB.prepare("SELECT action FROM audit_events WHERE entity_id = ?").bind(rx.id).all<{ action: string }>();
    expect(audit.results.map((r) => r.action)).toEqual(["prescription.sign"]);
  });

  it("detects tampering: a changed content or signature no longer verifies", async () => {
    const rx = (await sign(aNormalPrescription(await freshPatient()))).body;
    await env.DB.prepare("UPDATE prescriptions SET content = replace(content, '\"days\":7', '\"days\":70') WHERE id = ?").bind(rx.id).run();
    const got = await api<Prescription>("GET", `/prescriptions/${rx.id}`, { token: await asAdmin() });
    expect(got.body.verification).toMatchObject({ contentHashValid: false, signatureValid: true });
    await env.DB.prepare("UPDATE prescriptions SET signature = 'AAAA' WHERE id = ?").bind(rx.id).run();
    const again = await api<Prescription>("GET", `/prescriptions/${rx.id}`, { token: await asAdmin() });
    expect(again.body.verification?.signatureValid).toBe(false);
  });

  it("replays the same response for the same key and body, refuses another body (422) and a missing key (400)", async () => {
    const patientId = await freshPatient();
    const key = crypto.randomUUID();
    const first = await sign(aNormalPrescription(patientId), key);
    const again = await sign(aNormalPrescription(patientId), key);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await countRx(patientId)).toBe(1);

    const other = await sign(aNormalPrescription(patientId, AMLODIPINE, 5), key);
    expect(other.status).toBe(422);
    expect(other.body.code).toBe("idempotency-key-reused");
    const missing = await sign(aNormalPrescription(patientId), null);
    expect(missing.status).toBe(400);
    expect(missing.body.code).toBe("idempotency-key-required");
    expect(await countRx(patientId)).toBe(1);
  });

  it("lets exactly one of concurrent duplicates create the prescription", async () => {
    const patientId = await freshPatient();
    const key = crypto.randomUUID();
    const results = await Promise.all([1, 2, 3].map(() => sign(aNormalPrescription(patientId), key)));
    const statuses = results.map((r) => r.status);
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    expect(statuses.filter((s) => s === 201).length).toBeGreaterThanOrEqual(1);
    expect(new Set(results.filter((r) => r.status === 201).map((r) => r.body.id)).size).toBe(1);
    expect(await countRx(patientId)).toBe(1);
  });

  it("answers rule errors with 422, the findings in issues, stores nothing, and replays that 422", async () => {
    const patientId = await freshPatient();
    const draft = { ...aNormalPrescription(patientId, AMLODIPINE, 10), diagnoses: [] };
    const key = crypto.randomUUID();
    const res = await sign(draft, key);
    expect(res.status).toBe(422);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(res.body.code).toBe("unprocessable");
    expect(res.body.issues?.length).toBeGreaterThanOrEqual(2);
    expect(res.body.detail).toContain("rx-diagnosis-required");
    expect(res.body.detail).toContain("rx-days-reason");
    expect(await countRx(patientId)).toBe(0);
    const replay = await sign(draft, key);
    expect(replay.status).toBe(422);
    expect(replay.body).toEqual(res.body);
  });

  it("refuses to sign a draft dated another day", async () => {
    const res = await sign({ ...aNormalPrescription(await freshPatient()), writtenAt: "2020-01-01" });
    expect(res.status).toBe(422);
  });
});

describe("visibility and cancellation", () => {
  beforeAll(loadDemoSeed);

  it("hides a prescription from doctors of other institutions (404) and shows it to admins", async () => {
    const rx = (await sign(aNormalPrescription(await freshPatient()))).body;
    expect((await api("GET", `/prescriptions/${rx.id}`, { token: await otherInstitution() })).status).toBe(404);
    expect((await api("GET", `/prescriptions/${rx.id}`, { token: await colleague() })).status).toBe(200);
    expect((await api("GET", `/prescriptions/${rx.id}`, { token: await asAdmin() })).status).toBe(200);
    // routed to pharm-cloud (pickup at site-cloud-shimen): its pharmacist sees it, another pharmacy's does not
    expect((await api("GET", `/prescriptions/${rx.id}`, { token: await tokenFor("pharmacist", "ph-cloud-1", "pharm-cloud") })).status).toBe(200);
    expect((await api("GET", `/prescriptions/${rx.id}`, { token: await tokenFor("pharmacist", "ph-renhe-1", "pharm-renhe") })).status).toBe(404);
  });

  it("lets only its own doctor cancel, once, and frees the active supply", async () => {
    const patientId = await freshPatient();
    const rx = (await sign(aNormalPrescription(patientId))).body;
    expect((await api("POST", `/prescriptions/${rx.id}/cancel`, { token: await colleague(), body: { reason: "x" } })).status).toBe(403);
    expect((await api("POST", `/prescriptions/${rx.id}/cancel`, { token: await otherInstitution(), body: { reason: "x" } })).status).toBe(404);
    const cancelled = await api<Prescription>("POST", `/prescriptions/${rx.id}/cancel`, { token: await doctor(), body: { reason: "患者改用其他方案" } });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: "cancelled", cancelReason: "患者改用其他方案" });
    expect((await api("POST", `/prescriptions/${rx.id}/cancel`, { token: await doctor(), body: { reason: "again" } })).status).toBe(409);
    // the same drug may be prescribed again now
    const second = await sign(aNormalPrescription(patientId));
    expect(second.status).toBe(201);
  });
});

describe("prescription security", () => {
  it("needs a token (401) and the doctor role (403)", async () => {
    expect((await api("POST", "/prescriptions/validate", { body: {} })).status).toBe(401);
    expect((await api("POST", "/prescriptions", { body: {} })).status).toBe(401);
    for (const token of [await asAdmin(), await tokenFor("pharmacist", "ph-cloud-1", "pharm-cloud")]) {
      expect((await api("POST", "/prescriptions/validate", { token, body: aNormalPrescription("pat-001") })).status).toBe(403);
      expect((await api("POST", "/prescriptions", { token, headers: { "idempotency-key": "k" }, body: aNormalPrescription("pat-001") })).status).toBe(403);
    }
  });

  it("refuses a doctor token whose org is not the practitioner's institution (403) and an unknown patient (404)", async () => {
    await loadDemoSeed();
    const wrongOrg = await tokenFor("doctor", "doc-chengguan-gp-intermediate", "inst-county");
    expect((await api("POST", "/prescriptions/validate", { token: wrongOrg, body: aNormalPrescription("pat-001") })).status).toBe(403);
    expect((await api("POST", "/prescriptions/validate", { token: await doctor(), body: aNormalPrescription("pat-nobody") })).status).toBe(404);
  });

  it("rejects malformed drafts with every issue", async () => {
    const res = await api<Problem>("POST", "/prescriptions/validate", {
      token: await doctor(),
      body: { patientId: "pat-001", kind: "long_term", diagnoses: [{ icd10: "high blood pressure" }], items: [], fulfilment: { mode: "pickup" } },
    });
    expect(res.status).toBe(400);
    expect(res.body.issues?.map((i) => i.path)).toEqual(expect.arrayContaining(["diagnoses.0.icd10", "items", "fulfilment.pickupSiteId"]));
  });
});
