import { auditStatement } from "../audit/audit.repo";
import type { Ctx } from "../context";
import { isGuardFailure } from "../db/guard";
import { ApiError } from "../errors/problem";
import { addDays, chinaDate } from "../lib/clock";
import { allergiesQuery, eventsQuery, expectPatientReadable } from "../members/members.repo";
import type { PatientEvent } from "../members/members.schemas";
import { ageOn, clinicalStatusOf } from "../members/patient-view";
import { loadPatientAsMember, toAllergy, toCondition, toEvent } from "../members/patients.service";
import { readSignedContent } from "../signing/signed-content";
import {
  activeSupplyQuery,
  conditionsWithDiagnosticianQuery,
  lastLongItemsQuery,
  lastLongPrescriptionQuery,
  patientWithFamilyDoctorQuery,
} from "./follow-up.repo";
import type { LastLongPrescription, PatientOverview } from "./follow-up.schemas";

/** Whole days from `from` to `to` (both YYYY-MM-DD): negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** The China date of an event: stored as a date, or as a UTC date-time. */
function chinaDayOf(at: string): string {
  return at.length === 10 ? at : chinaDate(new Date(at));
}

/**
 * DOMAIN.md "Who sees what": a prescription is opened by doctors of the institution that
 * wrote it and by admins; everyone else learns only what it supplies.
 */
function visibleId(ctx: Ctx, prescriptionId: string, institutionId: string): string | null {
  return ctx.actor.role === "admin" || ctx.actor.org === institutionId ? prescriptionId : null;
}

/** Only on failure: which check failed (membership first, so non-members learn nothing about ids). */
async function explainUnreadable(ctx: Ctx, patientId: string, err: unknown): Promise<never> {
  if (!isGuardFailure(err)) throw err;
  await loadPatientAsMember(ctx, patientId);
  throw new ApiError("not-found", `no patient ${patientId}`);
}

/**
 * The patient at a glance in ONE round trip, the way readPatient reads the record: the
 * guard first (an unknown patient or a non-member doctor rolls the whole batch back), the
 * audit row, then every read. The audit row therefore exists exactly when the record was
 * read. Reads every member institution's supply; prescription ids only where visible.
 */
export async function readOverview(ctx: Ctx, patientId: string): Promise<PatientOverview> {
  const today = chinaDate(ctx.now);
  const [, , found, conditions, allergies, eventRows, supply, lastLongRows, lastLongItems] = await ctx.db
    .batch([
      expectPatientReadable(ctx.db, patientId, ctx.actor),
      auditStatement(ctx, { action: "patient.overview.read", entityType: "patient", entityId: patientId }),
      patientWithFamilyDoctorQuery(ctx.db, patientId),
      conditionsWithDiagnosticianQuery(ctx.db, patientId),
      allergiesQuery(ctx.db, patientId),
      eventsQuery(ctx.db, patientId),
      activeSupplyQuery(ctx.db, patientId, today),
      lastLongPrescriptionQuery(ctx.db, patientId),
      lastLongItemsQuery(ctx.db, patientId),
    ])
    .catch((err: unknown) => explainUnreadable(ctx, patientId, err));
  const row = found[0];
  if (!row) throw new ApiError("not-found", `no patient ${patientId}`);
  const { patient } = row;

  const events = eventRows.map(toEvent);
  const last = lastLongRows[0];
  let lastLongPrescription: LastLongPrescription | null = null;
  let triggers: PatientEvent[] = [];
  if (last) {
    const writtenOn = chinaDayOf(last.writtenAt);
    const content = readSignedContent(last.content);
    lastLongPrescription = {
      prescriptionId: visibleId(ctx, last.id, last.institutionId),
      writtenAt: last.writtenAt,
      institutionId: last.institutionId,
      institutionName: last.institutionName ?? last.institutionId,
      prescriberName: last.prescriberName ?? "",
      days: last.days,
      endDate: last.endDate ?? addDays(writtenOn, last.days),
      diagnoses: content?.diagnoses ?? [],
      items: lastLongItems,
    };
    triggers = events.filter((e) => chinaDayOf(e.at) > writtenOn);
  }
  const dueOn = last?.supplyEnd ?? null;

  return {
    patient: {
      id: patient.id,
      name: patient.name,
      pinyin: patient.pinyin,
      gender: patient.gender as PatientOverview["patient"]["gender"],
      birthDate: patient.birthDate,
      age: ageOn(patient.birthDate, today),
      phone: patient.phone,
      familyDoctor:
        patient.familyDoctorId && row.doctorName && row.doctorInstitutionId
          ? { id: patient.familyDoctorId, name: row.doctorName, institutionId: row.doctorInstitutionId, institutionName: row.doctorInstitutionName ?? row.doctorInstitutionId }
          : null,
      ...clinicalStatusOf(patient),
    },
    conditions: conditions.map(({ condition, diagnosedByName, diagnosedByInstitutionName }) => ({ ...toCondition(condition), diagnosedByName, diagnosedByInstitutionName })),
    allergies: allergies.map(toAllergy),
    events,
    supply: supply.map((line) => ({
      drugCode: line.drugCode,
      genericName: line.genericName,
      institutionId: line.institutionId,
      institutionName: line.institutionName ?? line.institutionId,
      prescriptionId: visibleId(ctx, line.prescriptionId, line.institutionId),
      kind: line.kind,
      startDate: line.startDate,
      endDate: line.endDate,
      daysLeft: daysBetween(today, line.endDate),
    })),
    lastLongPrescription,
    reassessment: { due: triggers.length > 0, triggers },
    renewal: { dueOn, daysLeft: dueOn === null ? null : daysBetween(today, dueOn) },
  };
}
