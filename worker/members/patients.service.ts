import { newId } from "../lib/ids";
import { auditStatement } from "../audit/audit.repo";
import type { Ctx } from "../context";
import { commitGuarded, expectChanged, isGuardFailure } from "../db/guard";
import { ApiError } from "../errors/problem";
import { pinyinInitials } from "../formulary/formulary.search";
import { chinaDate } from "../lib/clock";
import {
  type AllergyRow,
  allergiesQuery,
  type ConditionRow,
  conditionQuery,
  diagnosingInstitutionQuery,
  conditionsQuery,
  type EventRow,
  eventsQuery,
  expectMember,
  expectPatientReadable,
  insertAllergy,
  insertCondition,
  insertEvent,
  insertPatient,
  isDuplicateId,
  membershipQuery,
  type PatientRow,
  type PatientSearch,
  patientQuery,
  practitionerQuery,
  searchPatients,
  updateConditionIfUnchanged,
  type PatientChangeable,
  updatePatientIfUnchanged,
} from "./members.repo";
import type {
  Allergy,
  AllergyInput,
  Condition,
  ConditionInput,
  ConditionPatch,
  EventInput,
  Patient,
  PatientDetails,
  PatientEvent,
  PatientInput,
  PatientPatch,
  PatientSummary,
} from "./members.schemas";
import { ageOn, clinicalStatusOf, maskPhone } from "./patient-view";

/*
 * Patients belong to the consortium: admins and the doctors of every member institution
 * read and add to the shared record, and every read and write leaves an audit row. Audit
 * rows name the patient by id only; the clinical facts written are recorded, the name never.
 */

const PATIENT = "patient";

/**
 * Search results carry the phone masked only: a name prefix should not list phone numbers.
 * Age on `today` (China date).
 */
function toSummary({ phone, egfr: _e, egfrOn: _eOn, pregnancy: _p, pregnancyOn: _pOn, ...row }: PatientRow, today: string): PatientSummary {
  return { ...row, gender: row.gender as PatientSummary["gender"], age: ageOn(row.birthDate, today), phoneMasked: maskPhone(phone) };
}

function toDetails(row: PatientRow, today: string): PatientDetails {
  return { ...toSummary(row, today), phone: row.phone, ...clinicalStatusOf(row) };
}

type ClinicalStatus = Pick<PatientRow, "egfr" | "egfrOn" | "pregnancy" | "pregnancyOn">;
type ClinicalStatusInput = Pick<PatientPatch, "egfr" | "egfrOn" | "pregnancy" | "pregnancyOn">;

/** A record date the clinic wrote: not after today, not before the patient was born (400 otherwise, as birth and diagnosis dates). */
function checkRecordDate(path: string, date: string, patient: { birthDate: string }, today: string): string {
  if (date > today) throw invalid(path, "is in the future");
  if (date < patient.birthDate) throw invalid(path, "is before the patient's birth date");
  return date;
}

/**
 * The eGFR and pregnancy status after `input` (absent: unchanged; null: removed with its
 * date; a value: dated by its own date, else today). A pregnancy or lactation status is a
 * female patient's only: 422 for a male patient, whose record cannot hold one.
 */
function nextClinicalStatus(input: ClinicalStatusInput, patient: ClinicalStatus & { gender: string; birthDate: string }, today: string): ClinicalStatus {
  const next: ClinicalStatus = { egfr: patient.egfr, egfrOn: patient.egfrOn, pregnancy: patient.pregnancy, pregnancyOn: patient.pregnancyOn };
  if (input.egfr === null) Object.assign(next, { egfr: null, egfrOn: null });
  else if (input.egfr !== undefined) Object.assign(next, { egfr: input.egfr, egfrOn: checkRecordDate("egfrOn", input.egfrOn ?? today, patient, today) });
  if (input.pregnancy === null) Object.assign(next, { pregnancy: null, pregnancyOn: null });
  else if (input.pregnancy !== undefined) {
    if (patient.gender !== "female") {
      throw new ApiError("unprocessable", "a pregnancy or lactation status applies to female patients only", [{ path: "pregnancy", message: "the patient is not female" }]);
    }
    Object.assign(next, { pregnancy: input.pregnancy, pregnancyOn: checkRecordDate("pregnancyOn", input.pregnancyOn ?? today, patient, today) });
  }
  return next;
}

export function toCondition({ patientId: _p, ...row }: ConditionRow): Condition {
  return row;
}

export function toAllergy({ patientId: _p, ...row }: AllergyRow): Allergy {
  return row;
}

