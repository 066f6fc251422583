import { and, desc, eq, gt, lte, ne, Placeholder, sql } from "drizzle-orm";
import type { BatchItem, BatchResponse } from "drizzle-orm/batch";
import {
  consortiumSettings,
  formularyEntries,
  formularyMeta,
  formularyEntryVersions,
  institutions,
  interactions,
  patientAllergies,
  patientConditions,
  patientEvents,
  patients,
  practitioners,
  prescriptionItems,
  prescriptions,
  referenceMeta,
  specialtyConditions,
} from "../../schema";
import { compiled } from "../db/compiled";
import type { Db } from "../db/index";
import { rowToEntry } from "../formulary/formulary.mapping";
import { publishedVersionsOnly, versionContent } from "../formulary/formulary.repo";
import type { Entry } from "../formulary/formulary.schemas";
import { ingredientsFromColumn } from "../rules/ingredients";
import { readSettings, type Settings } from "../settings/settings.schemas";
import { heldReferenceData, keepReferenceData, type ReferenceData } from "./reference-cache";
import type { ConsortiumPolicy, FormularyView, InstitutionLevel, Interaction, PatientRecord, PregnancyStatus, Prescriber, RuleContext, SupplyLine, Title } from "../rules/types";

// (the members tables' enum columns are still untyped text: their values are checked on write)

/*
 * What the rules engine needs to judge a draft, read from D1 in ONE round trip. Below both
 * sides: the doctor's side checks drafts it signs, the pharmacy's side checks the change it
 * proposes to a signed prescription with its prescriber's context, and neither imports the
 * other (STYLE.md "one direction between features").
 */

/** A formulary view with the whole entry (the rules read a subset; callers also show pack, price, 集采). */
export interface EntryView extends FormularyView {
  drug: Entry;
}

/** Everything the rules need except the draft, as read from D1. */
export type StoredContext = Omit<RuleContext, "draft" | "prescriber" | "patient" | "formulary"> & {
  formulary: Record<string, EntryView>;
  prescriber: Prescriber | null;
  patient: PatientRecord | null;
  formularyVersion: number;
};

export interface RuleContextQuery {
  prescriberId: string;
  patientId: string;
  codes: string[];
  /** the prescription date (YYYY-MM-DD, China time) */
  date: string;
  /**
   * The draft's diagnoses (ICD-10): the last long prescription is the last one for the same
   * condition (a shared 3-character category) and drugs (a shared code or generic name).
   */
  diagnoses: string[];
  /**
   * A signed prescription the draft is to replace (a change request): its supply lines are
   * not "active supply" against its own replacement, nor is it the last long prescription
   * the replacement renews.
   */
  replacing?: string;
}

/**
 * The version of an entry in effect on `date`: the newest version whose effectiveFrom is
 * on or before it. When none is in effect yet, the earliest version, marked not in effect.
 */
export function entryAsOf(versions: { version: number; effectiveFrom: string; snapshot: string | null }[], date: string, current: Entry | null): EntryView | null {
  let inEffect: (typeof versions)[number] | undefined;
  let earliest: (typeof versions)[number] | undefined;
  for (const v of versions) {
    if (v.effectiveFrom <= date && (!inEffect || v.version > inEffect.version)) inEffect = v;
    if (!earliest || v.version < earliest.version) earliest = v;
  }
  const chosen = inEffect ?? earliest;
  if (!chosen) return null;
  const drug = versionContent(chosen.snapshot, current);
  if (!drug) return null;
  return { drug, inEffect: inEffect !== undefined, version: chosen.version };
}

/** The ICD-10 category (letter and two digits, e.g. "E11" of "E11.9") of a code as written. */
export function icd10Category(code: string): string {
  return code.trim().toUpperCase().replace(".", "").slice(0, 3);
}

/** A signed prescription one of whose diagnoses falls in one of `categories` (icd10Category of each; a JSON array, or a placeholder for one). */
export function diagnosedIn(categories: readonly string[] | Placeholder) {
  const list = categories instanceof Placeholder ? categories : JSON.stringify(categories);
  return sql`EXISTS (SELECT 1 FROM json_each(${prescriptions.content}, '$.diagnoses') d
    WHERE substr(replace(upper(trim(json_extract(d.value, '$.icd10'))), '.', ''), 1, 3) IN (SELECT value FROM json_each(${list})))`;
}

