import { constraintFailed } from "../db/errors";
import { and, asc, eq, gt, isNull, type SQL, sql } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import {
  batchGuards,
  institutions,
  patientAllergies,
  patientConditions,
  patientEvents,
  patients,
  pharmacists,
  practitioners,
  specialtyConditions,
} from "../../schema";
import type { Db } from "../db/index";
import type { Principal } from "../http/auth";
import { prefixUpperBound } from "../formulary/formulary.search";

export type InstitutionRow = typeof institutions.$inferSelect;
export type PractitionerRow = typeof practitioners.$inferSelect;
export type PatientRow = typeof patients.$inferSelect;
export type ConditionRow = typeof patientConditions.$inferSelect;
export type AllergyRow = typeof patientAllergies.$inferSelect;
export type EventRow = typeof patientEvents.$inferSelect;

/** A primary-key clash on `table`: the id is taken. */
export function isDuplicateId(err: unknown, table: "institutions" | "practitioners" | "patients"): boolean {
  return constraintFailed(err, "UNIQUE", `${table}.id`);
}

export function isForeignKeyFailure(err: unknown): boolean {
  return constraintFailed(err, "FOREIGN KEY");
}

/**
 * Fails the batch it is in (rolling it back, see worker/db/guard.ts) when `condition` holds.
 * An insert builder rather than db.run(sql): drizzle 0.45 cannot batch a db.run whose SQL has parameters.
 */
function failBatchWhen(db: Db, condition: SQL) {
  return db.insert(batchGuards).select(sql`SELECT NULL WHERE ${condition}`);
}

// ---------------------------------------------------------------------------------------
// Institutions
// ---------------------------------------------------------------------------------------

export function institutionQuery(db: Db, id: string) {
  return db.select().from(institutions).where(eq(institutions.id, id)).limit(1);
}

export function insertInstitution(db: Db, row: InstitutionRow) {
  return db.insert(institutions).values(row);
}

/** Keyset page by id; fetch limit + 1 to learn whether another page exists. */
export function listInstitutions(db: Db, p: { level?: string; afterId?: string; limit: number }) {
  const filters = [p.level ? eq(institutions.level, p.level) : undefined, p.afterId ? gt(institutions.id, p.afterId) : undefined];
  return db
    .select()
    .from(institutions)
    .where(and(...filters))
    .orderBy(asc(institutions.id))
    .limit(p.limit);
}

// ---------------------------------------------------------------------------------------
// Practitioners
// ---------------------------------------------------------------------------------------

export function practitionerQuery(db: Db, id: string) {
  return db.select().from(practitioners).where(eq(practitioners.id, id)).limit(1);
}

export function insertPractitioner(db: Db, row: PractitionerRow) {
  return db.insert(practitioners).values(row);
}

export function listPractitioners(db: Db, p: { institutionId?: string; afterId?: string; limit: number }) {
  const filters = [p.institutionId ? eq(practitioners.institutionId, p.institutionId) : undefined, p.afterId ? gt(practitioners.id, p.afterId) : undefined];
  return db
    .select()
    .from(practitioners)
    .where(and(...filters))
    .orderBy(asc(practitioners.id))
    .limit(p.limit);
}

/**
 * Optimistic update: changes the row only while it still holds `before`, so the audit row's
 * before image is what was actually replaced. Pair with expectChanged.
 */
export function updatePractitionerIfUnchanged(db: Db, before: PractitionerRow, next: Pick<PractitionerRow, "name" | "title" | "specialties">) {
  return db
    .update(practitioners)
    .set(next)
    .where(
      and(
        eq(practitioners.id, before.id),
        eq(practitioners.name, before.name),
        eq(practitioners.title, before.title),
        sql`json(${practitioners.specialties}) = json(${JSON.stringify(before.specialties)})`,
      ),
    );
}

/** The caller as a registered practitioner of the institution in their token (empty for anyone else). */
export function membershipQuery(db: Db, actor: Principal) {
  return db
    .select({ id: practitioners.id })
    .from(practitioners)
    .where(and(eq(practitioners.id, actor.sub), eq(practitioners.institutionId, actor.org)))
    .limit(1);
}

/** Put first in a write batch: fails (and rolls back) the batch when a doctor caller is not a member. */
export function expectMember(db: Db, actor: Principal) {
  return failBatchWhen(db, notMemberCondition(actor));
}

/**
 * Put in a batch (a read one too): fails it when the caller is not registered at the
 * organisation in their token: a doctor as a practitioner of the institution, a pharmacist
 * as a pharmacist of the pharmacy. Admins have no table (seeds/README.md "Admins").
 */
export function expectRegistered(db: Db, actor: Principal) {
  if (actor.role !== "pharmacist") return failBatchWhen(db, notMemberCondition(actor));
  return failBatchWhen(db, sql`NOT EXISTS (SELECT 1 FROM ${pharmacists} WHERE ${pharmacists.id} = ${actor.sub} AND ${pharmacists.pharmacyId} = ${actor.org})`);
}