export function toEvent({ patientId: _p, ...row }: EventRow): PatientEvent {
  return { ...row, type: row.type as PatientEvent["type"] };
}

function invalid(path: string, message: string): ApiError {
  return new ApiError("validation-failed", `Invalid ${path}`, [{ path, message }]);
}

/**
 * A doctor works on patient records as a registered practitioner of the institution the
 * token names; checked before anything about the patient is revealed.
 */
export function notAMember(ctx: Ctx): ApiError {
  return new ApiError("forbidden", `${ctx.actor.sub} is not a registered practitioner of member institution ${ctx.actor.org}`);
}

function assertMember(ctx: Ctx, membership: { id: string }[]): void {
  if (ctx.actor.role === "doctor" && membership.length === 0) throw notAMember(ctx);
}

/** The patient, checked together with the caller's membership in one round trip (403 before 404). */
export async function loadPatientAsMember(ctx: Ctx, patientId: string): Promise<PatientRow> {
  const [membership, patient] = await ctx.db.batch([membershipQuery(ctx.db, ctx.actor), patientQuery(ctx.db, patientId)]);
  assertMember(ctx, membership);
  if (!patient[0]) throw new ApiError("not-found", `no patient ${patientId}`);
  return patient[0];
}

export async function createPatient(ctx: Ctx, input: PatientInput): Promise<PatientDetails> {
  const today = chinaDate(ctx.now);
  if (input.birthDate > today) throw invalid("birthDate", "is in the future");
  const { egfr, egfrOn, pregnancy, pregnancyOn, ...identity } = input;
  const none: ClinicalStatus = { egfr: null, egfrOn: null, pregnancy: null, pregnancyOn: null };
  const status = nextClinicalStatus({ egfr, egfrOn, pregnancy, pregnancyOn }, { ...identity, ...none }, today);
  const row: PatientRow = { ...identity, phone: input.phone ?? null, pinyin: pinyinInitials(input.name), familyDoctorId: null, ...status, createdAt: ctx.now.toISOString() };
  // the clinical facts written are recorded, as conditions are; the name and phone never
  const clinical = { ...(status.egfr !== null ? { egfr: status.egfr, egfrOn: status.egfrOn } : {}), ...(status.pregnancy !== null ? { pregnancy: status.pregnancy, pregnancyOn: status.pregnancyOn } : {}) };
  try {
    await ctx.db.batch([
      expectMember(ctx.db, ctx.actor),
      insertPatient(ctx.db, row),
      auditStatement(ctx, { action: "patient.create", entityType: PATIENT, entityId: row.id, after: { gender: row.gender, birthDate: row.birthDate, hasPhone: row.phone !== null, ...clinical } }),
    ]);
  } catch (err) {
    if (isGuardFailure(err)) throw notAMember(ctx);
    if (isDuplicateId(err, "patients")) throw new ApiError("already-exists", `patient ${row.id} already exists`);
    throw err;
  }
  return toDetails(row, chinaDate(ctx.now));
}

/**
 * The contact phone, the contracted family doctor, the eGFR and the pregnancy status (null
 * removes any; see nextClinicalStatus). The family
 * doctor must be a registered practitioner (any member institution: 422 otherwise); the
 * patient, the caller's membership and that practitioner are read in one round trip. The
 * audit rows say whether a phone was set before and after, never the number (contact data,
 * not a clinical fact), and name the family doctors by practitioner id.
 */
