import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { api, tokenFor } from "../support/api";
import { loadDemoSeed } from "../support/seed";
import { aPatient, anAdmin, expectProblem, fenglinDoctor } from "./follow-up.fixtures";

/** Audit rows written since `mark` (the largest id before the call). */
async function auditSince(mark: number): Promise<number> {
  return (await env.DB.prepare("SELECT count(*) AS n FROM audit_events WHERE id > ?").bind(mark).first<{ n: number }>())?.n ?? 0;
}
async function lastAuditId(): Promise<number> {
  return (await env.DB.prepare("SELECT coalesce(max(id), 0) AS id FROM audit_events").first<{ id: number }>())?.id ?? 0;
}

describe("follow-up errors", () => {
  beforeAll(loadDemoSeed);

  it("answers 404 for an unknown patient's overview, and writes no audit row", async () => {
    const mark = await lastAuditId();
    expectProblem(await api("GET", "/patients/pat-nobody/overview", { token: await fenglinDoctor() }), 404, "not-found");
    expectProblem(await api("GET", "/patients/pat-nobody/overview", { token: await anAdmin() }), 404, "not-found");
    expect(await auditSince(mark)).toBe(0);
  });

  it("rejects a malformed patient id with 400", async () => {
    expectProblem(await api("GET", `/patients/${encodeURIComponent("bad id!")}/overview`, { token: await fenglinDoctor() }), 400, "validation-failed");
  });

  it("rejects withinDays outside 1..60, a bad limit and a forged cursor with 400, writing nothing", async () => {
    const token = await fenglinDoctor();
    const mark = await lastAuditId();
    for (const q of ["withinDays=0", "withinDays=61", "withinDays=abc", "withinDays=1.5", "limit=0", "limit=101"]) {
      const p = expectProblem(await api("GET", `/follow-up/due?${q}`, { token }), 400, "validation-failed");
      expect(p.issues?.length, q).toBeGreaterThan(0);
    }
    for (const cursor of ["bm9wZQ", btoa(JSON.stringify({ d: "tomorrow", p: "x" })), btoa(JSON.stringify({ n: "a", i: "b" }))]) {
      expectProblem(await api("GET", `/follow-up/due?cursor=${encodeURIComponent(cursor)}`, { token }), 400, "invalid-cursor");
    }
    expect(await auditSince(mark)).toBe(0);
  });

  it("answers 422 on familyDoctorId for a practitioner who does not exist, and changes nothing", async () => {
    const id = await aPatient({ familyDoctorId: "doc-fenglin-village" });
    const mark = await lastAuditId();
    const p = expectProblem(await api("PATCH", `/patients/${id}`, { token: await fenglinDoctor(), body: { familyDoctorId: "doc-nobody" } }), 422, "unprocessable");
    expect(p.issues?.map((i) => i.path)).toEqual(["familyDoctorId"]);
    // a pharmacist is no practitioner either
    expectProblem(await api("PATCH", `/patients/${id}`, { token: await fenglinDoctor(), body: { familyDoctorId: "ph-cloud-1" } }), 422, "unprocessable");
    // nor is a malformed id
    expectProblem(await api("PATCH", `/patients/${id}`, { token: await fenglinDoctor(), body: { familyDoctorId: "" } }), 400, "validation-failed");
    expectProblem(await api("PATCH", `/patients/${id}`, { token: await fenglinDoctor(), body: {} }), 400, "validation-failed");
    expectProblem(await api("PATCH", `/patients/${id}`, { token: await fenglinDoctor(), body: { familyDoctorId: "doc-fenglin-village", name: "改名" } }), 400, "validation-failed");
    const row = await env.DB.prepare("SELECT family_doctor_id FROM patients WHERE id = ?").bind(id).first();
    expect(row).toEqual({ family_doctor_id: "doc-fenglin-village" });
    expect(await auditSince(mark)).toBe(0);
  });

  it("answers 404 when patching the family doctor of an unknown patient", async () => {
    expectProblem(await api("PATCH", "/patients/pat-nobody", { token: await fenglinDoctor(), body: { familyDoctorId: "doc-fenglin-village" } }), 404, "not-found");
  });

  it("never answers 500 on a patient search with odd input", async () => {
    const token = await tokenFor("doctor", "doc-fenglin-village", "inst-fenglin");
    for (const q of ["%", "_", "'", "\\", "张'; DROP TABLE patients; --", "１３８０７３１", "Ｚｇｌ", "\u{10FFFF}", "a".repeat(64)]) {
      const res = await api("GET", `/patients?q=${encodeURIComponent(q)}`, { token });
      expect(res.status, q).toBe(200);
    }
    expectProblem(await api("GET", `/patients?q=${"a".repeat(65)}`, { token }), 400, "validation-failed");
  });
});