function notMemberCondition(actor: Principal): SQL {
  if (actor.role !== "doctor") return sql`0`;
  return sql`NOT EXISTS (SELECT 1 FROM ${practitioners} WHERE ${practitioners.id} = ${actor.sub} AND ${practitioners.institutionId} = ${actor.org})`;
}

// ---------------------------------------------------------------------------------------
// Patients
// ---------------------------------------------------------------------------------------

export function patientQuery(db: Db, id: string) {
  return db.select().from(patients).where(eq(patients.id, id)).limit(1);
}

export function insertPatient(db: Db, row: PatientRow) {
  return db.insert(patients).values(row);
}

/** What PATCH /patients/{id} may change. */
export type PatientChangeable = Pick<PatientRow, "phone" | "familyDoctorId" | "egfr" | "egfrOn" | "pregnancy" | "pregnancyOn">;

/** `column` still holds `value` (NULL-safe). */
function stillHolds(column: SQLiteColumn, value: string | number | null): SQL {
  return value === null ? isNull(column) : eq(column, value);
}

/**
 * Changes the contact, the family doctor, the eGFR and the pregnancy status only while the
 * row still holds `before`'s (pair with expectChanged), so the audit rows' before images are
 * what was replaced.
 */
export function updatePatientIfUnchanged(db: Db, before: PatientRow, next: PatientChangeable) {
  return db
    .update(patients)
    .set(next)
    .where(
      and(
        eq(patients.id, before.id),
        stillHolds(patients.phone, before.phone),
        stillHolds(patients.familyDoctorId, before.familyDoctorId),
        stillHolds(patients.egfr, before.egfr),
        stillHolds(patients.egfrOn, before.egfrOn),
        stillHolds(patients.pregnancy, before.pregnancy),
        stillHolds(patients.pregnancyOn, before.pregnancyOn),
      ),
    );
}

/** Patients written before names carried their pinyin initials (migration 0008), a bounded batch (index patients_pinyin). */
export function patientsWithoutPinyinQuery(db: Db, limit: number) {
  return db.select({ id: patients.id, name: patients.name }).from(patients).where(isNull(patients.pinyin)).limit(limit);
}

/**
 * Writes computed pinyin initials, `[id, pinyin][]` as ONE JSON parameter (used twice), and
 * only where the pinyin is still missing: a name changed meanwhile keeps what its writer set.
 */
export function setMissingPinyin(db: Db, rows: [string, string][]) {
  const json = JSON.stringify(rows);
  return db
    .update(patients)
    .set({ pinyin: sql`(SELECT json_extract(value, '$[1]') FROM json_each(${json}) WHERE json_extract(value, '$[0]') = ${patients.id})` })
    .where(and(isNull(patients.pinyin), sql`${patients.id} IN (SELECT json_extract(value, '$[0]') FROM json_each(${json}))`));
}

/**
 * Put first in a batch that reads a record: fails (and rolls back) the batch unless the
 * patient exists and a doctor caller is a registered practitioner of their institution,
 * so the audit row in the same batch is written exactly when the record is read.
 */
export function expectPatientReadable(db: Db, patientId: string, actor: Principal) {
  return failBatchWhen(db, sql`NOT EXISTS (SELECT 1 FROM ${patients} WHERE ${patients.id} = ${patientId}) OR ${notMemberCondition(actor)}`);
}

export function conditionsQuery(db: Db, patientId: string) {
  return db.select().from(patientConditions).where(eq(patientConditions.patientId, patientId)).orderBy(asc(patientConditions.diagnosedAt), asc(patientConditions.id));
}

export function allergiesQuery(db: Db, patientId: string) {
  return db.select().from(patientAllergies).where(eq(patientAllergies.patientId, patientId)).orderBy(asc(patientAllergies.id));
}

export function eventsQuery(db: Db, patientId: string) {
  return db.select().from(patientEvents).where(eq(patientEvents.patientId, patientId)).orderBy(asc(patientEvents.at), asc(patientEvents.id));
}

export function conditionQuery(db: Db, patientId: string, conditionId: string) {
  return db
    .select()
    .from(patientConditions)
    .where(and(eq(patientConditions.id, conditionId), eq(patientConditions.patientId, patientId)))
    .limit(1);
}

/** The institution whose practitioner diagnosed the condition (no row when the condition is unknown). */
export function diagnosingInstitutionQuery(db: Db, patientId: string, conditionId: string) {
  return db
    .select({ institutionId: practitioners.institutionId })
    .from(patientConditions)
    .innerJoin(practitioners, eq(practitioners.id, patientConditions.diagnosedBy))
    .where(and(eq(patientConditions.id, conditionId), eq(patientConditions.patientId, patientId)))
    .limit(1);
}

