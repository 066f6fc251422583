import { and, asc, eq, gt, type SQL, sql } from "drizzle-orm";
import type { AnySQLiteColumn } from "drizzle-orm/sqlite-core";
import { auditEvents, institutions, patientConditions, prescriptionItems, prescriptions, patients, practitioners } from "../../schema";
import type { Ctx } from "../context";
import type { Db } from "../db/index";

/*
 * The follow-up's reads. Two definitions are shared by the patient's overview and the due
 * list, so both always agree:
 * - the LAST LONG PRESCRIPTION: the patient's most recent long prescription that is signed
 *   or completed (not cancelled, not replaced), any member institution;
 * - the SUPPLY END: the latest end date (first day no longer covered) of the patient's
 *   active long-prescription supply lines, any member institution: when the patient runs
 *   out and needs a renewal.
 * Both are correlated subqueries on the patient's own index ranges (prescriptions_patient,
 * prescription_items_supply), so their cost is per patient, never per table.
 */

/** The id of the patient's last long prescription (see above); `patientId` is an SQL expression. */
function lastLongIdOf(patientId: SQL): SQL {
  return sql`(SELECT lp.id FROM prescriptions lp
     WHERE lp.patient_id = ${patientId} AND lp.kind = 'long_term' AND lp.status IN ('signed', 'completed')
     ORDER BY lp.written_at DESC, lp.id DESC LIMIT 1)`;
}

/** The patient's supply end (see above): walks prescription_items_supply backwards from the latest end date. */
function supplyEndOf(patientId: SQL): SQL {
  return sql`(SELECT si.end_date FROM prescription_items si JOIN prescriptions sp ON sp.id = si.prescription_id
     WHERE si.patient_id = ${patientId} AND si.active = 1 AND sp.kind = 'long_term'
     ORDER BY si.end_date DESC LIMIT 1)`;
}

// ---------------------------------------------------------------------------------------
// The patient at a glance (one batch with the guard and the audit row: overview.service)
// ---------------------------------------------------------------------------------------

/**
 * A column of a joined table under its own name: D1 answers a batch with rows keyed by
 * column name, so patients.name and practitioners.name would overwrite each other.
 */
function named<T>(column: SQL | AnySQLiteColumn, alias: string) {
  return sql<T>`${column}`.as(alias);
}

/** The patient with their contracted family doctor and that doctor's institution. */
export function patientWithFamilyDoctorQuery(db: Db, patientId: string) {
  return db
    .select({
      patient: patients,
      doctorName: named<string | null>(practitioners.name, "doctor_name"),
      doctorInstitutionId: named<string | null>(practitioners.institutionId, "doctor_institution_id"),
      doctorInstitutionName: named<string | null>(institutions.name, "doctor_institution_name"),
    })
    .from(patients)
    .leftJoin(practitioners, eq(practitioners.id, patients.familyDoctorId))
    .leftJoin(institutions, eq(institutions.id, practitioners.institutionId))
    .where(eq(patients.id, patientId))
    .limit(1);
}

/** Conditions with who diagnosed them and where (the diagnostician may have left: left joins). */
export function conditionsWithDiagnosticianQuery(db: Db, patientId: string) {
  return db
    .select({
      condition: patientConditions,
      diagnosedByName: named<string | null>(practitioners.name, "diagnosed_by_name"),
      diagnosedByInstitutionName: named<string | null>(institutions.name, "diagnosed_by_institution_name"),
    })
    .from(patientConditions)
    .leftJoin(practitioners, eq(practitioners.id, patientConditions.diagnosedBy))
    .leftJoin(institutions, eq(institutions.id, practitioners.institutionId))
    .where(eq(patientConditions.patientId, patientId))
    .orderBy(asc(patientConditions.diagnosedAt), asc(patientConditions.id));
}

/** Active supply lines still covering `today` or later (a range on prescription_items_supply), soonest end first. */
export function activeSupplyQuery(db: Db, patientId: string, today: string) {
  return db
    .select({
      drugCode: prescriptionItems.drugCode,
      genericName: prescriptionItems.genericName,
      institutionId: prescriptionItems.institutionId,
      institutionName: named<string | null>(institutions.name, "institution_name"),
      prescriptionId: prescriptionItems.prescriptionId,
      kind: prescriptions.kind,
      startDate: prescriptionItems.startDate,
      endDate: prescriptionItems.endDate,
    })
    .from(prescriptionItems)
    .innerJoin(prescriptions, eq(prescriptions.id, prescriptionItems.prescriptionId))
    .leftJoin(institutions, eq(institutions.id, prescriptionItems.institutionId))
    .where(and(eq(prescriptionItems.patientId, patientId), gt(prescriptionItems.endDate, today), eq(prescriptionItems.active, true)))
    .orderBy(asc(prescriptionItems.endDate), asc(prescriptionItems.genericName), asc(prescriptionItems.prescriptionId), asc(prescriptionItems.idx));
}

