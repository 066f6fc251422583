import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../../worker/db/index";
import type { Problem } from "../../worker/errors/problem";
import { chinaDate, addDays } from "../../worker/lib/clock";
import type { Patient, PatientDetails } from "../../worker/members/members.schemas";
import type { Draft } from "../../worker/prescriptions/prescriptions.schemas";
import { validatePrescription } from "../../worker/prescriptions/prescriptions.service";
import type { Finding } from "../../worker/rules/types";
import { METFORMIN } from "../builders/prescriptions";
import { api, asPharmacist, tokenFor } from "../support/api";
import { countingD1 } from "../support/d1-counter";
import { loadDemoSeed } from "../support/seed";

/*
 * Special populations through the HTTP API: a patient's eGFR and pregnancy/lactation status
 * on the shared record (POST/PATCH/GET /patients), and the rules reading them through
 * POST /prescriptions/validate.
 */

const SHIMEN = { sub: "doc-shimen-gp-intermediate", org: "inst-shimen" };
const shimenDoctor = () => tokenFor("doctor", SHIMEN.sub, SHIMEN.org);
const impostor = () => tokenFor("doctor", "doc-county-im-senior", "inst-shimen");
const today = () => chinaDate(new Date());

let serial = 0;
const uid = () => `pat-sp-${Date.now().toString(36)}-${(++serial).toString(36)}`;

function expectProblem(res: { status: number; headers: Headers; body: unknown }, status: number, code: string): Problem {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  const body = res.body as Problem;
  expect(body).toMatchObject({ status, code });
  return body;
}
const pathsOf = (p: Problem) => p.issues?.map((i) => i.path) ?? [];

async function aPatient(body: Record<string, unknown> = {}) {
  const res = await api<PatientDetails>("POST", "/patients", { token: await shimenDoctor(), body: { id: uid(), name: "测试患者", gender: "female", birthDate: "1990-04-02", ...body } });
  expect(res.status).toBe(201);
  return res.body;
}

async function row(id: string) {
  return env.DB.prepare("SELECT egfr, egfr_on, pregnancy, pregnancy_on FROM patients WHERE id = ?").bind(id).first();
}

async function audits(id: string) {
  const { results } = await env.DB.prepare("SELECT action, before, after FROM audit_events WHERE entity_type = 'patient' AND entity_id = ? ORDER BY rowid").bind(id).all<{
    action: string;
    before: string | null;
    after: string | null;
  }>();
  return results.map((r) => ({ action: r.action, before: r.before ? JSON.parse(r.before) : null, after: r.after ? JSON.parse(r.after) : null }));
}

const patch = async (id: string, body: unknown, token?: string) => api<PatientDetails>("PATCH", `/patients/${id}`, { token: token ?? (await shimenDoctor()), body });

