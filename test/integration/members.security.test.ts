import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Condition, Institution, PatientSummary, Practitioner } from "../../worker/members/members.schemas";
import { type ApiResult, api, asAdmin, asDoctor, asPharmacist, tokenFor } from "../support/api";

let serial = 0;
const uid = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${(++serial).toString(36)}${Math.random().toString(36).slice(2, 6)}`;

interface AuditRow {
  id: number;
  action: string;
  actor_id: string;
  actor_role: string;
  actor_org: string;
  entity_type: string;
  entity_id: string;
  request_id: string;
}

const auditCount = async () => (await env.DB.prepare("SELECT count(*) AS n FROM audit_events").first<{ n: number }>())?.n ?? 0;

/** The one audit row a request wrote, found by its request id. */
async function auditOfRequest(res: ApiResult) {
  const rows = await env.DB.prepare("SELECT * FROM audit_events WHERE request_id = ?").bind(res.headers.get("x-request-id")).all<AuditRow>();
  expect(rows.results).toHaveLength(1);
  return rows.results[0];
}

async function aMemberDoctor() {
  const institution = await api<Institution>("POST", "/institutions", { token: await asAdmin(), body: { id: uid("inst"), name: "测试卫生院", level: "primary", region: "测试乡" } });
  const practitioner = await api<Practitioner>("POST", "/practitioners", {
    token: await asAdmin(),
    body: { id: uid("doc"), name: "测试医生", institutionId: institution.body.id, title: "intermediate", specialties: ["general_practice"] },
  });
  expect(practitioner.status).toBe(201);
  return { institutionId: institution.body.id, practitionerId: practitioner.body.id, token: await tokenFor("doctor", practitioner.body.id, institution.body.id) };
}

async function aPatientWithCondition() {
  const doctor = await aMemberDoctor();
  const patient = await api<PatientSummary>("POST", "/patients", { token: doctor.token, body: { id: uid("pat"), name: "测试患者", gender: "female", birthDate: "1950-01-01" } });
  const condition = await api<Condition>("POST", `/patients/${patient.body.id}/conditions`, {
    token: doctor.token,
    body: { icd10: "I10", name: "高血压", chronic: true, stable: true, diagnosedAt: "2020-01-01", diagnosedBy: doctor.practitionerId },
  });
  expect(condition.status).toBe(201);
  return { doctor, patientId: patient.body.id, conditionId: condition.body.id };
}

/** Every patient-record route, with a valid body, for a patient and condition that exist. */
function recordRoutes(patientId: string, conditionId: string, practitionerId: string): [string, string, unknown][] {
  return [
    ["POST", "/patients", { id: uid("pat"), name: "甲", gender: "male", birthDate: "1970-01-01" }],
    ["GET", "/patients?q=测试", undefined],
    ["GET", `/patients/${patientId}`, undefined],
    ["PATCH", `/patients/${patientId}`, { phone: "13912345678" }],
    ["POST", `/patients/${patientId}/conditions`, { icd10: "E11", name: "糖尿病", chronic: true, stable: true, diagnosedAt: "2021-01-01", diagnosedBy: practitionerId }],
    ["PATCH", `/patients/${patientId}/conditions/${conditionId}`, { stable: false }],
    ["POST", `/patients/${patientId}/allergies`, { substance: "青霉素" }],
    ["POST", `/patients/${patientId}/events`, { type: "admission", at: "2026-01-01" }],
  ];
}

describe("members security", () => {
  it("needs a token for every member, patient and specialty route (401)", async () => {
    for (const [method, path] of [
      ["POST", "/institutions"],
      ["GET", "/institutions"],
      ["GET", "/institutions/inst-county"],
      ["POST", "/practitioners"],
      ["GET", "/practitioners?institutionId=inst-county"],
      ["GET", "/practitioners/doc-county-cardio-senior"],
      ["PATCH", "/practitioners/doc-county-cardio-senior"],
      ["POST", "/patients"],
      ["GET", "/patients?q=pat"],
      ["GET", "/patients/pat-001"],
      ["PATCH", "/patients/pat-001"],
      ["POST", "/patients/pat-001/conditions"],
      ["PATCH", "/patients/pat-001/conditions/pc-001-htn"],
      ["POST", "/patients/pat-001/allergies"],
      ["POST", "/patients/pat-001/events"],
      ["GET", "/specialty-relations"],
      ["GET", "/specialty-relations/I10"],
      ["PUT", "/specialty-relations/I10"],
    ] as const) {
      const res = await api(method, path, { body: method === "GET" ? undefined : {} });
      expect(res.status, `${method} ${path}`).toBe(401);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
    const forged = await api("GET", "/patients/pat-001", { token: `${await tokenFor("doctor")}x` });
    expect(forged.status).toBe(401);
  });

  it("keeps pharmacists out of patient records (403) and writes nothing, not even an audit row", async () => {
    const { patientId, conditionId, doctor } = await aPatientWithCondition();
    const before = await auditCount();
    for (const [method, path, body] of recordRoutes(patientId, conditionId, doctor.practitionerId)) {
      const res = await api(method, path, { token: await asPharmacist(), body });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect((res.body as { code: string }).code).toBe("forbidden");
    }
    expect(await auditCount()).toBe(before);
  });

  it("keeps doctors and pharmacists off admin writes (403)", async () => {
    const { practitionerId } = await aMemberDoctor();
    const before = await auditCount();
    for (const token of [await asDoctor(), await asPharmacist()]) {
      const writes: [string, string, unknown][] = [
        ["POST", "/institutions", { id: uid("inst"), name: "冒名", level: "tertiary", region: "x" }],
        ["POST", "/practitioners", { id: uid("doc"), name: "冒名", institutionId: "inst-county", title: "senior", specialties: ["cardiology"] }],
        ["PATCH", `/practitioners/${practitionerId}`, { title: "senior" }],
        ["PUT", "/specialty-relations/I10", { specialties: ["dermatology"] }],
      ];
      for (const [method, path, body] of writes) {
        const res = await api(method, path, { token, body });
        expect(res.status, `${method} ${path}`).toBe(403);
      }
    }
    expect(await auditCount()).toBe(before);
    expect((await api<Practitioner>("GET", `/practitioners/${practitionerId}`, { token: await asAdmin() })).body.title).toBe("intermediate");
  });

  it("lets every role read institutions, practitioners and related specialties", async () => {
    const { institutionId, practitionerId } = await aMemberDoctor();
    for (const token of [await asDoctor(), await asPharmacist(), await asAdmin()]) {
      expect((await api("GET", "/institutions", { token })).status).toBe(200);
      expect((await api("GET", `/institutions/${institutionId}`, { token })).status).toBe(200);
      expect((await api("GET", `/practitioners?institutionId=${institutionId}`, { token })).status).toBe(200);
      expect((await api("GET", `/practitioners/${practitionerId}`, { token })).status).toBe(200);
      expect((await api("GET", "/specialty-relations", { token })).status).toBe(200);
    }
  });

  it("refuses a doctor who is not a registered practitioner of the institution in the token, without revealing whether a patient exists", async () => {
    const { patientId, conditionId, doctor } = await aPatientWithCondition();
    const strangers = [
      await tokenFor("doctor", uid("ghost"), doctor.institutionId), // unknown practitioner
      await tokenFor("doctor", doctor.practitionerId, "inst-elsewhere"), // real practitioner, wrong institution
    ];
    const before = await auditCount();
    for (const token of strangers) {
      for (const [method, path, body] of recordRoutes(patientId, conditionId, doctor.practitionerId)) {
        const res = await api(method, path, { token, body });
        expect(res.status, `${method} ${path}`).toBe(403);
      }
      expect((await api("GET", `/patients/${uid("no-such-pat")}`, { token })).status).toBe(403);
    }
    expect(await auditCount()).toBe(before);
  });

  it("audits every write with the actor, the entity and the request id", async () => {
    const admin = await asAdmin();
    const { patientId, conditionId, doctor } = await aPatientWithCondition();
    const institutionId = uid("inst");
    const practitionerId = uid("doc");
    const prefix = `X${String(Math.floor(Math.random() * 100)).padStart(2, "0")}.${Math.random().toString(36).slice(2, 6).toUpperCase()}`;
    const cases: { token: string; method: string; path: string; body: unknown; action: string; entity: [string, string] }[] = [
      { token: admin, method: "POST", path: "/institutions", body: { id: institutionId, name: "新院", level: "village", region: "x" }, action: "institution.create", entity: ["institution", institutionId] },
      {
        token: admin,
        method: "POST",
        path: "/practitioners",
        body: { id: practitionerId, name: "新医生", institutionId, title: "junior", specialties: ["other"] },
        action: "practitioner.create",
        entity: ["practitioner", practitionerId],
      },
      { token: admin, method: "PATCH", path: `/practitioners/${practitionerId}`, body: { title: "senior" }, action: "practitioner.update", entity: ["practitioner", practitionerId] },
      { token: admin, method: "PUT", path: `/specialty-relations/${prefix}`, body: { specialties: ["ent"] }, action: "specialty_relation.replace", entity: ["specialty_relation", prefix] },
      {
        token: doctor.token,
        method: "POST",
        path: `/patients/${patientId}/conditions`,
        body: { icd10: "E11", name: "糖尿病", chronic: true, stable: false, diagnosedAt: "2022-02-02", diagnosedBy: doctor.practitionerId },
        action: "patient.condition.add",
        entity: ["patient", patientId],
      },
      { token: doctor.token, method: "PATCH", path: `/patients/${patientId}/conditions/${conditionId}`, body: { stable: false }, action: "patient.condition.update", entity: ["patient", patientId] },
      { token: doctor.token, method: "POST", path: `/patients/${patientId}/allergies`, body: { substance: "阿司匹林" }, action: "patient.allergy.add", entity: ["patient", patientId] },
      { token: doctor.token, method: "PATCH", path: `/patients/${patientId}`, body: { phone: "13912345678" }, action: "patient.phone.update", entity: ["patient", patientId] },
      { token: doctor.token, method: "POST", path: `/patients/${patientId}/events`, body: { type: "new_condition", at: "2026-02-02" }, action: "patient.event.add", entity: ["patient", patientId] },
    ];
    const newPatient = uid("pat");
    cases.push({ token: doctor.token, method: "POST", path: "/patients", body: { id: newPatient, name: "新患者", gender: "male", birthDate: "1990-09-09" }, action: "patient.create", entity: ["patient", newPatient] });

    for (const c of cases) {
      const res = await api(c.method, c.path, { token: c.token, body: c.body });
      expect(res.status, `${c.method} ${c.path}`).toBeLessThan(300);
      const row = await auditOfRequest(res);
      const actor = c.token === admin ? ["admin-county", "admin", "inst-county"] : [doctor.practitionerId, "doctor", doctor.institutionId];
      expect([row?.action, row?.entity_type, row?.entity_id]).toEqual([c.action, ...c.entity]);
      expect([row?.actor_id, row?.actor_role, row?.actor_org]).toEqual(actor);
    }
  });

  it("audits every read of a patient record and every search, one row per request", async () => {
    const { patientId, doctor } = await aPatientWithCondition();
    for (const token of [doctor.token, await asAdmin(), doctor.token]) {
      const res = await api("GET", `/patients/${patientId}`, { token });
      expect(res.status).toBe(200);
      const row = await auditOfRequest(res);
      expect(row).toMatchObject({ action: "patient.read", entity_type: "patient", entity_id: patientId });
    }
    const reads = await env.DB.prepare("SELECT actor_id FROM audit_events WHERE entity_type = 'patient' AND entity_id = ? AND action = 'patient.read' ORDER BY id")
      .bind(patientId)
      .all<{ actor_id: string }>();
    expect(reads.results.map((r) => r.actor_id)).toEqual([doctor.practitionerId, "admin-county", doctor.practitionerId]);

    const search = await api("GET", `/patients?q=${patientId}`, { token: doctor.token });
    expect(search.status).toBe(200);
    expect(await auditOfRequest(search)).toMatchObject({ action: "patient.search", actor_id: doctor.practitionerId, entity_type: "patient_search" });
  });

  it("declares the allowed roles of every member operation in the OpenAPI document", async () => {
    const res = await api<{
      paths: Record<string, Record<string, { "x-roles"?: string[] }>>;
      components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
    }>("GET", "/openapi.json");
    const roles = (path: string, method: string) => res.body.paths[path]?.[method]?.["x-roles"];
    expect(roles("/api/v1/institutions", "post")).toEqual(["admin"]);
    expect(roles("/api/v1/institutions", "get")).toEqual(["doctor", "pharmacist", "admin"]);
    expect(roles("/api/v1/practitioners/{id}", "patch")).toEqual(["admin"]);
    expect(roles("/api/v1/patients/{id}", "get")).toEqual(["doctor", "admin"]);
    expect(roles("/api/v1/patients/{id}", "patch")).toEqual(["doctor", "admin"]);
    expect(roles("/api/v1/patients/{id}/conditions/{conditionId}", "patch")).toEqual(["doctor", "admin"]);
    expect(roles("/api/v1/specialty-relations/{icd10Prefix}", "put")).toEqual(["admin"]);
    const schemas = res.body.components.schemas;
    // the record extends the details (the summary and the phone), and only the record carries the clinical lists;
    // search results (the summary) carry no phone, only its masked form
    expect(JSON.stringify(schemas.Patient)).toContain("#/components/schemas/PatientDetails");
    expect(JSON.stringify(schemas.PatientDetails)).toContain("#/components/schemas/PatientSummary");
    expect(JSON.stringify(schemas.Patient)).toContain("conditions");
    expect(Object.keys(schemas.PatientSummary?.properties ?? {})).toEqual(["id", "name", "gender", "birthDate", "createdAt", "pinyin", "age", "phoneMasked", "familyDoctorId"]);
  });
});