/** The last long prescription with its institution, prescriber, its own supply end and the patient's supply end. */
export function lastLongPrescriptionQuery(db: Db, patientId: string) {
  return db
    .select({
      id: prescriptions.id,
      writtenAt: prescriptions.writtenAt,
      institutionId: prescriptions.institutionId,
      institutionName: named<string | null>(institutions.name, "institution_name"),
      prescriberName: named<string | null>(practitioners.name, "prescriber_name"),
      days: prescriptions.days,
      content: prescriptions.content,
      endDate: named<string | null>(sql`(SELECT max(own.end_date) FROM prescription_items own WHERE own.prescription_id = ${prescriptions.id} AND own.active = 1)`, "own_end_date"),
      supplyEnd: named<string | null>(supplyEndOf(sql`${patientId}`), "supply_end"),
    })
    .from(prescriptions)
    .leftJoin(institutions, eq(institutions.id, prescriptions.institutionId))
    .leftJoin(practitioners, eq(practitioners.id, prescriptions.prescriberId))
    .where(eq(prescriptions.id, lastLongIdOf(sql`${patientId}`)))
    .limit(1);
}

/** The items of the last long prescription, in prescription order. */
export function lastLongItemsQuery(db: Db, patientId: string) {
  return db
    .select({ drugCode: prescriptionItems.drugCode, genericName: prescriptionItems.genericName })
    .from(prescriptionItems)
    .where(eq(prescriptionItems.prescriptionId, lastLongIdOf(sql`${patientId}`)))
    .orderBy(asc(prescriptionItems.idx));
}

// ---------------------------------------------------------------------------------------
// The due list
// ---------------------------------------------------------------------------------------

export interface DueWindow {
  /** China date */
  today: string;
  /** last day a supply end counts as "ending" (today + withinDays) */
  horizon: string;
  /** first day a supply end counts as "lapsed" (today − 30) */
  lapsedFrom: string;
}

/**
 * Per candidate patient (a subquery yielding `patient_id`): the last long prescription, the
 * supply end, the first re-assessment trigger on a China date after that prescription's
 * (an event's `at` is a date or a UTC date-time: date(…, '+8 hours') is its China date
 * either way), whether the supply is ending within the window or lapsed within 30 days,
 * and `due_on`: the earlier of the supply end (when ending or lapsed) and the trigger day,
 * NULL when the patient is not due.
 *
 * The steps are MATERIALIZED: flattened, SQLite would copy each correlated subquery into
 * every expression that names its column and run it once per mention (a dozen times per
 * patient instead of once).
 */
function dueFacts(candidates: SQL, w: DueWindow): SQL {
  return sql`
    WITH latest AS MATERIALIZED (
      SELECT c.patient_id, ${lastLongIdOf(sql`c.patient_id`)} AS last_long_id, ${supplyEndOf(sql`c.patient_id`)} AS supply_end
      FROM (${candidates}) c
    ),
    judged AS MATERIALIZED (
      SELECT l.patient_id, l.last_long_id, l.supply_end,
             (SELECT min(date(e.at, '+8 hours')) FROM patient_events e
               WHERE e.patient_id = l.patient_id AND date(e.at, '+8 hours') > date(lrx.written_at, '+8 hours')) AS trigger_on,
             coalesce(l.supply_end >= ${w.today} AND l.supply_end <= ${w.horizon}, 0) AS ending,
             coalesce(l.supply_end >= ${w.lapsedFrom} AND l.supply_end < ${w.today}, 0) AS lapsed
      FROM latest l LEFT JOIN prescriptions lrx ON lrx.id = l.last_long_id
    )
    SELECT patient_id, last_long_id, supply_end, trigger_on, ending, lapsed,
           CASE WHEN ending OR lapsed THEN coalesce(min(supply_end, trigger_on), supply_end) ELSE trigger_on END AS due_on
    FROM judged`;
}