/**
 * The patient's record in ONE statement: the row the rules read and, as JSON arrays, the
 * conditions, allergies and re-assessment events (issue 12: a statement costs about as much
 * as the rows it carries, so four small reads were most of what reading a patient cost).
 */
const patientRecordQuery = compiled(["patientId"], (db, p) =>
  db
    .select({
      id: patients.id,
      birthDate: patients.birthDate,
      gender: patients.gender,
      egfr: patients.egfr,
      egfrOn: patients.egfrOn,
      pregnancy: patients.pregnancy,
      pregnancyOn: patients.pregnancyOn,
      conditions: sql<string>`(SELECT json_group_array(json_object('icd10', c.icd10, 'chronic', c.chronic, 'stable', c.stable, 'diagnosedAt', c.diagnosed_at))
        FROM ${patientConditions} c WHERE c.patient_id = ${p.patientId})`.as("conditions"),
      allergies: sql<string>`(SELECT json_group_array(json_object('substance', a.substance, 'atcPrefix', a.atc_prefix))
        FROM ${patientAllergies} a WHERE a.patient_id = ${p.patientId})`.as("allergies"),
      events: sql<string>`(SELECT json_group_array(json_object('type', e.type, 'at', e.at))
        FROM ${patientEvents} e WHERE e.patient_id = ${p.patientId})`.as("events"),
    })
    .from(patients)
    .where(eq(patients.id, p.patientId)),
);

/** The patient's record as the rules read it, from patientRecordQuery's row. */
function toPatientRecord(row: PatientRow): PatientRecord {
  const conditions = JSON.parse(row.conditions) as { icd10: string; chronic: number; stable: number; diagnosedAt: string }[];
  const allergies = JSON.parse(row.allergies) as { substance: string; atcPrefix: string | null }[];
  const events = JSON.parse(row.events) as { type: PatientRecord["events"][number]["type"]; at: string }[];
  return {
    id: row.id,
    birthDate: row.birthDate,
    gender: row.gender as PatientRecord["gender"],
    conditions: conditions.map((c) => ({ icd10: c.icd10, chronic: c.chronic === 1, stable: c.stable === 1, diagnosedAt: c.diagnosedAt })),
    allergies,
    events,
    egfr: row.egfr !== null && row.egfrOn !== null ? { value: row.egfr, on: row.egfrOn } : null,
    pregnancy: row.pregnancy !== null && row.pregnancyOn !== null ? { status: row.pregnancy as PregnancyStatus, on: row.pregnancyOn } : null,
  };
}
type PatientRow = Awaited<ReturnType<typeof patientRecordQuery>>[number];

/**
 * The formulary's version, the reference data's token and, only when this isolate does not
 * hold that token (reference-cache.ts), the reference rows themselves as one JSON value: ONE
 * statement, so the token and the rows are of the same moment. Without a reference_meta row
 * the rows always come (and are not kept).
 */
const referenceQuery = compiled(["heldTokens"], (db, p) => {
  const token = sql`(SELECT ${referenceMeta.token} FROM ${referenceMeta} WHERE ${referenceMeta.id} = 1)`;
  return db
    .select({
      formularyVersion: sql<number | null>`(SELECT ${formularyMeta.version} FROM ${formularyMeta} WHERE ${formularyMeta.id} = 1)`.as("formulary_version"),
      token: sql<string | null>`${token}`.as("token"),
      rows: sql<string | null>`CASE WHEN COALESCE(${token}, '') NOT IN (SELECT value FROM json_each(${p.heldTokens})) THEN json_object(
        'interactions', (SELECT json_group_array(json_object('id', i.id, 'aAtcPrefix', i.a_atc_prefix, 'aName', i.a_name, 'bAtcPrefix', i.b_atc_prefix,
          'bName', i.b_name, 'severity', i.severity, 'note', i.note, 'source', i.source)) FROM ${interactions} i),
        'specialties', (SELECT json_group_array(json_array(s.icd10_prefix, s.specialty)) FROM ${specialtyConditions} s),
        'settings', (SELECT json_group_array(json_object('key', st.key, 'value', json(st.value))) FROM ${consortiumSettings} st)) END`.as("reference_rows"),
    })
    .from(sql`(SELECT 1)`);
});

interface ReferenceRows {
  interactions: { id: string; aAtcPrefix: string | null; aName: string | null; bAtcPrefix: string | null; bName: string | null; severity: string; note: string; source: string }[];
  specialties: [icd10Prefix: string, specialty: string][];
  settings: { key: string; value: unknown }[];
}

