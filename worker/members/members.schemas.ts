import { z } from "@hono/zod-openapi";
import { InstitutionLevel, IsoDate } from "../formulary/formulary.schemas";

export { InstitutionLevel };

/** Ids chosen by the consortium (institutions, practitioners, patients): stable, URL-safe, at most 64 like the token claims. */
export const MemberId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, "letters, digits, '.', '_' or '-', at most 64")
  .openapi({ example: "inst-county" });

export const Title = z.enum(["junior", "intermediate", "associate_senior", "senior"]);
export type Title = z.infer<typeof Title>;

export const Specialty = z.enum([
  "general_practice", "internal_medicine", "cardiology", "endocrinology", "respiratory", "neurology",
  "nephrology", "rheumatology", "gastroenterology", "psychiatry", "oncology", "infectious_disease",
  "geriatrics", "pediatrics", "surgery", "orthopedics", "dermatology", "ophthalmology", "ent",
  "obstetrics_gynecology", "traditional_chinese_medicine", "other",
]);
export type Specialty = z.infer<typeof Specialty>;

/** A set of specialties: duplicates collapse and the order is canonical, so stored sets compare equal. */
const specialtySet = (min: number) =>
  z
    .array(Specialty)
    .min(min, "at least one specialty (use other when none fits)")
    .max(Specialty.options.length)
    .transform((list) => [...new Set(list)].sort());

export const Name = z.string().trim().min(1).max(100);

/** Calendar dates on patient records; "not in the future" needs the clock and is checked in the service. */
const RecordDate = IsoDate.refine((s) => s >= "1900-01-01", "not before 1900-01-01");

// ---------------------------------------------------------------------------------------
// Institutions
// ---------------------------------------------------------------------------------------

export const InstitutionInput = z
  .object({
    id: MemberId,
    name: Name.openapi({ example: "青溪县人民医院" }),
    level: InstitutionLevel,
    region: Name.openapi({ example: "青溪县/城关镇" }),
  })
  .strict()
  .openapi("InstitutionInput");
export type InstitutionInput = z.infer<typeof InstitutionInput>;

export const Institution = z
  .object({ id: z.string(), name: z.string(), level: InstitutionLevel, region: z.string(), createdAt: z.string() })
  .openapi("Institution");
export type Institution = z.infer<typeof Institution>;

// ---------------------------------------------------------------------------------------
// Practitioners
// ---------------------------------------------------------------------------------------

export const PractitionerInput = z
  .object({
    id: MemberId.openapi({ example: "doc-county-cardio-senior" }),
    name: Name.openapi({ example: "周建国" }),
    institutionId: MemberId,
    title: Title,
    specialties: specialtySet(1),
  })
  .strict()
  .openapi("PractitionerInput");
export type PractitionerInput = z.infer<typeof PractitionerInput>;

export const PractitionerPatch = z
  .object({
    name: Name,
    title: Title,
    specialties: specialtySet(1),
  })
  .partial()
  .strict()
  .refine((p) => Object.keys(p).length > 0, "nothing to change")
  .openapi("PractitionerPatch");
export type PractitionerPatch = z.infer<typeof PractitionerPatch>;

export const Practitioner = z
  .object({
    id: z.string(),
    name: z.string(),
    institutionId: z.string(),
    title: Title,
    specialties: z.array(Specialty),
    createdAt: z.string(),
  })
  .openapi("Practitioner");
export type Practitioner = z.infer<typeof Practitioner>;

// ---------------------------------------------------------------------------------------
// Patients and their shared record
// ---------------------------------------------------------------------------------------

export const Gender = z.enum(["male", "female"]);

/**
 * A mainland mobile (1[3-9] and nine digits) or a landline with its area code (0 and 9-11
 * digits), digits only: notifications go to it, and its last four digits are the check of
 * the patient's public order-status lookup.
 */
export const PatientPhone = z
  .string()
  .trim()
  .regex(/^(1[3-9]\d{9}|0\d{9,11})$/, "a mainland mobile (11 digits from 13…) or a landline with area code (0…), digits only")
  .openapi({ example: "13907310411" });

// ---- renal function and pregnancy/lactation: read by the special-population rules ----

/** eGFR in ml/min/1.73m² (CKD-EPI or MDRD, as the lab reports it); 0–200 covers every real value. */
export const Egfr = z.number().min(0).max(200).openapi({ example: 25, description: "eGFR, ml/min/1.73m²" });
export const PregnancyStatus = z.enum(["pregnant", "lactating"]);