describe("eGFR and pregnancy status on the patient record", () => {
  beforeAll(loadDemoSeed);

  it("are set on registration and shown by GET /patients/{id} and the follow-up overview, never in search results", async () => {
    const created = await aPatient({ egfr: 52.5, egfrOn: "2026-10-20", pregnancy: "lactating", pregnancyOn: "2026-11-01" });
    expect(created).toMatchObject({ egfr: 52.5, egfrOn: "2026-10-20", pregnancy: "lactating", pregnancyOn: "2026-11-01" });
    const read = await api<Patient>("GET", `/patients/${created.id}`, { token: await shimenDoctor() });
    expect(read.body).toMatchObject({ egfr: 52.5, egfrOn: "2026-10-20", pregnancy: "lactating", pregnancyOn: "2026-11-01" });
    const overview = await api<{ patient: Record<string, unknown> }>("GET", `/patients/${created.id}/overview`, { token: await shimenDoctor() });
    expect(overview.status).toBe(200);
    expect(overview.body.patient).toMatchObject({ egfr: 52.5, egfrOn: "2026-10-20", pregnancy: "lactating", pregnancyOn: "2026-11-01" });
    const search = await api<{ items: Record<string, unknown>[] }>("GET", `/patients?q=${created.id}`, { token: await shimenDoctor() });
    expect(search.body.items[0]?.id).toBe(created.id);
    for (const field of ["egfr", "egfrOn", "pregnancy", "pregnancyOn"]) expect(search.body.items[0]).not.toHaveProperty(field);
    const [create] = await audits(created.id);
    expect(create).toMatchObject({ action: "patient.create", after: { egfr: 52.5, egfrOn: "2026-10-20", pregnancy: "lactating", pregnancyOn: "2026-11-01" } });
    expect(JSON.stringify(create)).not.toContain("测试患者");
  });

  it("a patient registered without them has nulls", async () => {
    expect(await aPatient()).toMatchObject({ egfr: null, egfrOn: null, pregnancy: null, pregnancyOn: null });
  });

  it("PATCH sets, changes and clears them (null), each change audited with before and after", async () => {
    const p = await aPatient();
    const set = await patch(p.id, { egfr: 25, egfrOn: "2026-11-20" });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ egfr: 25, egfrOn: "2026-11-20", pregnancy: null });
    // a date left out is today
    const noDate = await patch(p.id, { egfr: 28, pregnancy: "pregnant" });
    expect(noDate.body).toMatchObject({ egfr: 28, egfrOn: today(), pregnancy: "pregnant", pregnancyOn: today() });
    // the same values again change nothing and leave no audit row
    const before = (await audits(p.id)).length;
    expect((await patch(p.id, { egfr: 28, egfrOn: today() })).status).toBe(200);
    expect(await audits(p.id)).toHaveLength(before);
    const cleared = await patch(p.id, { egfr: null, pregnancy: null });
    expect(cleared.body).toMatchObject({ egfr: null, egfrOn: null, pregnancy: null, pregnancyOn: null });
    expect(await row(p.id)).toEqual({ egfr: null, egfr_on: null, pregnancy: null, pregnancy_on: null });
    const trail = (await audits(p.id)).filter((a) => a.action !== "patient.create");
    expect(trail).toEqual([
      { action: "patient.egfr.update", before: { egfr: null, egfrOn: null }, after: { egfr: 25, egfrOn: "2026-11-20" } },
      { action: "patient.egfr.update", before: { egfr: 25, egfrOn: "2026-11-20" }, after: { egfr: 28, egfrOn: today() } },
      { action: "patient.pregnancy.update", before: { pregnancy: null, pregnancyOn: null }, after: { pregnancy: "pregnant", pregnancyOn: today() } },
      { action: "patient.egfr.update", before: { egfr: 28, egfrOn: today() }, after: { egfr: null, egfrOn: null } },
      { action: "patient.pregnancy.update", before: { pregnancy: "pregnant", pregnancyOn: today() }, after: { pregnancy: null, pregnancyOn: null } },
    ]);
  });

  it("refuses out-of-range values, dates without values, future dates and dates before birth (400), changing nothing", async () => {
    const p = await aPatient({ egfr: 60, egfrOn: "2026-01-05" });
    const tomorrow = addDays(today(), 1);
    const cases: [unknown, string][] = [
      [{ egfr: 200.1 }, "egfr"],
      [{ egfr: -1 }, "egfr"],
      [{ egfr: "25" }, "egfr"],
      [{ egfrOn: "2026-11-20" }, "egfrOn"],
      [{ egfr: null, egfrOn: "2026-11-20" }, "egfrOn"],
      [{ egfr: 25, egfrOn: "2026-02-30" }, "egfrOn"],
      [{ pregnancy: "breastfeeding" }, "pregnancy"],
      [{ pregnancyOn: "2026-11-20" }, "pregnancyOn"],
      [{ egfr: 25, egfrOn: tomorrow }, "egfrOn"],
      [{ egfr: 25, egfrOn: "1989-12-31" }, "egfrOn"],
      [{ pregnancy: "pregnant", pregnancyOn: tomorrow }, "pregnancyOn"],
    ];
    for (const [body, path] of cases) {
      const problem = expectProblem(await patch(p.id, body), 400, "validation-failed");
      expect(pathsOf(problem), JSON.stringify(body)).toEqual([path]);
    }
    expect(await row(p.id)).toEqual({ egfr: 60, egfr_on: "2026-01-05", pregnancy: null, pregnancy_on: null });
  });

  it("a pregnancy or lactation status on a male patient is a 422, on registration and on PATCH, changing nothing", async () => {
    const man = await aPatient({ gender: "male" });
    for (const pregnancy of ["pregnant", "lactating"]) {
      const problem = expectProblem(await patch(man.id, { pregnancy, egfr: 40 }), 422, "unprocessable");
      expect(pathsOf(problem)).toEqual(["pregnancy"]);
    }
    expect(await row(man.id)).toEqual({ egfr: null, egfr_on: null, pregnancy: null, pregnancy_on: null });
    // clearing is harmless
    expect((await patch(man.id, { pregnancy: null })).status).toBe(200);
    const id = uid();
    const created = await api("POST", "/patients", { token: await shimenDoctor(), body: { id, name: "甲", gender: "male", birthDate: "1980-01-01", pregnancy: "pregnant" } });
    expect(pathsOf(expectProblem(created, 422, "unprocessable"))).toEqual(["pregnancy"]);
    expect(await env.DB.prepare("SELECT id FROM patients WHERE id = ?").bind(id).first()).toBeNull();
  });

  it("keeps pharmacists (403) and non-member doctors (403) out, writing nothing", async () => {
    const p = await aPatient();
    const before = await audits(p.id);
    expectProblem(await patch(p.id, { egfr: 25 }, await asPharmacist()), 403, "forbidden");
    expectProblem(await patch(p.id, { pregnancy: "pregnant" }, await impostor()), 403, "forbidden");
    expect(await row(p.id)).toEqual({ egfr: null, egfr_on: null, pregnancy: null, pregnancy_on: null });
    expect(await audits(p.id)).toEqual(before);
  });
});