const prescriberQuery = compiled(["prescriberId"], (db, p) =>
  db
    .select({ id: practitioners.id, title: practitioners.title, specialties: practitioners.specialties, institutionId: practitioners.institutionId, level: institutions.level })
    .from(practitioners)
    .innerJoin(institutions, eq(institutions.id, practitioners.institutionId))
    .where(eq(practitioners.id, p.prescriberId)),
);

/** Every published version of the drafted codes (`codes`: a JSON array). */
const versionsQuery = compiled(["codes"], (db, p) =>
  db
    .select({ code: formularyEntryVersions.code, version: formularyEntryVersions.version, effectiveFrom: formularyEntryVersions.effectiveFrom, snapshot: formularyEntryVersions.snapshot })
    .from(formularyEntryVersions)
    // published versions only: a chunked import being published stays invisible until its switch (formulary/import-jobs.service.ts)
    .where(and(sql`${formularyEntryVersions.code} IN (SELECT value FROM json_each(${p.codes}))`, publishedVersionsOnly)),
);

/** The current versions' content (their history rows hold no snapshot yet). */
const currentEntriesQuery = compiled(["codes"], (db, p) => db.select().from(formularyEntries).where(sql`${formularyEntries.code} IN (SELECT value FROM json_each(${p.codes}))`));

/** The patient's supply lines active on `date`, except the prescription being replaced (`replacing`: "" for none). */
const activeSupplyQuery = compiled(["patientId", "date", "replacing"], (db, p) =>
  db
    .select()
    .from(prescriptionItems)
    .where(
      and(
        eq(prescriptionItems.patientId, p.patientId),
        gt(prescriptionItems.endDate, p.date),
        lte(prescriptionItems.startDate, p.date),
        eq(prescriptionItems.active, true),
        ne(prescriptionItems.prescriptionId, p.replacing),
      ),
    ),
);

/** The last long prescription for the same drugs (`codes`) and condition (`categories`), except the one being replaced. */
const lastLongQuery = compiled(["patientId", "replacing", "codes", "categories"], (db, p) =>
  db
    .select({ id: prescriptions.id, writtenAt: prescriptions.writtenAt, firstIssue: prescriptions.longTermFirstIssue })
    .from(prescriptions)
    .where(
      and(
        eq(prescriptions.patientId, p.patientId),
        eq(prescriptions.kind, "long_term"),
        ne(prescriptions.status, "cancelled"),
        ne(prescriptions.id, p.replacing),
        // the same drugs: one of its supply lines is a drafted code, or the same generic name as one
        sql`EXISTS (SELECT 1 FROM ${prescriptionItems} pi WHERE pi.prescription_id = ${prescriptions.id} AND (pi.drug_code IN (SELECT value FROM json_each(${p.codes}))
              OR pi.generic_name IN (SELECT fe.generic_name FROM ${formularyEntries} fe WHERE fe.code IN (SELECT value FROM json_each(${p.codes})))))`,
        // the same condition: one of its signed diagnoses shares a category with the draft's
        diagnosedIn(p.categories),
      ),
    )
    .orderBy(desc(prescriptions.writtenAt))
    .limit(1),
);

function ruleContextQueries(db: Db, q: RuleContextQuery, held: ReadonlyMap<string, ReferenceData>) {
  const codes = JSON.stringify(q.codes);
  // (a prescription id is never empty: "" replaces nothing)
  const replacing = q.replacing ?? "";
  return [
    prescriberQuery(db, { prescriberId: q.prescriberId }),
    patientRecordQuery(db, { patientId: q.patientId }),
    versionsQuery(db, { codes }),
    currentEntriesQuery(db, { codes }),
    activeSupplyQuery(db, { patientId: q.patientId, date: q.date, replacing }),
    lastLongQuery(db, { patientId: q.patientId, replacing, codes, categories: JSON.stringify([...new Set(q.diagnoses.map(icd10Category))]) }),
    referenceQuery(db, { heldTokens: JSON.stringify([...held.keys()]) }),
  ] as const;
}

type Rows = BatchResponse<ReturnType<typeof ruleContextQueries>>;

/** The settings the rules read, national defaults filled in. */
function policyOf(settings: Settings): ConsortiumPolicy {
  return { coldChainOnLongRx: settings.coldChainOnLongRx, antiviralsOnLongRx: settings.antiviralsOnLongRx, refillGraceDays: settings.refillGraceDays };
}