/**
 * The renal and pregnancy fields as written: a value with the China date it was measured
 * (egfrOn) or recorded (pregnancyOn), today when the date is left out; null clears a value
 * and its date. A date without its value is refused (it would date nothing).
 */
const clinicalStatusFields = {
  egfr: Egfr.nullable().openapi({ description: "eGFR, ml/min/1.73m² (0–200); null removes it. Rules trust it for 12 months from egfrOn" }),
  egfrOn: RecordDate.openapi({ description: "China date the eGFR was measured (default today): not in the future, not before the birth date", example: "2026-11-20" }),
  pregnancy: PregnancyStatus.nullable().openapi({ description: "female patients only (422 otherwise); null: neither" }),
  pregnancyOn: RecordDate.openapi({ description: "China date the status was recorded (default today): not in the future", example: "2026-11-20" }),
};

/** egfrOn and pregnancyOn only next to a value they date. */
function datesNeedValues(p: { egfr?: number | null; egfrOn?: string; pregnancy?: string | null; pregnancyOn?: string }, ctx: z.RefinementCtx): void {
  if (p.egfrOn !== undefined && (p.egfr === undefined || p.egfr === null)) ctx.addIssue({ code: "custom", path: ["egfrOn"], message: "only with an eGFR value" });
  if (p.pregnancyOn !== undefined && (p.pregnancy === undefined || p.pregnancy === null)) ctx.addIssue({ code: "custom", path: ["pregnancyOn"], message: "only with a pregnancy status" });
}

export const PatientInput = z
  .object({
    id: MemberId.openapi({ example: "pat-001" }),
    name: Name.openapi({ example: "张桂兰" }),
    gender: Gender,
    birthDate: RecordDate.openapi({ example: "1958-03-14", description: "not in the future (China date)" }),
    phone: PatientPhone.optional(),
    egfr: clinicalStatusFields.egfr.optional(),
    egfrOn: clinicalStatusFields.egfrOn.optional(),
    pregnancy: clinicalStatusFields.pregnancy.optional(),
    pregnancyOn: clinicalStatusFields.pregnancyOn.optional(),
  })
  .strict()
  .superRefine(datesNeedValues)
  .openapi("PatientInput");
export type PatientInput = z.infer<typeof PatientInput>;

const Icd10 = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z][0-9]{2}(\.[0-9A-Z]{1,4})?$/, "an ICD-10 code such as I10 or E11.9")
  .openapi({ example: "I10" });

/** An ICD-10 code or prefix (I, I1, I10, E11.9): the key of the related-specialties table. */
export const Icd10Prefix = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z][0-9]{0,2}(\.[0-9A-Z]{1,4})?$/, "an ICD-10 code or prefix such as I10 or E11")
  .openapi({ example: "I10" });

/** An ATC code or any prefix of one (C, C08, C08CA, C08CA01). */
export const AtcPrefix = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]([0-9]{2}([A-Z]([A-Z]([0-9]{2})?)?)?)?$/, "an ATC code or prefix such as C08 or C08CA01")
  .openapi({ example: "J01C" });

export const ConditionInput = z
  .object({
    icd10: Icd10,
    name: Name.openapi({ example: "原发性高血压" }),
    chronic: z.boolean(),
    stable: z.boolean(),
    diagnosedAt: RecordDate.openapi({ description: "not in the future, not before the birth date" }),
    diagnosedBy: MemberId.openapi({ description: "a registered practitioner", example: "doc-county-cardio-senior" }),
  })
  .strict()
  .openapi("PatientConditionInput");
export type ConditionInput = z.infer<typeof ConditionInput>;

export const ConditionPatch = z
  .object({ stable: z.boolean(), chronic: z.boolean() })
  .partial()
  .strict()
  .refine((p) => Object.keys(p).length > 0, "nothing to change")
  .openapi("PatientConditionPatch");
export type ConditionPatch = z.infer<typeof ConditionPatch>;

export const Condition = z
  .object({
    id: z.string(),
    icd10: z.string(),
    name: z.string(),
    chronic: z.boolean(),
    stable: z.boolean(),
    diagnosedAt: z.string(),
    diagnosedBy: z.string(),
  })
  .openapi("PatientCondition");
export type Condition = z.infer<typeof Condition>;

export const AllergyInput = z
  .object({
    substance: Name.openapi({ example: "青霉素" }),
    atcPrefix: AtcPrefix.optional(),
    reaction: z.string().trim().min(1).max(200).optional().openapi({ example: "皮疹" }),
  })
  .strict()
  .openapi("PatientAllergyInput");
export type AllergyInput = z.infer<typeof AllergyInput>;