export async function patchPatient(ctx: Ctx, id: string, patch: PatientPatch): Promise<PatientDetails> {
  const today = chinaDate(ctx.now);
  const doctorId = patch.familyDoctorId ?? null;
  const [membership, patient, doctor] = await ctx.db.batch([
    membershipQuery(ctx.db, ctx.actor),
    patientQuery(ctx.db, id),
    // an id that matches nobody when no doctor is asked for: the batch keeps one shape
    practitionerQuery(ctx.db, doctorId ?? ""),
  ]);
  assertMember(ctx, membership);
  const before = patient[0];
  if (!before) throw new ApiError("not-found", `no patient ${id}`);
  if (doctorId !== null && !doctor[0]) {
    throw new ApiError("unprocessable", `no practitioner ${doctorId}`, [{ path: "familyDoctorId", message: "not a registered practitioner" }]);
  }
  const next: PatientChangeable = {
    phone: patch.phone === undefined ? before.phone : patch.phone,
    familyDoctorId: patch.familyDoctorId === undefined ? before.familyDoctorId : patch.familyDoctorId,
    ...nextClinicalStatus(patch, before, today),
  };
  const audits = [];
  if (next.phone !== before.phone) {
    audits.push(auditStatement(ctx, { action: "patient.phone.update", entityType: PATIENT, entityId: id, before: { hasPhone: before.phone !== null }, after: { hasPhone: next.phone !== null } }));
  }
  if (next.familyDoctorId !== before.familyDoctorId) {
    audits.push(
      auditStatement(ctx, { action: "patient.family-doctor.update", entityType: PATIENT, entityId: id, before: { familyDoctorId: before.familyDoctorId }, after: { familyDoctorId: next.familyDoctorId } }),
    );
  }
  if (next.egfr !== before.egfr || next.egfrOn !== before.egfrOn) {
    audits.push(
      auditStatement(ctx, { action: "patient.egfr.update", entityType: PATIENT, entityId: id, before: { egfr: before.egfr, egfrOn: before.egfrOn }, after: { egfr: next.egfr, egfrOn: next.egfrOn } }),
    );
  }
  if (next.pregnancy !== before.pregnancy || next.pregnancyOn !== before.pregnancyOn) {
    audits.push(
      auditStatement(ctx, {
        action: "patient.pregnancy.update",
        entityType: PATIENT,
        entityId: id,
        before: { pregnancy: before.pregnancy, pregnancyOn: before.pregnancyOn },
        after: { pregnancy: next.pregnancy, pregnancyOn: next.pregnancyOn },
      }),
    );
  }
  if (audits.length === 0) return toDetails(before, today);
  await commitGuarded(
    ctx.db,
    [updatePatientIfUnchanged(ctx.db, before, next), expectChanged(ctx.db), ...audits],
    `patient ${id} was changed concurrently; reload it`,
  );
  return toDetails({ ...before, ...next }, today);
}

/**
 * The whole record in ONE round trip: a guard first (unknown patient or a non-member
 * doctor rolls the batch back), then the audit row, then the reads. The audit row
 * therefore exists exactly when the record was read.
 */
export async function readPatient(ctx: Ctx, id: string): Promise<Patient> {
  try {
    const [, , patient, conditions, allergies, events] = await ctx.db.batch([
      expectPatientReadable(ctx.db, id, ctx.actor),
      auditStatement(ctx, { action: "patient.read", entityType: PATIENT, entityId: id }),
      patientQuery(ctx.db, id),
      conditionsQuery(ctx.db, id),
      allergiesQuery(ctx.db, id),
      eventsQuery(ctx.db, id),
    ]);
    const row = patient[0];
    if (!row) throw new ApiError("not-found", `no patient ${id}`);
    return { ...toDetails(row, chinaDate(ctx.now)), conditions: conditions.map(toCondition), allergies: allergies.map(toAllergy), events: events.map(toEvent) };
  } catch (err) {
    if (!isGuardFailure(err)) throw err;
    // Only on failure: find out which check failed (membership first, so non-members learn nothing about ids).
    await loadPatientAsMember(ctx, id);
    throw new ApiError("not-found", `no patient ${id}`);
  }
}

/**
 * Search by exact id, name prefix, pinyin initials or phone prefix. The audit row lists the
 * ids shown, never the query: a name prefix or phone digits are patient data.
 */
export async function findPatients(ctx: Ctx, search: PatientSearch): Promise<PatientSummary[]> {
  // full-width letters and digits from a Chinese input method match like ASCII ones
  const q = search.q.normalize("NFKC");
  const [membership, rows] = await ctx.db.batch([membershipQuery(ctx.db, ctx.actor), searchPatients(ctx.db, { ...search, q, limit: search.limit + 1 })]);
  assertMember(ctx, membership);
  const shown = rows.slice(0, search.limit).map((r) => r.id);
  await auditStatement(ctx, { action: "patient.search", entityType: "patient_search", entityId: ctx.requestId, after: { resultIds: shown } });
  const today = chinaDate(ctx.now);
  return rows.map((row) => toSummary(row, today));
}

