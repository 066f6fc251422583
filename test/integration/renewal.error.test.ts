import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { AMLODIPINE, aNormalPrescription } from "../builders/prescriptions";
import { api } from "../support/api";
import { loadDemoSeed } from "../support/seed";
import { freshPatient, sign } from "./desk.fixtures";
import { auditRows, shimenDoctor } from "./follow-up-rx.fixtures";

describe("renewal: nothing to renew", () => {
  beforeAll(loadDemoSeed);

  it("a patient without a long prescription is a 404 problem (a normal prescription is not renewed)", async () => {
    const patientId = await freshPatient([{ icd10: "I10", name: "原发性高血压" }]);
    await sign(aNormalPrescription(patientId, AMLODIPINE, 7));
    const res = await api<{ code: string; detail: string }>("GET", `/patients/${patientId}/renewal`, { token: await shimenDoctor() });
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(res.body).toMatchObject({ code: "not-found", detail: `patient ${patientId} has no signed or completed long prescription to renew` });
  });

  it("a cancelled or replaced long prescription is not renewed", async () => {
    const patientId = await freshPatient([{ icd10: "I10", name: "原发性高血压" }]);
    await env.DB.prepare(
      `INSERT INTO prescriptions (id, patient_id, prescriber_id, institution_id, kind, written_at, days, long_term_first_issue, status, content, content_hash, signature, signature_key_id, formulary_version, findings, created_at, version)
       VALUES (?, ?, 'doc-shimen-gp-intermediate', 'inst-shimen', 'long_term', '2026-10-01T02:00:00.000Z', 56, 1, 'cancelled', '{}', 'x', 'x', 'fixture', 1, '[]', '2026-10-01T02:00:00.000Z', 2)`,
    )
      .bind(`rx_cancelled_${patientId}`, patientId)
      .run();
    expect((await api("GET", `/patients/${patientId}/renewal`, { token: await shimenDoctor() })).status).toBe(404);
  });

  it("a long prescription whose signed content cannot be read is a 422 problem, not a 500", async () => {
    const patientId = await freshPatient([{ icd10: "I10", name: "原发性高血压" }]);
    await env.DB.prepare(
      `INSERT INTO prescriptions (id, patient_id, prescriber_id, institution_id, kind, written_at, days, long_term_first_issue, status, content, content_hash, signature, signature_key_id, formulary_version, findings, created_at, version)
       VALUES (?, ?, 'doc-shimen-gp-intermediate', 'inst-shimen', 'long_term', '2026-10-01T02:00:00.000Z', 56, 1, 'completed', '{}', 'x', 'x', 'fixture', 1, '[]', '2026-10-01T02:00:00.000Z', 1)`,
    )
      .bind(`rx_unreadable_${patientId}`, patientId)
      .run();
    const res = await api<{ code: string }>("GET", `/patients/${patientId}/renewal`, { token: await shimenDoctor() });
    expect([res.status, res.body.code]).toEqual([422, "unprocessable"]);
  });

  it("an unknown patient is a 404 problem, and no audit row claims a read", async () => {
    const res = await api<{ code: string }>("GET", "/patients/pat-nobody/renewal", { token: await shimenDoctor() });
    expect([res.status, res.body.code]).toEqual([404, "not-found"]);
    expect(await auditRows("patient", "pat-nobody")).toEqual([]);
  });
});
