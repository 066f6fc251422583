import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import { describe, expect, it } from "vitest";
import * as schema from "../../../schema";
import { DEMO_ADMINS, DEMO_CONSORTIUM, DEMO_NOW } from "../../../seeds/demo-consortium";

// Enums as fixed by API.md / DOMAIN.md (kept here on purpose, independent of the worker code).
const LEVELS = ["village", "primary", "secondary", "tertiary"];
const TITLES = ["junior", "intermediate", "associate_senior", "senior"];
const SPECIALTIES = [
  "general_practice",
  "internal_medicine",
  "cardiology",
  "endocrinology",
  "respiratory",
  "neurology",
  "nephrology",
  "rheumatology",
  "gastroenterology",
  "psychiatry",
  "oncology",
  "infectious_disease",
  "geriatrics",
  "pediatrics",
  "surgery",
  "orthopedics",
  "dermatology",
  "ophthalmology",
  "ent",
  "obstetrics_gynecology",
  "traditional_chinese_medicine",
  "other",
];
const GENDERS = ["male", "female"];
const EVENT_TYPES = ["admission", "new_condition", "goal_not_met"];
const INTEGRATIONS = ["desk", "external"];
const PHARMACIST_TITLES = ["assistant_pharmacist", "pharmacist", "senior_pharmacist"];
const CAPABILITIES = ["cold_chain", "delivery", "pickup"];

const ICD10 = /^[A-Z][0-9]{2}(\.[0-9A-Z]{1,4})?$/;
const ICD10_PREFIX = /^[A-Z][0-9]{0,2}(\.[0-9A-Z]{1,4})?$/;
const ATC = /^[A-Z][0-9]{2}([A-Z]([A-Z]([0-9]{2})?)?)?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

const d = DEMO_CONSORTIUM;

function isCalendarDate(s: string): boolean {
  return DATE.test(s) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);
}

function isTimestamp(s: string): boolean {
  return TIMESTAMP.test(s) && new Date(s).toISOString() === s;
}

function ids(rows: { id: string }[]): Set<string> {
  return new Set(rows.map((r) => r.id));
}

function duplicates(values: string[]): string[] {
  return values.filter((v, i) => values.indexOf(v) !== i);
}

function ageOn(birthDate: string, on: string): number {
  const [by, bm, bd] = birthDate.split("-").map(Number) as [number, number, number];
  const [y, m, day] = on.split("-").map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && day < bd) ? 1 : 0);
}

