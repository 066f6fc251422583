import { z } from "@hono/zod-openapi";
import { PRESCRIPTION_KINDS } from "../../schema/enums";
import { Allergy, Condition, Gender, PatientClinicalStatus, PatientEvent } from "../members/members.schemas";
import { PageMeta, PageQuery } from "../http/pagination";

/*
 * The doctor's follow-up (issue 8): the patient at a glance and the due list. A prescription
 * id is shown only to who may open it (DOMAIN.md "Who sees what": the writing institution's
 * doctors and admins); every other doctor still sees the supply it covers, because seeing
 * across institutions is the point of a shared platform.
 */

const VisiblePrescriptionId = z
  .string()
  .nullable()
  .openapi({ description: "null unless the caller may open that prescription: a doctor of the institution that wrote it, or an admin" });

const ChinaDate = z.string().openapi({ example: "2026-11-20", description: "a China date (YYYY-MM-DD)" });

export const FamilyDoctor = z
  .object({ id: z.string(), name: z.string(), institutionId: z.string(), institutionName: z.string() })
  .openapi("FamilyDoctor");

export const OverviewCondition = Condition.extend({
  diagnosedByName: z.string().nullable(),
  diagnosedByInstitutionName: z.string().nullable(),
}).openapi("OverviewCondition");
export type OverviewCondition = z.infer<typeof OverviewCondition>;

export const SupplyLine = z
  .object({
    drugCode: z.string(),
    genericName: z.string(),
    institutionId: z.string(),
    institutionName: z.string(),
    prescriptionId: VisiblePrescriptionId,
    kind: z.enum(PRESCRIPTION_KINDS),
    startDate: ChinaDate,
    endDate: ChinaDate.openapi({ description: "the first day no longer covered" }),
    daysLeft: z.number().int().openapi({ description: "days still covered from today on (endDate − today)" }),
  })
  .openapi("SupplyLine");
export type SupplyLine = z.infer<typeof SupplyLine>;

export const LastLongPrescription = z
  .object({
    prescriptionId: VisiblePrescriptionId,
    writtenAt: z.string(),
    institutionId: z.string(),
    institutionName: z.string(),
    prescriberName: z.string(),
    days: z.number().int(),
    endDate: ChinaDate.openapi({ description: "when its supply runs out (the first day no longer covered)" }),
    diagnoses: z.array(z.object({ icd10: z.string(), name: z.string().optional() })),
    items: z.array(z.object({ drugCode: z.string(), genericName: z.string() })),
  })
  .openapi("LastLongPrescription");
export type LastLongPrescription = z.infer<typeof LastLongPrescription>;

export const PatientOverview = z
  .object({
    patient: z.object({
      id: z.string(),
      name: z.string(),
      pinyin: z.string().nullable(),
      gender: Gender,
      birthDate: z.string(),
      age: z.number().int().openapi({ description: "whole years on today's China date" }),
      phone: z.string().nullable(),
      familyDoctor: FamilyDoctor.nullable(),
      // eGFR and pregnancy/lactation status, as on GET /patients/{id}
      ...PatientClinicalStatus.shape,
    }),
    conditions: z.array(OverviewCondition),
    allergies: z.array(Allergy),
    events: z.array(PatientEvent),
    supply: z.array(SupplyLine).openapi({ description: "active supply lines covering today or later, every member institution, soonest end first" }),
    lastLongPrescription: LastLongPrescription.nullable().openapi({
      description: "the most recent signed or completed long prescription, any member institution",
    }),
    reassessment: z.object({
      due: z.boolean(),
      triggers: z.array(PatientEvent).openapi({ description: "re-assessment triggers on a China date after the last long prescription's" }),
    }),
    renewal: z.object({
      dueOn: ChinaDate.nullable().openapi({ description: "when the long-prescription supply runs out; null without one" }),
      daysLeft: z.number().int().nullable().openapi({ description: "dueOn − today; negative once it ran out" }),
    }),
  })
  .openapi("PatientOverview");
export type PatientOverview = z.infer<typeof PatientOverview>;

export const FOLLOW_UP_REASONS = ["supply_ending", "supply_lapsed", "reassessment_due"] as const;
export const FollowUpReason = z.enum(FOLLOW_UP_REASONS);
export type FollowUpReason = z.infer<typeof FollowUpReason>;

/** Lapsed supply stays on the list this long; older gaps are a discontinued treatment, not a follow-up. */
export const LAPSED_DAYS = 30;

export const DueQuery = z.object({
  withinDays: z.coerce.number().int().min(1).max(60).default(14).openapi({ description: "supply ending within this many days (1..60)" }),
  ...PageQuery,
});

export const DueCursor = z.object({ d: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), p: z.string().min(1).max(64) });
export type DueCursor = z.infer<typeof DueCursor>;

export const DueItem = z
  .object({
    patientId: z.string(),
    name: z.string(),
    gender: Gender,
    age: z.number().int(),
    reasons: z.array(FollowUpReason).min(1),
    dueOn: ChinaDate.openapi({
      description: "the earlier of: the day the long-prescription supply runs out (when within the window or lapsed), the day of the first re-assessment trigger",
    }),
    daysLeft: z.number().int().openapi({ description: "dueOn − today: negative when lapsed or overdue" }),
    lastLongPrescription: z.object({ writtenAt: z.string(), institutionName: z.string(), days: z.number().int() }).nullable(),
    drugs: z.array(z.string()).openapi({ description: "generic names of the last long prescription's items" }),
  })
  .openapi("FollowUpDueItem");
export type DueItem = z.infer<typeof DueItem>;

export const DuePage = z.object({ items: z.array(DueItem), ...PageMeta }).openapi("FollowUpDuePage");