export async function addCondition(ctx: Ctx, patientId: string, input: ConditionInput): Promise<Condition> {
  if (input.diagnosedAt > chinaDate(ctx.now)) throw invalid("diagnosedAt", "is in the future");
  const [membership, patient, diagnostician] = await ctx.db.batch([
    membershipQuery(ctx.db, ctx.actor),
    patientQuery(ctx.db, patientId),
    practitionerQuery(ctx.db, input.diagnosedBy),
  ]);
  assertMember(ctx, membership);
  const record = patient[0];
  if (!record) throw new ApiError("not-found", `no patient ${patientId}`);
  if (input.diagnosedAt < record.birthDate) throw invalid("diagnosedAt", "is before the patient's birth date");
  if (!diagnostician[0]) {
    throw new ApiError("unprocessable", `no practitioner ${input.diagnosedBy}`, [{ path: "diagnosedBy", message: "not a registered practitioner" }]);
  }
  // recorded graded is the same judgement as re-grading it so (patchCondition): only the diagnosing institution's doctors make it
  if ((input.stable || input.chronic) && !gradesHere(ctx, diagnostician[0].institutionId)) throw gradingForbidden();
  const row: ConditionRow = { id: newId("pc", ctx.now), patientId, ...input };
  const condition = toCondition(row);
  await ctx.db.batch([
    insertCondition(ctx.db, row),
    auditStatement(ctx, { action: "patient.condition.add", entityType: PATIENT, entityId: patientId, after: condition }),
  ]);
  return condition;
}

/** Whether the caller is a doctor of the institution that diagnosed a condition (who alone may grade it stable or chronic). */
function gradesHere(ctx: Ctx, diagnosingInstitutionId: string | undefined): boolean {
  return ctx.actor.role === "doctor" && diagnosingInstitutionId === ctx.actor.org;
}

function gradingForbidden(): ApiError {
  return new ApiError("forbidden", "only doctors of the institution that diagnosed this condition may grade it stable or chronic");
}

/**
 * Doctors re-grade a condition (stable, chronic); the long-prescription rules read both.
 * Grading it stable or chronic opens long prescriptions for it: that clinical judgement
 * belongs to the doctors of the institution that diagnosed it (403 for anyone else, admins
 * included). Grading it not stable or not chronic only tightens the rules, so any member
 * doctor may record it, as they may record a re-assessment event.
 */
export async function patchCondition(ctx: Ctx, patientId: string, conditionId: string, patch: ConditionPatch): Promise<Condition> {
  const [membership, found, diagnosing] = await ctx.db.batch([
    membershipQuery(ctx.db, ctx.actor),
    conditionQuery(ctx.db, patientId, conditionId),
    diagnosingInstitutionQuery(ctx.db, patientId, conditionId),
  ]);
  assertMember(ctx, membership);
  const before = found[0];
  if (!before) throw new ApiError("not-found", `no condition ${conditionId} on patient ${patientId}`);
  const next = { stable: patch.stable ?? before.stable, chronic: patch.chronic ?? before.chronic };
  if (next.stable === before.stable && next.chronic === before.chronic) return toCondition(before);
  const relaxes = (next.stable && !before.stable) || (next.chronic && !before.chronic);
  if (relaxes && !gradesHere(ctx, diagnosing[0]?.institutionId)) throw gradingForbidden();
  try {
    await ctx.db.batch([
      updateConditionIfUnchanged(ctx.db, before, next),
      expectChanged(ctx.db),
      auditStatement(ctx, {
        action: "patient.condition.update",
        entityType: PATIENT,
        entityId: patientId,
        before: { conditionId, stable: before.stable, chronic: before.chronic },
        after: { conditionId, ...next },
      }),
    ]);
  } catch (err) {
    if (isGuardFailure(err)) throw new ApiError("conflict", `condition ${conditionId} was changed concurrently; reload it`);
    throw err;
  }
  return toCondition({ ...before, ...next });
}

export async function addAllergy(ctx: Ctx, patientId: string, input: AllergyInput): Promise<Allergy> {
  await loadPatientAsMember(ctx, patientId);
  const row: AllergyRow = { id: newId("pa", ctx.now), patientId, substance: input.substance, atcPrefix: input.atcPrefix ?? null, reaction: input.reaction ?? null };
  const allergy = toAllergy(row);
  await ctx.db.batch([
    insertAllergy(ctx.db, row),
    auditStatement(ctx, { action: "patient.allergy.add", entityType: PATIENT, entityId: patientId, after: allergy }),
  ]);
  return allergy;
}

/** A re-assessment trigger for long prescriptions; it cannot lie in the future. */
export async function addEvent(ctx: Ctx, patientId: string, input: EventInput): Promise<PatientEvent> {
  const future = input.at.length === 10 ? input.at > chinaDate(ctx.now) : Date.parse(input.at) > ctx.now.getTime();
  if (future) throw invalid("at", "is in the future");
  await loadPatientAsMember(ctx, patientId);
  const row: EventRow = { id: newId("pe", ctx.now), patientId, ...input };
  const event = toEvent(row);
  await ctx.db.batch([
    insertEvent(ctx.db, row),
    auditStatement(ctx, { action: "patient.event.add", entityType: PATIENT, entityId: patientId, after: event }),
  ]);
  return event;
}