describe("demo consortium seed", () => {
  const institutionIds = ids(d.institutions);
  const practitionerIds = ids(d.practitioners);
  const patientIds = ids(d.patients);
  const pharmacyIds = ids(d.pharmacies);
  const institutionById = new Map(d.institutions.map((i) => [i.id, i]));
  const practitionerById = new Map(d.practitioners.map((p) => [p.id, p]));

  it("DEMO_NOW is a calendar date", () => {
    expect(DEMO_NOW).toBe("2026-11-25");
    expect(isCalendarDate(DEMO_NOW)).toBe(true);
  });

  it("has unique ids within each table and across all user subjects", () => {
    const tables: Record<string, { id: string }[]> = {
      institutions: d.institutions,
      practitioners: d.practitioners,
      patients: d.patients,
      patientConditions: d.patientConditions,
      patientAllergies: d.patientAllergies,
      patientEvents: d.patientEvents,
      pharmacies: d.pharmacies,
      pharmacySites: d.pharmacySites,
      pharmacists: d.pharmacists,
      admins: DEMO_ADMINS,
    };
    for (const [name, rows] of Object.entries(tables)) {
      expect(duplicates(rows.map((r) => r.id)), name).toEqual([]);
      for (const r of rows) expect(r.id.length, `${name} id`).toBeGreaterThan(0);
    }
    // Token subjects must not collide between roles, nor orgs between institutions and pharmacies.
    const subjects = [...d.practitioners, ...d.pharmacists, ...DEMO_ADMINS].map((r) => r.id);
    expect(duplicates(subjects)).toEqual([]);
    expect(duplicates([...institutionIds, ...pharmacyIds])).toEqual([]);
    // specialtyConditions has the composite primary key (icd10Prefix, specialty).
    expect(duplicates(d.specialtyConditions.map((r) => `${r.icd10Prefix}|${r.specialty}`))).toEqual([]);
  });

  it("keeps referential integrity", () => {
    for (const p of d.practitioners) expect(institutionIds.has(p.institutionId), p.id).toBe(true);
    for (const a of DEMO_ADMINS) expect(institutionIds.has(a.institutionId), a.id).toBe(true);
    for (const c of d.patientConditions) {
      expect(patientIds.has(c.patientId), c.id).toBe(true);
      expect(practitionerIds.has(c.diagnosedBy), c.id).toBe(true);
    }
    for (const a of d.patientAllergies) expect(patientIds.has(a.patientId), a.id).toBe(true);
    for (const e of d.patientEvents) expect(patientIds.has(e.patientId), e.id).toBe(true);
    for (const s of d.pharmacySites) {
      expect(pharmacyIds.has(s.pharmacyId), s.id).toBe(true);
      if (s.institutionId != null) expect(institutionIds.has(s.institutionId), s.id).toBe(true);
    }
    for (const p of d.pharmacists) expect(pharmacyIds.has(p.pharmacyId), p.id).toBe(true);
  });

  it("uses only valid enum values", () => {
    for (const i of d.institutions) expect(LEVELS, i.id).toContain(i.level);
    for (const p of d.practitioners) {
      expect(TITLES, p.id).toContain(p.title);
      expect(p.specialties.length, p.id).toBeGreaterThan(0);
      expect(duplicates(p.specialties), p.id).toEqual([]);
      for (const s of p.specialties) expect(SPECIALTIES, p.id).toContain(s);
    }
    for (const r of d.specialtyConditions) {
      expect(SPECIALTIES, r.icd10Prefix).toContain(r.specialty);
      expect(r.icd10Prefix).toMatch(ICD10_PREFIX);
    }
    for (const p of d.patients) expect(GENDERS, p.id).toContain(p.gender);
    for (const e of d.patientEvents) expect(EVENT_TYPES, e.id).toContain(e.type);
    for (const c of d.patientConditions) expect(c.icd10, c.id).toMatch(ICD10);
    for (const a of d.patientAllergies) if (a.atcPrefix != null) expect(a.atcPrefix, a.id).toMatch(ATC);
    for (const p of d.pharmacies) {
      expect(INTEGRATIONS, p.id).toContain(p.integration);
      for (const c of p.capabilities) expect(CAPABILITIES, p.id).toContain(c);
      expect(p.deliveryRegions.length, p.id).toBeGreaterThan(0);
      if (p.integration === "external") expect(p.endpointUrl ?? "", p.id).toMatch(/^https:\/\//);
      else expect(p.endpointUrl ?? null, p.id).toBeNull();
    }
    for (const p of d.pharmacists) expect(PHARMACIST_TITLES, p.id).toContain(p.title);
  });

  it("has fixed, consistent dates no later than DEMO_NOW", () => {
    const stamps = [
      ...d.institutions.map((r) => r.createdAt),
      ...d.practitioners.map((r) => r.createdAt),
      ...d.patients.map((r) => r.createdAt),
      ...d.pharmacies.map((r) => r.createdAt),
      ...d.pharmacists.map((r) => r.createdAt),
      ...d.patientEvents.map((r) => r.at),
    ];
    for (const s of stamps) {
      expect(isTimestamp(s), s).toBe(true);
      expect(s.slice(0, 10) <= DEMO_NOW, s).toBe(true);
    }
    const birth = new Map(d.patients.map((p) => [p.id, p.birthDate]));
    for (const p of d.patients) expect(isCalendarDate(p.birthDate), p.id).toBe(true);
    for (const c of d.patientConditions) {
      expect(isCalendarDate(c.diagnosedAt), c.id).toBe(true);
      expect(c.diagnosedAt <= DEMO_NOW, c.id).toBe(true);
      expect(c.diagnosedAt > birth.get(c.patientId)!, c.id).toBe(true);
    }
    for (const e of d.patientEvents) expect(e.at.slice(0, 10) > birth.get(e.patientId)!, e.id).toBe(true);
  });

  it("covers every institution level and every doctor title", () => {
    expect(new Set(d.institutions.map((i) => i.level))).toEqual(new Set(LEVELS));
    expect(new Set(d.practitioners.map((p) => p.title))).toEqual(new Set(TITLES));
    // Every institution has at least one doctor.
    for (const i of d.institutions) expect(d.practitioners.some((p) => p.institutionId === i.id), i.id).toBe(true);
  });

  it("has the doctors the long-prescription qualification rules need", () => {
    const at = (level: string) => d.practitioners.filter((p) => institutionById.get(p.institutionId)?.level === level);
    const county = d.practitioners.filter((p) => p.institutionId === "inst-county");
    for (const s of ["cardiology", "endocrinology", "internal_medicine"]) {
      expect(county.some((p) => p.specialties.includes(s) && p.title !== "junior"), s).toBe(true);
    }
    expect(county.some((p) => p.title === "junior")).toBe(true);
    for (const i of d.institutions.filter((x) => x.level === "primary")) {
      const docs = d.practitioners.filter((p) => p.institutionId === i.id);
      expect(docs.some((p) => p.title === "intermediate" && p.specialties.includes("general_practice")), i.id).toBe(true);
      expect(docs.some((p) => p.title === "junior"), i.id).toBe(true);
    }
    for (const p of at("village")) {
      expect(p.title, p.id).toBe("junior");
      expect(p.specialties, p.id).toContain("general_practice");
    }
  });

  it("relates general practice and geriatrics to the common primary-care conditions", () => {
    const related = (prefix: string) =>
      d.specialtyConditions.filter((r) => r.icd10Prefix === prefix).map((r) => r.specialty);
    for (const prefix of ["I10", "E11"]) {
      expect(related(prefix), prefix).toEqual(expect.arrayContaining(["general_practice", "geriatrics", "internal_medicine"]));
    }
    expect(related("I10")).toContain("cardiology");
    expect(related("E11")).toContain("endocrinology");
    expect(related("I10")).not.toContain("respiratory");
    // Every chronic patient condition has at least one related specialty by prefix.
    for (const c of d.patientConditions.filter((x) => x.chronic)) {
      expect(
        d.specialtyConditions.some((r) => c.icd10.startsWith(r.icd10Prefix)),
        `${c.id} ${c.icd10}`,
      ).toBe(true);
    }
  });

  it("has realistic patients and clinical records", () => {
    expect(d.patients.length).toBeGreaterThanOrEqual(10);
    const inRange = d.patients.filter((p) => {
      const age = ageOn(p.birthDate, DEMO_NOW);
      return age >= 50 && age <= 80;
    });
    expect(inRange.length / d.patients.length).toBeGreaterThanOrEqual(0.75);
    expect(d.patientConditions.some((c) => c.chronic && !c.stable)).toBe(true);
    expect(d.patientAllergies.some((a) => a.atcPrefix != null && a.atcPrefix !== "")).toBe(true);
    for (const t of EVENT_TYPES) expect(d.patientEvents.some((e) => e.type === t), t).toBe(true);
  });

  it("gives every patient a distinct mobile phone (the status lookup's check)", () => {
    const phones = d.patients.map((p) => p.phone ?? "");
    for (const [i, phone] of phones.entries()) expect(phone, d.patients[i]?.id).toMatch(/^1[3-9]\d{9}$/);
    expect(duplicates(phones)).toEqual([]);
  });

  it("has the happy-path patient pat-001", () => {
    const conds = d.patientConditions.filter((c) => c.patientId === "pat-001");
    for (const prefix of ["I10", "E11"]) {
      const c = conds.find((x) => x.icd10.startsWith(prefix));
      expect(c, prefix).toBeDefined();
      expect(c!.chronic && c!.stable, prefix).toBe(true);
      const by = practitionerById.get(c!.diagnosedBy);
      expect(institutionById.get(by!.institutionId)?.level, prefix).toBe("primary");
    }
    expect(d.patientEvents.filter((e) => e.patientId === "pat-001")).toEqual([]);
    expect(d.patientAllergies.filter((a) => a.patientId === "pat-001")).toEqual([]);
    const village = practitionerById.get("doc-fenglin-village");
    expect(village?.institutionId).toBe("inst-fenglin");
  });

  it("has a desk cloud pharmacy with pickup sites at two different primary institutions and an external one", () => {
    const cloud = d.pharmacies.find((p) => p.integration === "desk");
    expect(cloud?.deliveryRegions).toEqual(["青溪县"]);
    expect(cloud?.capabilities).toEqual(expect.arrayContaining(["cold_chain", "delivery", "pickup"]));
    const siteInstitutions = new Set(
      d.pharmacySites
        .filter((s) => s.pharmacyId === cloud?.id && s.institutionId != null)
        .map((s) => s.institutionId as string),
    );
    expect(siteInstitutions.size).toBeGreaterThanOrEqual(2);
    for (const id of siteInstitutions) expect(institutionById.get(id)?.level, id).toBe("primary");

    const external = d.pharmacies.find((p) => p.integration === "external");
    expect(external?.capabilities).not.toContain("cold_chain");
    // External delivery area lies inside the county; every delivery region is a path under 青溪县.
    for (const p of d.pharmacies) for (const r of p.deliveryRegions) expect(r.startsWith("青溪县"), r).toBe(true);
    // Every pharmacy has at least one pharmacist.
    for (const p of d.pharmacies) expect(d.pharmacists.some((x) => x.pharmacyId === p.id), p.id).toBe(true);
  });

  it("loads into the migrated D1 schema with foreign keys enforced", async () => {
    const db = drizzle(env.DB);
    // Parents before children.
    const order: [SQLiteTable, object[]][] = [
      [schema.institutions, d.institutions],
      [schema.practitioners, d.practitioners],
      [schema.specialtyConditions, d.specialtyConditions],
      [schema.patients, d.patients],
      [schema.patientConditions, d.patientConditions],
      [schema.patientAllergies, d.patientAllergies],
      [schema.patientEvents, d.patientEvents],
      [schema.pharmacies, d.pharmacies],
      [schema.pharmacySites, d.pharmacySites],
      [schema.pharmacists, d.pharmacists],
    ];
    for (const [table, rows] of order) {
      for (const row of rows) await db.insert(table).values(row);
      const [count] = await db.select({ n: sql<number>`count(*)` }).from(table);
      expect(count?.n).toBe(rows.length);
    }
    const fk = await env.DB.prepare("PRAGMA foreign_key_check").all();
    expect(fk.results).toEqual([]);
  });
});
