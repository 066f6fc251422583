import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Institution, Patient, PatientDetails, PatientSummary, Practitioner, SpecialtyRelation } from "../../worker/members/members.schemas";
import { api, asAdmin, tokenFor } from "../support/api";

let serial = 0;
const uid = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${(++serial).toString(36)}${Math.random().toString(36).slice(2, 6)}`;

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

interface AuditRow {
  action: string;
  actor_id: string;
  actor_role: string;
  actor_org: string;
  entity_type: string;
  entity_id: string;
  before: string | null;
  after: string | null;
  request_id: string;
}

const auditOf = async (entityType: string, entityId: string) =>
  (await env.DB.prepare("SELECT * FROM audit_events WHERE entity_type = ? AND entity_id = ? ORDER BY id").bind(entityType, entityId).all<AuditRow>()).results;

async function anInstitution(overrides: Partial<Institution> = {}) {
  const res = await api<Institution>("POST", "/institutions", {
    token: await asAdmin(),
    body: { id: uid("inst"), name: "测试乡卫生院", level: "primary", region: "青溪县/测试乡", ...overrides },
  });
  expect(res.status).toBe(201);
  return res.body;
}

async function aPractitioner(institutionId: string, overrides: Record<string, unknown> = {}) {
  const res = await api<Practitioner>("POST", "/practitioners", {
    token: await asAdmin(),
    body: { id: uid("doc"), name: "李医生", institutionId, title: "intermediate", specialties: ["general_practice"], ...overrides },
  });
  expect(res.status).toBe(201);
  return res.body;
}

/** A registered doctor of a fresh member institution, with a token naming both. */
async function aMemberDoctor() {
  const institution = await anInstitution();
  const practitioner = await aPractitioner(institution.id);
  return { institution, practitioner, token: await tokenFor("doctor", practitioner.id, institution.id) };
}

async function aPatient(token: string, overrides: Record<string, unknown> = {}) {
  const res = await api<PatientDetails>("POST", "/patients", { token, body: { id: uid("pat"), name: "王秀英", gender: "female", birthDate: "1956-04-02", ...overrides } });
  expect(res.status).toBe(201);
  return res.body;
}

describe("institutions", () => {
  it("registers an institution, serves it and audits the creation", async () => {
    const id = uid("inst");
    const res = await api<Institution>("POST", "/institutions", { token: await asAdmin(), body: { id, name: "青溪县中医院", level: "secondary", region: "青溪县/城关镇" } });
    expect(res.status).toBe(201);
    expect(res.headers.get("location")).toBe(`/api/v1/institutions/${id}`);
    expect(res.body).toMatchObject({ id, name: "青溪县中医院", level: "secondary", region: "青溪县/城关镇" });

    const got = await api<Institution>("GET", `/institutions/${id}`, { token: await tokenFor("pharmacist") });
    expect(got.status).toBe(200);
    expect(got.body).toEqual(res.body);

    const audit = await auditOf("institution", id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: "institution.create", actor_id: "admin-county", actor_role: "admin", request_id: res.headers.get("x-request-id") });
    expect(JSON.parse(audit[0]?.after ?? "{}")).toMatchObject({ id, level: "secondary" });
  });

  it("pages through institutions with a cursor, without duplicates, and filters by level", async () => {
    const mine = [await anInstitution({ level: "village" }), await anInstitution({ level: "village" }), await anInstitution({ level: "tertiary" })];
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: Page<Institution> } = await api<Page<Institution>>("GET", `/institutions?limit=2${cursor ? `&cursor=${cursor}` : ""}`, { token: await tokenFor("doctor") });
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((i) => i.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(expect.arrayContaining(mine.map((i) => i.id)));

    const villages = await api<Page<Institution>>("GET", "/institutions?level=village&limit=100", { token: await asAdmin() });
    expect(villages.body.items.every((i) => i.level === "village")).toBe(true);
    expect(villages.body.items.map((i) => i.id)).toEqual(expect.arrayContaining([mine[0]?.id, mine[1]?.id]));
  });
});

describe("practitioners", () => {
  it("registers a practitioner with a canonical specialty set and lists them by institution", async () => {
    const institution = await anInstitution();
    const p = await aPractitioner(institution.id, { title: "senior", specialties: ["internal_medicine", "cardiology", "cardiology"] });
    expect(p).toMatchObject({ institutionId: institution.id, title: "senior", specialties: ["cardiology", "internal_medicine"] });

    const got = await api<Practitioner>("GET", `/practitioners/${p.id}`, { token: await tokenFor("pharmacist") });
    expect(got.body).toEqual(p);
    const other = await aPractitioner(institution.id);
    const listed = await api<Page<Practitioner>>("GET", `/practitioners?institutionId=${institution.id}`, { token: await tokenFor("doctor") });
    expect(listed.body.items.map((x) => x.id).sort()).toEqual([p.id, other.id].sort());
    expect(listed.body.nextCursor).toBeNull();

    const audit = await auditOf("practitioner", p.id);
    expect(audit.map((a) => [a.action, a.actor_id])).toEqual([["practitioner.create", "admin-county"]]);
  });

  it("changes title, specialties and name with before and after in the audit; a no-op writes nothing", async () => {
    const institution = await anInstitution();
    const p = await aPractitioner(institution.id);
    const res = await api<Practitioner>("PATCH", `/practitioners/${p.id}`, { token: await asAdmin(), body: { title: "associate_senior", specialties: ["geriatrics", "general_practice"], name: "李明" } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: p.id, title: "associate_senior", specialties: ["general_practice", "geriatrics"], name: "李明" });
    expect((await api<Practitioner>("GET", `/practitioners/${p.id}`, { token: await asAdmin() })).body).toEqual(res.body);

    const noop = await api<Practitioner>("PATCH", `/practitioners/${p.id}`, { token: await asAdmin(), body: { specialties: ["general_practice", "geriatrics"] } });
    expect(noop.status).toBe(200);
    const audit = await auditOf("practitioner", p.id);
    expect(audit.map((a) => a.action)).toEqual(["practitioner.create", "practitioner.update"]);
    expect(JSON.parse(audit[1]?.before ?? "{}")).toMatchObject({ title: "intermediate", name: "李医生" });
    expect(JSON.parse(audit[1]?.after ?? "{}")).toMatchObject({ title: "associate_senior", name: "李明" });
  });
});

describe("patients: the shared record", () => {
  it("lets a member doctor register a patient and build the record; every write is audited without the name", async () => {
    const { practitioner, token } = await aMemberDoctor();
    const patient = await aPatient(token, { name: "赵桂芝" });
    expect(patient).toMatchObject({ name: "赵桂芝", gender: "female", birthDate: "1956-04-02" });

    const condition = await api<{ id: string }>("POST", `/patients/${patient.id}/conditions`, {
      token,
      body: { icd10: "i10", name: "原发性高血压", chronic: true, stable: false, diagnosedAt: "2024-05-01", diagnosedBy: practitioner.id },
    });
    expect(condition.status).toBe(201);
    expect(condition.body).toMatchObject({ icd10: "I10", chronic: true, stable: false, diagnosedBy: practitioner.id });
    expect(condition.body.id).toMatch(/^pc_/);

    const allergy = await api<{ id: string }>("POST", `/patients/${patient.id}/allergies`, { token, body: { substance: "青霉素", atcPrefix: "j01c", reaction: "皮疹" } });
    expect(allergy.status).toBe(201);
    expect(allergy.body).toMatchObject({ substance: "青霉素", atcPrefix: "J01C", reaction: "皮疹" });
    const bare = await api("POST", `/patients/${patient.id}/allergies`, { token, body: { substance: "磺胺" } });
    expect(bare.body).toMatchObject({ substance: "磺胺", atcPrefix: null, reaction: null });

    const event = await api<{ id: string; at: string }>("POST", `/patients/${patient.id}/events`, { token, body: { type: "admission", at: "2026-03-01T10:30:00+08:00" } });
    expect(event.status).toBe(201);
    expect(event.body).toMatchObject({ type: "admission", at: "2026-03-01T02:30:00.000Z" });
    const dated = await api("POST", `/patients/${patient.id}/events`, { token, body: { type: "goal_not_met", at: "2026-04-01" } });
    expect(dated.body).toMatchObject({ type: "goal_not_met", at: "2026-04-01" });

    const regraded = await api("PATCH", `/patients/${patient.id}/conditions/${condition.body.id}`, { token, body: { stable: true } });
    expect(regraded.status).toBe(200);
    expect(regraded.body).toMatchObject({ id: condition.body.id, stable: true, chronic: true });

    const record = await api<Patient>("GET", `/patients/${patient.id}`, { token });
    expect(record.status).toBe(200);
    expect(record.body).toMatchObject({ id: patient.id, name: "赵桂芝", gender: "female", birthDate: "1956-04-02" });
    expect(record.body.conditions).toEqual([{ ...condition.body, stable: true }]);
    expect(record.body.allergies).toHaveLength(2);
    expect(record.body.events.map((e) => e.type)).toEqual(["admission", "goal_not_met"]);

    const audit = await auditOf("patient", patient.id);
    expect(audit.map((a) => a.action)).toEqual([
      "patient.create",
      "patient.condition.add",
      "patient.allergy.add",
      "patient.allergy.add",
      "patient.event.add",
      "patient.event.add",
      "patient.condition.update",
      "patient.read",
    ]);
    for (const row of audit) {
      expect(row).toMatchObject({ actor_id: practitioner.id, actor_role: "doctor" });
      expect(`${row.before ?? ""}${row.after ?? ""}`).not.toContain("赵桂芝");
    }
    expect(JSON.parse(audit[6]?.before ?? "{}")).toEqual({ conditionId: condition.body.id, stable: false, chronic: true });
    expect(JSON.parse(audit[6]?.after ?? "{}")).toEqual({ conditionId: condition.body.id, stable: true, chronic: true });
  });

  it("shares the record with doctors of other member institutions and admins, auditing each read", async () => {
    const first = await aMemberDoctor();
    const second = await aMemberDoctor();
    const patient = await aPatient(first.token);
    const added = await api("POST", `/patients/${patient.id}/conditions`, {
      token: second.token,
      // ungraded: grading another institution's diagnosis is its own doctors' call (conditions.security.test.ts)
      body: { icd10: "E11.9", name: "2型糖尿病", chronic: false, stable: false, diagnosedAt: "2025-01-10", diagnosedBy: first.practitioner.id },
    });
    expect(added.status).toBe(201);

    for (const token of [first.token, second.token, await asAdmin()]) {
      const res = await api<Patient>("GET", `/patients/${patient.id}`, { token });
      expect(res.status).toBe(200);
      expect(res.body.conditions.map((c) => c.icd10)).toEqual(["E11.9"]);
    }
    const reads = (await auditOf("patient", patient.id)).filter((a) => a.action === "patient.read");
    expect(reads.map((r) => [r.actor_id, r.actor_org])).toEqual([
      [first.practitioner.id, first.institution.id],
      [second.practitioner.id, second.institution.id],
      ["admin-county", "inst-county"],
    ]);
  });

  it("keeps the patient's phone: given at registration or later, shown in the record, left out of search results and of the audit", async () => {
    const { token } = await aMemberDoctor();
    const withPhone = await aPatient(token, { phone: "13907315174" });
    expect(withPhone.phone).toBe("13907315174");
    const landline = await aPatient(token, { phone: " 073184526603 " });
    expect(landline.phone).toBe("073184526603");
    const without = await aPatient(token);
    expect(without.phone).toBeNull();

    const set = await api<PatientDetails>("PATCH", `/patients/${without.id}`, { token, body: { phone: "13812345678" } });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ id: without.id, phone: "13812345678" });
    expect((await api<Patient>("GET", `/patients/${without.id}`, { token })).body.phone).toBe("13812345678");
    const same = await api<PatientDetails>("PATCH", `/patients/${without.id}`, { token, body: { phone: "13812345678" } });
    expect(same.status).toBe(200);
    const removed = await api<PatientDetails>("PATCH", `/patients/${without.id}`, { token, body: { phone: null } });
    expect(removed.body.phone).toBeNull();

    const found = await api<Page<PatientSummary>>("GET", `/patients?q=${withPhone.id}`, { token });
    expect(found.body.items).toHaveLength(1);
    expect(found.body.items[0]).not.toHaveProperty("phone");

    const audit = await auditOf("patient", without.id);
    expect(audit.map((a) => [a.action, a.before, a.after])).toEqual([
      ["patient.create", null, JSON.stringify({ gender: "female", birthDate: "1956-04-02", hasPhone: false })],
      ["patient.phone.update", JSON.stringify({ hasPhone: false }), JSON.stringify({ hasPhone: true })],
      ["patient.read", null, null],
      ["patient.phone.update", JSON.stringify({ hasPhone: true }), JSON.stringify({ hasPhone: false })],
    ]);
    for (const row of [...audit, ...(await auditOf("patient", withPhone.id))]) expect(`${row.before}${row.after}`).not.toMatch(/1[3-9]\d{9}/);
  });

  it("lets an admin register a patient", async () => {
    const patient = await aPatient(await asAdmin());
    const audit = await auditOf("patient", patient.id);
    expect(audit[0]).toMatchObject({ action: "patient.create", actor_id: "admin-county", actor_role: "admin" });
  });

  it("finds patients by name prefix or exact id, pages with a cursor, and audits the ids shown but not the query", async () => {
    const { token, practitioner } = await aMemberDoctor();
    const surname = `测${Date.now().toString(36)}`;
    const created = [];
    for (const given of ["甲", "乙", "丙"]) created.push(await aPatient(token, { name: `${surname}${given}` }));

    const first = await api<Page<PatientSummary>>("GET", `/patients?q=${encodeURIComponent(surname)}&limit=2`, { token });
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(2);
    expect(first.body.nextCursor).not.toBeNull();
    const second = await api<Page<PatientSummary>>("GET", `/patients?q=${encodeURIComponent(surname)}&limit=2&cursor=${first.body.nextCursor}`, { token });
    expect(second.body.items).toHaveLength(1);
    expect(second.body.nextCursor).toBeNull();
    const found = [...first.body.items, ...second.body.items];
    expect(found.map((p) => p.id).sort()).toEqual(created.map((p) => p.id).sort());
    expect(found.map((p) => p.name)).toEqual([...found.map((p) => p.name)].sort());

    const byId = await api<Page<PatientSummary>>("GET", `/patients?q=${created[1]?.id}`, { token });
    expect(byId.body.items.map((p) => p.id)).toEqual([created[1]?.id]);

    const audit = await env.DB.prepare("SELECT * FROM audit_events WHERE entity_type = 'patient_search' AND entity_id = ?").bind(first.headers.get("x-request-id")).all<AuditRow>();
    expect(audit.results).toHaveLength(1);
    const row = audit.results[0];
    expect(row).toMatchObject({ action: "patient.search", actor_id: practitioner.id, actor_role: "doctor" });
    expect(JSON.parse(row?.after ?? "{}")).toEqual({ resultIds: first.body.items.map((p) => p.id) });
    expect(row?.after).not.toContain(surname);
  });
});

describe("related specialties", () => {
  const aPrefix = () => `Z${String(Math.floor(Math.random() * 100)).padStart(2, "0")}.${Math.random().toString(36).slice(2, 6).toUpperCase()}`;

  it("replaces a prefix's set in one audited batch and serves it to every role", async () => {
    const prefix = aPrefix();
    const created = await api<SpecialtyRelation>("PUT", `/specialty-relations/${prefix}`, { token: await asAdmin(), body: { specialties: ["geriatrics", "cardiology"] } });
    expect(created.status).toBe(200);
    expect(created.body).toEqual({ icd10Prefix: prefix, specialties: ["cardiology", "geriatrics"] });

    const replaced = await api<SpecialtyRelation>("PUT", `/specialty-relations/${prefix.toLowerCase()}`, { token: await asAdmin(), body: { specialties: ["endocrinology"] } });
    expect(replaced.body).toEqual({ icd10Prefix: prefix, specialties: ["endocrinology"] });
    const got = await api<SpecialtyRelation>("GET", `/specialty-relations/${prefix}`, { token: await tokenFor("pharmacist") });
    expect(got.body).toEqual({ icd10Prefix: prefix, specialties: ["endocrinology"] });

    const audit = await auditOf("specialty_relation", prefix);
    expect(audit.map((a) => [a.action, a.actor_id])).toEqual([
      ["specialty_relation.replace", "admin-county"],
      ["specialty_relation.replace", "admin-county"],
    ]);
    expect(JSON.parse(audit[1]?.before ?? "{}")).toEqual({ specialties: ["cardiology", "geriatrics"] });
    expect(JSON.parse(audit[1]?.after ?? "{}")).toEqual({ specialties: ["endocrinology"] });

    const same = await api<SpecialtyRelation>("PUT", `/specialty-relations/${prefix}`, { token: await asAdmin(), body: { specialties: ["endocrinology"] } });
    expect(same.status).toBe(200);
    expect(await auditOf("specialty_relation", prefix)).toHaveLength(2); // an unchanged set writes nothing

    const removed = await api("PUT", `/specialty-relations/${prefix}`, { token: await asAdmin(), body: { specialties: [] } });
    expect(removed.status).toBe(200);
    expect((await api("GET", `/specialty-relations/${prefix}`, { token: await asAdmin() })).status).toBe(404);
  });

  it("lists prefixes with their specialties, paged by prefix", async () => {
    const prefixes = [aPrefix(), aPrefix(), aPrefix()];
    for (const p of prefixes) await api("PUT", `/specialty-relations/${p}`, { token: await asAdmin(), body: { specialties: ["other", "ent"] } });
    const seen = new Map<string, string[]>();
    let cursor: string | null = null;
    do {
      const page: { body: Page<SpecialtyRelation> } = await api<Page<SpecialtyRelation>>("GET", `/specialty-relations?limit=7${cursor ? `&cursor=${cursor}` : ""}`, { token: await tokenFor("doctor") });
      for (const r of page.body.items) {
        expect(seen.has(r.icd10Prefix)).toBe(false);
        seen.set(r.icd10Prefix, r.specialties);
      }
      cursor = page.body.nextCursor;
    } while (cursor);
    for (const p of prefixes) expect(seen.get(p)).toEqual(["ent", "other"]);
  });
});