export const Allergy = z
  .object({ id: z.string(), substance: z.string(), atcPrefix: z.string().nullable(), reaction: z.string().nullable() })
  .openapi("PatientAllergy");
export type Allergy = z.infer<typeof Allergy>;

export const EventType = z.enum(["admission", "new_condition", "goal_not_met"]);

const DATE_TIME = /^(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/** A calendar date, or a date-time with a zone, stored in UTC so that stored times compare as text. */
const EventTime = z
  .string()
  .refine((s) => {
    if (RecordDate.safeParse(s).success) return true;
    const m = DATE_TIME.exec(s);
    return m?.[1] !== undefined && RecordDate.safeParse(m[1]).success && !Number.isNaN(Date.parse(s));
  }, "an ISO date, or a date-time with Z or an offset")
  .transform((s) => (s.length === 10 ? s : new Date(s).toISOString()))
  .openapi({ example: "2026-10-12T03:20:00.000Z", description: "not in the future" });

export const EventInput = z.object({ type: EventType, at: EventTime }).strict().openapi("PatientEventInput");
export type EventInput = z.infer<typeof EventInput>;

export const PatientEvent = z.object({ id: z.string(), type: EventType, at: z.string() }).openapi("PatientEvent");
export type PatientEvent = z.infer<typeof PatientEvent>;

export const PatientSummary = z
  .object({
    id: z.string(),
    name: z.string(),
    gender: Gender,
    birthDate: z.string(),
    createdAt: z.string(),
    pinyin: z.string().nullable().openapi({ description: "pinyin initials of the name (张桂兰 → ZGL)", example: "ZGL" }),
    age: z.number().int().openapi({ description: "whole years on today's China date" }),
    phoneMasked: z.string().nullable().openapi({ description: "the phone with its middle digits hidden", example: "138****2608" }),
    familyDoctorId: z.string().nullable().openapi({ description: "the contracted family doctor (家庭医生签约), a practitioner id" }),
  })
  .openapi("PatientSummary");
export type PatientSummary = z.infer<typeof PatientSummary>;

/** The renal and pregnancy fields as stored and shown (not in search results). */
export const PatientClinicalStatus = z.object({
  egfr: z.number().nullable().openapi({ description: "latest eGFR, ml/min/1.73m²" }),
  egfrOn: z.string().nullable().openapi({ description: "China date the eGFR was measured" }),
  pregnancy: PregnancyStatus.nullable(),
  pregnancyOn: z.string().nullable().openapi({ description: "China date the pregnancy status was recorded" }),
});
export type PatientClinicalStatus = z.infer<typeof PatientClinicalStatus>;

/**
 * A patient with their contact phone, eGFR and pregnancy status: what registering, changing
 * or reading a patient answers (search results leave these out).
 */
export const PatientDetails = PatientSummary.extend({ phone: z.string().nullable(), ...PatientClinicalStatus.shape }).openapi("PatientDetails");
export type PatientDetails = z.infer<typeof PatientDetails>;

/**
 * The contact phone, the contracted family doctor, the eGFR and the pregnancy/lactation
 * status change this way (null removes any); a patient's identity is not edited here.
 */
export const PatientPatch = z
  .object({
    phone: PatientPhone.nullable(),
    familyDoctorId: MemberId.nullable().openapi({ description: "a registered practitioner (else 422), or null", example: "doc-fenglin-village" }),
    ...clinicalStatusFields,
  })
  .partial()
  .strict()
  .refine((p) => Object.keys(p).length > 0, "nothing to change")
  .superRefine(datesNeedValues)
  .openapi("PatientPatch");
export type PatientPatch = z.infer<typeof PatientPatch>;

export const Patient = PatientDetails.extend({
  conditions: z.array(Condition),
  allergies: z.array(Allergy),
  events: z.array(PatientEvent),
}).openapi("Patient");
export type Patient = z.infer<typeof Patient>;

// ---------------------------------------------------------------------------------------
// Related specialties (ICD-10 prefix → specialties), read by the long-prescription rules
// ---------------------------------------------------------------------------------------

export const SpecialtyRelationInput = z
  .object({ specialties: specialtySet(0).openapi({ description: "the whole set; an empty set removes the prefix" }) })
  .strict()
  .openapi("SpecialtyRelationInput");
export type SpecialtyRelationInput = z.infer<typeof SpecialtyRelationInput>;

export const SpecialtyRelation = z
  .object({ icd10Prefix: z.string(), specialties: z.array(Specialty) })
  .openapi("SpecialtyRelation");
export type SpecialtyRelation = z.infer<typeof SpecialtyRelation>;