/** The reference data as read (rows came back) or as held under the database's token (none did). */
function referenceOf(held: ReadonlyMap<string, ReferenceData>, row: Rows[6][number] | undefined): ReferenceData {
  const token = row?.token ?? undefined;
  const kept = token ? held.get(token) : undefined;
  if (kept) return kept;
  // a token not held always brings the rows (the same statement compared it with `held`)
  if (!row?.rows) throw new Error("the reference rows did not come with a token this isolate does not hold");
  const rows = JSON.parse(row.rows) as ReferenceRows;
  const relatedSpecialties: Record<string, string[]> = {};
  for (const [prefix, specialty] of rows.specialties) relatedSpecialties[prefix] = [...(relatedSpecialties[prefix] ?? []), specialty];
  const read: ReferenceData = {
    interactions: rows.interactions.map(
      (i): Interaction => ({
        id: i.id,
        a: { ...(i.aAtcPrefix ? { atcPrefix: i.aAtcPrefix } : {}), ...(i.aName ? { name: i.aName } : {}) },
        b: { ...(i.bAtcPrefix ? { atcPrefix: i.bAtcPrefix } : {}), ...(i.bName ? { name: i.bName } : {}) },
        severity: i.severity as Interaction["severity"],
        note: i.note,
        source: i.source,
      }),
    ),
    relatedSpecialties,
    policy: policyOf(readSettings(rows.settings)),
  };
  if (token) keepReferenceData(token, read);
  return read;
}

function toStoredContext(rows: Rows, date: string, held: ReadonlyMap<string, ReferenceData>): StoredContext {
  const [prescriberRows, patientRows, versionRows, currentRows, supplyRows, lastLongRows, referenceRows] = rows;
  const reference = referenceOf(held, referenceRows[0]);
  const p = prescriberRows[0];
  const patient = patientRows[0];
  const byCode = new Map<string, { version: number; effectiveFrom: string; snapshot: string | null }[]>();
  for (const v of versionRows) byCode.set(v.code, [...(byCode.get(v.code) ?? []), v]);
  const currentByCode = new Map(currentRows.map((r) => [r.code, rowToEntry(r)]));
  const formulary: Record<string, EntryView> = {};
  for (const [code, versions] of byCode) {
    const view = entryAsOf(versions, date, currentByCode.get(code) ?? null);
    if (view) formulary[code] = view;
  }
  const last = lastLongRows[0];

  return {
    prescriber: p ? { id: p.id, title: p.title as Title, specialties: p.specialties, institutionId: p.institutionId, institutionLevel: p.level as InstitutionLevel } : null,
    patient: patient ? toPatientRecord(patient) : null,
    formulary,
    activeSupply: supplyRows.map(
      (s): SupplyLine => ({
        prescriptionId: s.prescriptionId,
        institutionId: s.institutionId,
        drugCode: s.drugCode,
        genericName: s.genericName,
        atc: s.atc,
        route: s.route,
        ingredients: ingredientsFromColumn(s.ingredients),
        startDate: s.startDate,
        days: s.days,
      }),
    ),
    lastLongPrescription: last ? { prescriptionId: last.id, writtenAt: last.writtenAt, firstIssue: last.firstIssue ?? false } : null,
    ...reference,
    formularyVersion: referenceRows[0]?.formularyVersion ?? 0,
  };
}

/**
 * Assembles the rule context in ONE D1 round trip (a batch of seven reads), whatever the
 * number of items: the prescriber and institution, the patient's record, every version of
 * the drafted codes, the active supply and last long prescription across the consortium,
 * and the formulary version with the reference data (interactions, specialty relations,
 * consortium policy) unless this isolate holds it. `extra` reads ride in the same batch
 * (signing reads the pharmacies for routing there) and come back typed.
 */
export async function loadRuleContext<E extends readonly BatchItem<"sqlite">[] = []>(
  db: Db,
  q: RuleContextQuery,
  ...extra: E
): Promise<{ stored: StoredContext; extra: BatchResponse<E> }> {
  const held = heldReferenceData();
  const [r0, r1, r2, r3, r4, r5, r6, ...rest] = await db.batch([...ruleContextQueries(db, q, held), ...extra]);
  return { stored: toStoredContext([r0, r1, r2, r3, r4, r5, r6], q.date, held), extra: rest };
}
