import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Problem } from "../../worker/errors/problem";
import type { Condition, Institution, PatientSummary, Practitioner } from "../../worker/members/members.schemas";
import { api, asAdmin, tokenFor } from "../support/api";

let serial = 0;
const uid = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${(++serial).toString(36)}${Math.random().toString(36).slice(2, 6)}`;

function expectProblem(res: { status: number; headers: Headers; body: unknown }, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  const body = res.body as Problem;
  expect(body).toMatchObject({ status, code });
  expect(body.requestId).toBe(res.headers.get("x-request-id"));
  return body;
}

const pathsOf = (p: Problem) => p.issues?.map((i) => i.path) ?? [];

/** Row counts of every table these routes write, to assert that a refused request changed nothing. */
async function counts() {
  const tables = ["institutions", "practitioners", "patients", "patient_conditions", "patient_allergies", "patient_events", "specialty_conditions", "audit_events"];
  const rows = await env.DB.batch<{ n: number }>(tables.map((t) => env.DB.prepare(`SELECT count(*) AS n FROM ${t}`)));
  return Object.fromEntries(tables.map((t, i) => [t, rows[i]?.results[0]?.n]));
}

async function anInstitution() {
  const res = await api<Institution>("POST", "/institutions", { token: await asAdmin(), body: { id: uid("inst"), name: "测试卫生院", level: "primary", region: "测试乡" } });
  expect(res.status).toBe(201);
  return res.body;
}

async function aMemberDoctor() {
  const institution = await anInstitution();
  const res = await api<Practitioner>("POST", "/practitioners", {
    token: await asAdmin(),
    body: { id: uid("doc"), name: "测试医生", institutionId: institution.id, title: "intermediate", specialties: ["general_practice"] },
  });
  expect(res.status).toBe(201);
  return { practitioner: res.body, token: await tokenFor("doctor", res.body.id, institution.id) };
}

async function aPatient(token: string) {
  const res = await api<PatientSummary>("POST", "/patients", { token, body: { id: uid("pat"), name: "测试患者", gender: "male", birthDate: "1960-06-15" } });
  expect(res.status).toBe(201);
  return res.body;
}

const aCondition = (diagnosedBy: string, overrides: Record<string, unknown> = {}) => ({
  icd10: "I10",
  name: "原发性高血压",
  chronic: true,
  stable: true,
  diagnosedAt: "2020-01-01",
  diagnosedBy,
  ...overrides,
});

describe("institution and practitioner errors", () => {
  it("rejects an invalid institution with every issue and changes nothing", async () => {
    const before = await counts();
    const res = await api("POST", "/institutions", { token: await asAdmin(), body: { id: "bad id!", name: "", level: "county", extra: 1 } });
    const problem = expectProblem(res, 400, "validation-failed");
    expect(pathsOf(problem)).toEqual(expect.arrayContaining(["id", "name", "level", "region"]));
    expect(problem.issues?.some((i) => i.message.toLowerCase().includes("extra") || i.message.toLowerCase().includes("unrecognized"))).toBe(true);
    expect(await counts()).toEqual(before);
  });

  it("refuses a duplicate institution id with 409 and keeps the original", async () => {
    const institution = await anInstitution();
    const before = await counts();
    const res = await api("POST", "/institutions", { token: await asAdmin(), body: { id: institution.id, name: "另一家", level: "tertiary", region: "别处" } });
    expectProblem(res, 409, "already-exists");
    expect(await counts()).toEqual(before);
    expect((await api<Institution>("GET", `/institutions/${institution.id}`, { token: await asAdmin() })).body.name).toBe("测试卫生院");
  });

  it("answers 422 with an issue on institutionId for a practitioner of an unknown institution", async () => {
    const before = await counts();
    const res = await api("POST", "/practitioners", {
      token: await asAdmin(),
      body: { id: uid("doc"), name: "无名", institutionId: uid("no-such-inst"), title: "junior", specialties: ["other"] },
    });
    const problem = expectProblem(res, 422, "unprocessable");
    expect(pathsOf(problem)).toEqual(["institutionId"]);
    expect(await counts()).toEqual(before);
  });

  it("rejects unknown titles and specialties, an empty specialty set, and a duplicate id", async () => {
    const institution = await anInstitution();
    const before = await counts();
    const bad = await api("POST", "/practitioners", {
      token: await asAdmin(),
      body: { id: uid("doc"), name: "甲", institutionId: institution.id, title: "professor", specialties: ["cardiology", "astrology"] },
    });
    expect(pathsOf(expectProblem(bad, 400, "validation-failed"))).toEqual(expect.arrayContaining(["title", "specialties.1"]));
    const empty = await api("POST", "/practitioners", { token: await asAdmin(), body: { id: uid("doc"), name: "乙", institutionId: institution.id, title: "junior", specialties: [] } });
    expect(pathsOf(expectProblem(empty, 400, "validation-failed"))).toEqual(["specialties"]);
    expect(await counts()).toEqual(before);

    const body = { id: uid("doc"), name: "丙", institutionId: institution.id, title: "junior", specialties: ["other"] };
    expect((await api("POST", "/practitioners", { token: await asAdmin(), body })).status).toBe(201);
    const afterFirst = await counts();
    expectProblem(await api("POST", "/practitioners", { token: await asAdmin(), body: { ...body, name: "丁" } }), 409, "already-exists");
    expect(await counts()).toEqual(afterFirst);
  });

  it("refuses empty, unknown-field and invalid practitioner patches, and 404s an unknown practitioner", async () => {
    const { practitioner } = await aMemberDoctor();
    const before = await counts();
    expectProblem(await api("PATCH", `/practitioners/${practitioner.id}`, { token: await asAdmin(), body: {} }), 400, "validation-failed");
    expectProblem(await api("PATCH", `/practitioners/${practitioner.id}`, { token: await asAdmin(), body: { institutionId: "inst-city" } }), 400, "validation-failed");
    const bad = await api("PATCH", `/practitioners/${practitioner.id}`, { token: await asAdmin(), body: { title: "chief", specialties: [] } });
    expect(pathsOf(expectProblem(bad, 400, "validation-failed"))).toEqual(expect.arrayContaining(["title", "specialties"]));
    expectProblem(await api("PATCH", `/practitioners/${uid("nobody")}`, { token: await asAdmin(), body: { title: "senior" } }), 404, "not-found");
    expect(await counts()).toEqual(before);
  });

  it("404s unknown institutions and practitioners, and rejects a forged cursor and an oversized page", async () => {
    expectProblem(await api("GET", `/institutions/${uid("none")}`, { token: await asAdmin() }), 404, "not-found");
    expectProblem(await api("GET", `/practitioners/${uid("none")}`, { token: await asAdmin() }), 404, "not-found");
    expectProblem(await api("GET", "/institutions?cursor=bm9wZQ", { token: await asAdmin() }), 400, "invalid-cursor");
    expectProblem(await api("GET", "/practitioners?limit=101", { token: await asAdmin() }), 400, "validation-failed");
    expectProblem(await api("GET", "/institutions?level=county", { token: await asAdmin() }), 400, "validation-failed");
  });

  it("answers malformed JSON with a problem, not a 500", async () => {
    const res = await api("POST", "/institutions", { token: await asAdmin(), rawBody: "{nope", headers: { "content-type": "application/json" } });
    expectProblem(res, 400, "bad-request");
  });
});

describe("patient errors", () => {
  it("rejects a birth date in the future, an impossible date and an unknown gender, changing nothing", async () => {
    const { token } = await aMemberDoctor();
    const before = await counts();
    const future = await api("POST", "/patients", { token, body: { id: uid("pat"), name: "未来", gender: "male", birthDate: "2999-01-01" } });
    expect(pathsOf(expectProblem(future, 400, "validation-failed"))).toEqual(["birthDate"]);
    const bad = await api("POST", "/patients", { token, body: { id: uid("pat"), name: "甲", gender: "other", birthDate: "2001-02-30" } });
    expect(pathsOf(expectProblem(bad, 400, "validation-failed"))).toEqual(expect.arrayContaining(["gender", "birthDate"]));
    expect(await counts()).toEqual(before);
  });

  it("refuses a duplicate patient id with 409", async () => {
    const { token } = await aMemberDoctor();
    const patient = await aPatient(token);
    const before = await counts();
    expectProblem(await api("POST", "/patients", { token, body: { id: patient.id, name: "重复", gender: "female", birthDate: "1970-01-01" } }), 409, "already-exists");
    expect(await counts()).toEqual(before);
  });

  it("404s an unknown patient on every record route, and an unknown read leaves no audit row", async () => {
    const { token, practitioner } = await aMemberDoctor();
    const missing = uid("no-such-pat");
    const before = await counts();
    expectProblem(await api("GET", `/patients/${missing}`, { token }), 404, "not-found");
    expectProblem(await api("GET", `/patients/${missing}`, { token: await asAdmin() }), 404, "not-found");
    expectProblem(await api("POST", `/patients/${missing}/conditions`, { token, body: aCondition(practitioner.id) }), 404, "not-found");
    expectProblem(await api("PATCH", `/patients/${missing}/conditions/pc_x`, { token, body: { stable: false } }), 404, "not-found");
    expectProblem(await api("POST", `/patients/${missing}/allergies`, { token, body: { substance: "青霉素" } }), 404, "not-found");
    expectProblem(await api("POST", `/patients/${missing}/events`, { token, body: { type: "admission", at: "2026-01-01" } }), 404, "not-found");
    expectProblem(await api("PATCH", `/patients/${missing}`, { token, body: { phone: "13812345678" } }), 404, "not-found");
    expect(await counts()).toEqual(before);
  });

  it("rejects phones that are neither a mainland mobile nor a landline with area code, and empty or unknown-field patches, changing nothing", async () => {
    const { token } = await aMemberDoctor();
    const patient = await aPatient(token);
    const before = await counts();
    for (const phone of ["12345678901", "1381234567", "138123456789", "+8613812345678", "138-1234-5678", "8452660", "", 13812345678]) {
      const created = await api("POST", "/patients", { token, body: { id: uid("pat"), name: "甲", gender: "male", birthDate: "1970-01-01", phone } });
      expect(pathsOf(expectProblem(created, 400, "validation-failed")), String(phone)).toEqual(["phone"]);
      const patched = await api("PATCH", `/patients/${patient.id}`, { token, body: { phone } });
      expect(pathsOf(expectProblem(patched, 400, "validation-failed")), String(phone)).toEqual(["phone"]);
    }
    expectProblem(await api("PATCH", `/patients/${patient.id}`, { token, body: {} }), 400, "validation-failed");
    expectProblem(await api("PATCH", `/patients/${patient.id}`, { token, body: { phone: "13812345678", name: "改名" } }), 400, "validation-failed");
    expect(await counts()).toEqual(before);
  });

  it("answers 422 with an issue on diagnosedBy when the diagnosing practitioner is unknown", async () => {
    const { token } = await aMemberDoctor();
    const patient = await aPatient(token);
    const before = await counts();
    const res = await api("POST", `/patients/${patient.id}/conditions`, { token, body: aCondition(uid("ghost-doc")) });
    expect(pathsOf(expectProblem(res, 422, "unprocessable"))).toEqual(["diagnosedBy"]);
    expect(await counts()).toEqual(before);
  });

  it("rejects invalid conditions with their issue paths, changing nothing", async () => {
    const { token, practitioner } = await aMemberDoctor();
    const patient = await aPatient(token);
    const before = await counts();
    const shape = await api("POST", `/patients/${patient.id}/conditions`, { token, body: aCondition(practitioner.id, { icd10: "hypertension", chronic: "yes", name: "" }) });
    expect(pathsOf(expectProblem(shape, 400, "validation-failed"))).toEqual(expect.arrayContaining(["icd10", "chronic", "name"]));
    const missing = await api("POST", `/patients/${patient.id}/conditions`, { token, body: { icd10: "I10" } });
    expect(pathsOf(expectProblem(missing, 400, "validation-failed"))).toEqual(expect.arrayContaining(["name", "chronic", "stable", "diagnosedAt", "diagnosedBy"]));
    const future = await api("POST", `/patients/${patient.id}/conditions`, { token, body: aCondition(practitioner.id, { diagnosedAt: "2999-12-31" }) });
    expect(pathsOf(expectProblem(future, 400, "validation-failed"))).toEqual(["diagnosedAt"]);
    const beforeBirth = await api("POST", `/patients/${patient.id}/conditions`, { token, body: aCondition(practitioner.id, { diagnosedAt: "1950-01-01" }) });
    expect(pathsOf(expectProblem(beforeBirth, 400, "validation-failed"))).toEqual(["diagnosedAt"]);
    expect(await counts()).toEqual(before);
  });

  it("404s a condition of another patient and refuses empty or unknown-field patches", async () => {
    const { token, practitioner } = await aMemberDoctor();
    const owner = await aPatient(token);
    const other = await aPatient(token);
    const condition = await api<Condition>("POST", `/patients/${owner.id}/conditions`, { token, body: aCondition(practitioner.id) });
    expect(condition.status).toBe(201);
    const before = await counts();
    expectProblem(await api("PATCH", `/patients/${other.id}/conditions/${condition.body.id}`, { token, body: { stable: false } }), 404, "not-found");
    expectProblem(await api("PATCH", `/patients/${owner.id}/conditions/pc_nope`, { token, body: { stable: false } }), 404, "not-found");
    expectProblem(await api("PATCH", `/patients/${owner.id}/conditions/${condition.body.id}`, { token, body: {} }), 400, "validation-failed");
    const field = await api("PATCH", `/patients/${owner.id}/conditions/${condition.body.id}`, { token, body: { icd10: "E11" } });
    expectProblem(field, 400, "validation-failed");
    expect(await counts()).toEqual(before);
    expect((await api<{ conditions: Condition[] }>("GET", `/patients/${owner.id}`, { token })).body.conditions[0]?.stable).toBe(true);
  });

  it("rejects invalid allergies and events with their issue paths, changing nothing", async () => {
    const { token } = await aMemberDoctor();
    const patient = await aPatient(token);
    const before = await counts();
    const allergy = await api("POST", `/patients/${patient.id}/allergies`, { token, body: { substance: "", atcPrefix: "penicillin" } });
    expect(pathsOf(expectProblem(allergy, 400, "validation-failed"))).toEqual(expect.arrayContaining(["substance", "atcPrefix"]));
    const event = await api("POST", `/patients/${patient.id}/events`, { token, body: { type: "discharge", at: "yesterday" } });
    expect(pathsOf(expectProblem(event, 400, "validation-failed"))).toEqual(expect.arrayContaining(["type", "at"]));
    const noZone = await api("POST", `/patients/${patient.id}/events`, { token, body: { type: "admission", at: "2026-01-01T10:00:00" } });
    expect(pathsOf(expectProblem(noZone, 400, "validation-failed"))).toEqual(["at"]);
    for (const at of ["2999-01-01", "2999-01-01T00:00:00Z"]) {
      const future = await api("POST", `/patients/${patient.id}/events`, { token, body: { type: "admission", at } });
      expect(pathsOf(expectProblem(future, 400, "validation-failed"))).toEqual(["at"]);
    }
    expect(await counts()).toEqual(before);
  });

  it("needs a search query, and rejects a forged cursor", async () => {
    const { token } = await aMemberDoctor();
    const before = await counts();
    expect(pathsOf(expectProblem(await api("GET", "/patients", { token }), 400, "validation-failed"))).toEqual(["query.q"]);
    expectProblem(await api("GET", "/patients?q=%20", { token }), 400, "validation-failed");
    expectProblem(await api("GET", "/patients?q=a&cursor=bm9wZQ", { token }), 400, "invalid-cursor");
    expect(await counts()).toEqual(before);
  });
});

describe("related specialty errors", () => {
  it("rejects an invalid prefix or specialty and changes nothing", async () => {
    const before = await counts();
    expectProblem(await api("PUT", "/specialty-relations/hypertension", { token: await asAdmin(), body: { specialties: ["cardiology"] } }), 400, "validation-failed");
    const bad = await api("PUT", "/specialty-relations/I10", { token: await asAdmin(), body: { specialties: ["cardiology", "magic"] } });
    expect(pathsOf(expectProblem(bad, 400, "validation-failed"))).toEqual(["specialties.1"]);
    expectProblem(await api("PUT", "/specialty-relations/I10", { token: await asAdmin(), body: {} }), 400, "validation-failed");
    expect(await counts()).toEqual(before);
  });

  it("404s a prefix with no related specialties", async () => {
    expectProblem(await api("GET", "/specialty-relations/Y98.ZZZZ", { token: await asAdmin() }), 404, "not-found");
  });
});
