import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { api, asAdmin, tokenFor } from "../support/api";
import { loadDemoSeed } from "../support/seed";
import { expectProblem, uid } from "./follow-up.fixtures";

/*
 * Issue 11, review gap: grading a condition stable or chronic opens long prescriptions for
 * it, a judgement of the diagnosing institution's doctors. Re-grading (PATCH) checked that;
 * recording a new condition already graded, naming another institution's practitioner as
 * the diagnostician, did not.
 */

const countyDoctor = () => tokenFor("doctor", "doc-county-cardio-senior", "inst-county");
const countyColleague = () => tokenFor("doctor", "doc-county-im-senior", "inst-county");
const shimenDoctor = () => tokenFor("doctor", "doc-shimen-gp-intermediate", "inst-shimen");

async function aPatient(): Promise<string> {
  const id = uid("pat-grade");
  const res = await api("POST", "/patients", { token: await countyDoctor(), body: { id, name: "分级", gender: "female", birthDate: "1952-06-01" } });
  expect(res.status).toBe(201);
  return id;
}

const condition = (grading: { stable: boolean; chronic: boolean }) => ({ icd10: "I10", name: "高血压", ...grading, diagnosedAt: "2025-02-01", diagnosedBy: "doc-county-cardio-senior" });

async function written(patientId: string) {
  const conditions = await env.DB.prepare("SELECT count(*) AS n FROM patient_conditions WHERE patient_id = ?").bind(patientId).first<{ n: number }>();
  const audit = await env.DB.prepare("SELECT count(*) AS n FROM audit_events WHERE entity_id = ? AND action = 'patient.condition.add'").bind(patientId).first<{ n: number }>();
  return { conditions: conditions?.n, audit: audit?.n };
}

describe("recording a condition already graded stable or chronic", () => {
  beforeAll(loadDemoSeed);

  it("is refused (403 problem+json, nothing written) to another institution's doctor and to admins naming a county diagnostician", async () => {
    const patientId = await aPatient();
    for (const token of [await shimenDoctor(), await asAdmin()]) {
      for (const grading of [{ stable: true, chronic: true }, { stable: true, chronic: false }, { stable: false, chronic: true }]) {
        const res = await api("POST", `/patients/${patientId}/conditions`, { token, body: condition(grading) });
        const problem = expectProblem(res, 403, "forbidden");
        expect(problem.detail).toContain("diagnosed");
      }
    }
    expect(await written(patientId)).toEqual({ conditions: 0, audit: 0 });
  });

  it("is allowed to any doctor of the diagnosing institution, and ungraded to any member doctor", async () => {
    const patientId = await aPatient();
    const graded = await api("POST", `/patients/${patientId}/conditions`, { token: await countyColleague(), body: condition({ stable: true, chronic: true }) });
    expect(graded.status).toBe(201);
    const ungraded = await api("POST", `/patients/${patientId}/conditions`, { token: await shimenDoctor(), body: condition({ stable: false, chronic: false }) });
    expect(ungraded.status).toBe(201);
    expect(await written(patientId)).toEqual({ conditions: 2, audit: 2 });
  });
});