export function insertCondition(db: Db, row: ConditionRow) {
  return db.insert(patientConditions).values(row);
}

/** Re-grades a condition only while it still holds `before` (pair with expectChanged). */
export function updateConditionIfUnchanged(db: Db, before: ConditionRow, next: Pick<ConditionRow, "stable" | "chronic">) {
  return db
    .update(patientConditions)
    .set(next)
    .where(and(eq(patientConditions.id, before.id), eq(patientConditions.stable, before.stable), eq(patientConditions.chronic, before.chronic)));
}

export function insertAllergy(db: Db, row: AllergyRow) {
  return db.insert(patientAllergies).values(row);
}

export function insertEvent(db: Db, row: EventRow) {
  return db.insert(patientEvents).values(row);
}

export interface PatientSearch {
  /** as typed: trimmed, at most 64 characters */
  q: string;
  limit: number;
  after?: { name: string; id: string };
}

/** 7 digits or more are a phone prefix (fewer match too many people to be useful). */
const PHONE_PREFIX = /^\d{7,}$/;
/** Letters only are pinyin initials, in any case (stored upper case). */
const PINYIN_PREFIX = /^[A-Za-z]+$/;

/**
 * What typed text matches on a patient as a prefix: the name; the pinyin initials (letters
 * only, any case); the phone (7 digits or more). Each a B-tree range on its own index
 * (patients_name, patients_pinyin, patients_phone), matching the prefix literally (no LIKE
 * wildcards). The patient search and the desk's search for the patient at the window share it.
 */
export function patientPrefixMatches(q: string): SQL[] {
  const within = (column: typeof patients.name | typeof patients.pinyin | typeof patients.phone, prefix: string) =>
    sql`(${column} >= ${prefix} AND ${column} < ${prefixUpperBound(prefix)})`;
  return [
    within(patients.name, q),
    ...(PINYIN_PREFIX.test(q) ? [within(patients.pinyin, q.toUpperCase())] : []),
    ...(PHONE_PREFIX.test(q) ? [within(patients.phone, q)] : []),
  ];
}

/**
 * Exact id or a prefix (patientPrefixMatches), keyset paginated on (name, id). Each branch is
 * a B-tree range on its own index (or the primary key), cut to the page in SQL, so a page
 * costs the same however many patients match; the union of the branches is then ordered once.
 */
export function searchPatients(db: Db, p: PatientSearch) {
  const after = p.after ? sql`(${patients.name}, ${patients.id}) > (${p.after.name}, ${p.after.id})` : sql`1`;
  const branch = (match: SQL) =>
    sql`SELECT id FROM (SELECT ${patients.id} AS id FROM ${patients} WHERE ${match} AND ${after} ORDER BY ${patients.name}, ${patients.id} LIMIT ${p.limit})`;
  const branches = [eq(patients.id, p.q), ...patientPrefixMatches(p.q)].map(branch);
  return db
    .select()
    .from(patients)
    .where(sql`${patients.id} IN (${sql.join(branches, sql` UNION `)})`)
    .orderBy(asc(patients.name), asc(patients.id))
    .limit(p.limit);
}

// ---------------------------------------------------------------------------------------
// Related specialties
// ---------------------------------------------------------------------------------------

/** One row per prefix with its specialties as a JSON array, keyset paginated on the prefix. */
export function listSpecialtyRelations(db: Db, p: { afterPrefix?: string; limit: number }) {
  return db
    .select({
      icd10Prefix: specialtyConditions.icd10Prefix,
      specialties: sql<string>`json_group_array(${specialtyConditions.specialty})`,
    })
    .from(specialtyConditions)
    .where(p.afterPrefix ? gt(specialtyConditions.icd10Prefix, p.afterPrefix) : undefined)
    .groupBy(specialtyConditions.icd10Prefix)
    .orderBy(asc(specialtyConditions.icd10Prefix))
    .limit(p.limit);
}

export function specialtiesOfPrefixQuery(db: Db, icd10Prefix: string) {
  return db
    .select({ specialty: specialtyConditions.specialty })
    .from(specialtyConditions)
    .where(eq(specialtyConditions.icd10Prefix, icd10Prefix))
    .orderBy(asc(specialtyConditions.specialty));
}

export function deleteSpecialtiesOfPrefix(db: Db, icd10Prefix: string) {
  return db.delete(specialtyConditions).where(eq(specialtyConditions.icd10Prefix, icd10Prefix));
}

/** Two bound values per row: the at most 22 specialties stay far below D1's 100 parameters. */
export function insertSpecialtiesOfPrefix(db: Db, icd10Prefix: string, specialties: [string, ...string[]]) {
  return db.insert(specialtyConditions).values(specialties.map((specialty) => ({ icd10Prefix, specialty })));
}