interface Validation {
  valid: boolean;
  findings: Finding[];
}

/** Metformin 0.5 g twice a day for 7 days (pack of one tablet), for type 2 diabetes. */
function metforminFor(patientId: string): Draft {
  return {
    patientId,
    kind: "normal",
    diagnoses: [{ icd10: "E11.9", name: "2型糖尿病" }],
    items: [{ drugCode: METFORMIN, dose: { value: 0.5, unit: "g" }, frequency: "bid", days: 7, packages: 14 }],
    fulfilment: { mode: "pickup", pickupSiteId: "site-cloud-shimen" },
  };
}

describe("POST /prescriptions/validate reads the eGFR on the record", () => {
  beforeAll(loadDemoSeed);

  const validate = async (draft: Draft) => {
    const res = await api<Validation>("POST", "/prescriptions/validate", { token: await shimenDoctor(), body: draft });
    expect(res.status).toBe(200);
    return res.body;
  };
  const renal = (v: Validation) => v.findings.filter((f) => f.ruleId.startsWith("population-renal")).map((f) => [f.ruleId, f.severity, f.path]);

  it("flags metformin at eGFR 25 as an error, at 40 as a warning, and says nothing without an eGFR", async () => {
    const p = await aPatient({ gender: "male", birthDate: "1966-02-10" });
    const none = await validate(metforminFor(p.id));
    expect(renal(none)).toEqual([]);
    expect(none.valid).toBe(true);

    await patch(p.id, { egfr: 25, egfrOn: addDays(today(), -30) });
    const low = await validate(metforminFor(p.id));
    expect(renal(low)).toEqual([["population-renal", "error", "items.0.drugCode"]]);
    expect(low.valid).toBe(false);
    expect(low.findings.find((f) => f.ruleId === "population-renal")?.message).toContain("eGFR 25");

    await patch(p.id, { egfr: 40 });
    const mid = await validate(metforminFor(p.id));
    expect(renal(mid)).toEqual([["population-renal-caution", "warning", "items.0.drugCode"]]);
    expect(mid.valid).toBe(true);
  });

  it("flags a pregnant patient's statin, and nothing once the status is cleared", async () => {
    const p = await aPatient({ pregnancy: "pregnant" });
    const draft: Draft = { ...metforminFor(p.id), diagnoses: [{ icd10: "E78.0", name: "高胆固醇血症" }], items: [{ drugCode: "W201-01", dose: { value: 20, unit: "mg" }, frequency: "qd", days: 7, packages: 1 }] };
    const v = await validate(draft);
    expect(v.findings.filter((f) => f.ruleId.startsWith("population-")).map((f) => f.ruleId)).toEqual(["population-pregnancy"]);
    await patch(p.id, { pregnancy: null });
    const after = await validate(draft);
    expect(after.findings.filter((f) => f.ruleId.startsWith("population-"))).toEqual([]);
  });

  it("stays one D1 round trip with an eGFR and a status on record", async () => {
    const p = await aPatient({ egfr: 25, pregnancy: "lactating" });
    const counter = countingD1(env.DB);
    const result = await validatePrescription({ db: getDb(counter.db), actor: { ...SHIMEN, role: "doctor", name: "" }, requestId: "t", now: new Date() }, metforminFor(p.id));
    expect(counter.count()).toBe(1);
    expect(result.findings.map((f) => f.ruleId)).toContain("population-renal");
  });
});