/**
 * "My patients": contracted to me as family doctor (patients_family_doctor) or given a long
 * prescription by me that was not cancelled (prescriptions_prescriber); UNION dedupes.
 */
function myPatients(doctorId: string): SQL {
  return sql`
    SELECT id AS patient_id FROM patients WHERE family_doctor_id = ${doctorId}
    UNION
    SELECT patient_id FROM prescriptions WHERE prescriber_id = ${doctorId} AND kind = 'long_term' AND status <> 'cancelled'`;
}

export interface DuePageRequest {
  window: DueWindow;
  limit: number;
  after?: { dueOn: string; patientId: string };
}

export const DUE_AUDIT_ACTION = "follow-up.due.list";

/**
 * The due list's page, computed ONCE, inside the audit row: the row lists the ids of the
 * page (at most `limit`, oldest due first, after the keyset cursor) and whether more follow.
 * dueListQuery, next in the same batch, reads the page back from that row, so what is
 * shown is by construction what was audited, and the whole list is ranked only once.
 */
export function auditDuePage(ctx: Ctx, req: DuePageRequest) {
  const after = req.after ? sql`(due_on, patient_id) > (${req.after.dueOn}, ${req.after.patientId})` : sql`1`;
  const a = ctx.actor;
  return ctx.db.insert(auditEvents).select(sql`
    SELECT NULL, ${ctx.now.toISOString()}, ${a.sub}, ${a.role}, ${a.org}, ${DUE_AUDIT_ACTION}, 'follow_up_due', ${ctx.requestId}, NULL,
           json_object('resultIds', json_group_array(patient_id) FILTER (WHERE n <= ${req.limit}), 'more', count(*) > ${req.limit}),
           ${ctx.requestId}
    FROM (
      SELECT patient_id, row_number() OVER (ORDER BY due_on, patient_id) AS n
      FROM (${dueFacts(myPatients(a.sub), req.window)})
      WHERE due_on IS NOT NULL AND ${after}
      ORDER BY due_on, patient_id
      LIMIT ${req.limit + 1}
    )`);
}

/** The audit row auditDuePage just wrote in this batch (last_insert_rowid is per connection; the request id double-checks). */
function duePageRow(requestId: string): SQL {
  return sql`(SELECT after FROM audit_events WHERE id = last_insert_rowid() AND request_id = ${requestId} AND action = ${DUE_AUDIT_ACTION})`;
}

/**
 * The rows of the page auditDuePage recorded, recomputed for those few patients only, with
 * what the list shows of each: name, gender, birth date, the last long prescription
 * (when, where, how long) and its drugs. `more` repeats on every row. Every column has its
 * own alias: D1 returns rows keyed by column name, and pt.name and inst.name would collide.
 */
export function dueListQuery(db: Db, requestId: string, window: DueWindow) {
  const shown = sql`SELECT value AS patient_id FROM json_each(json_extract(${duePageRow(requestId)}, '$.resultIds'))`;
  return db
    .select({
      patientId: sql<string>`d.patient_id`.as("patient_id"),
      name: sql<string>`pt.name`.as("name"),
      gender: sql<string>`pt.gender`.as("gender"),
      birthDate: sql<string>`pt.birth_date`.as("birth_date"),
      dueOn: sql<string>`d.due_on`.as("due_on"),
      ending: sql<number>`d.ending`.as("ending"),
      lapsed: sql<number>`d.lapsed`.as("lapsed"),
      triggerOn: sql<string | null>`d.trigger_on`.as("trigger_on"),
      writtenAt: sql<string | null>`lrx.written_at`.as("written_at"),
      institutionName: sql<string | null>`inst.name`.as("institution_name"),
      days: sql<number | null>`lrx.days`.as("days"),
      drugs: sql<string>`(SELECT json_group_array(generic_name) FROM (SELECT generic_name FROM prescription_items WHERE prescription_id = d.last_long_id ORDER BY idx))`.as("drugs"),
      more: sql<number>`json_extract(${duePageRow(requestId)}, '$.more')`.as("more"),
    })
    .from(sql`(${dueFacts(shown, window)}) d
      JOIN patients pt ON pt.id = d.patient_id
      LEFT JOIN prescriptions lrx ON lrx.id = d.last_long_id
      LEFT JOIN institutions inst ON inst.id = lrx.institution_id`)
    .orderBy(sql`d.due_on`, sql`d.patient_id`);
}
