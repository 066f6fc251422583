import { z } from "@hono/zod-openapi";
import { longRxExclusion } from "../rules/exclusions";
import { moleculeKey } from "../rules/ingredients";

export { longRxExclusion };

export const InstitutionLevel = z.enum(["village", "primary", "secondary", "tertiary"]);
export type InstitutionLevel = z.infer<typeof InstitutionLevel>;

export const StrengthUnit = z.enum([
  "µg", "mg", "g", "ml", "IU", "万IU", "U", "万U", "mmol", "%", "mg/ml", "µg/ml", "IU/ml", "U/ml", "mg/g",
]);
export type StrengthUnit = z.infer<typeof StrengthUnit>;

export const Route = z.enum([
  "oral", "sublingual", "iv", "im", "sc", "intradermal", "inhalation", "nasal", "topical",
  "transdermal", "ophthalmic", "otic", "rectal", "vaginal", "other",
]);
export const ControlClass = z.enum(["narcotic", "psychotropic_1", "psychotropic_2", "toxic", "radioactive", "precursor"]);
export const AntimicrobialGrade = z.enum(["unrestricted", "restricted", "special"]);
export const Storage = z.enum(["normal", "cold_chain", "special"]);
export const EntryStatus = z.enum(["active", "suspended", "withdrawn"]);
export const InsuranceClass = z.enum(["A", "B"]);

const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "expected YYYY-MM-DD")
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), "not a calendar date")
  .openapi({ example: "2026-09-01" });
export { IsoDate };

export const DrugCode = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/, "letters, digits, '.', '_' or '-', at most 40")
  .transform((s) => s.toUpperCase())
  .openapi({ example: "W006-03" });

const Quantity = <U extends z.ZodType<string>>(unit: U) =>
  z.object({ value: z.number().positive().finite().max(1e9), unit });

/** Units of an amount of drug (not a volume, not a concentration). */
const AmountUnit = z.enum(["µg", "mg", "g", "IU", "万IU", "U", "万U", "mmol"]);
const Millilitres = z.object({
  value: z.number().positive().finite().max(1e6),
  unit: z.enum(["ml", "mL"]).transform((): "ml" => "ml"),
});
/** The prescription's frequencies (API.md), as a label states a schedule. */
export const LabelFrequency = z.enum(["qd", "bid", "tid", "qid", "qn", "qw", "prn"]);

/**
 * How the form is dosed beyond strength × pack (issue 10; worker/rules/types.ts `Dosing` is
 * the same shape). Null: a unit-dose form (tablets, capsules, ampoules). Examples:
 * 布洛芬混悬液 100ml:2g → { concentration: { amount: 2 g, per: 100 ml }, containerVolume: 100 ml };
 * 沙丁胺醇气雾剂 200 揿，每揿 100µg → strength 100 µg, pack 1 支, { actuations: 200 };
 * 红霉素软膏 → { topical: true }; 硝苯地平片 → { labelFrequencies: ["tid"], maxSingleDose: 30 mg }.
 */
export const Dosing = z
  .object({
    concentration: z
      .object({ amount: Quantity(AmountUnit), per: Millilitres })
      .optional()
      .openapi({ description: "drug per volume of preparation as the label states it (125 mg per 5 ml; reconstituted suspensions: after reconstitution)" }),
    containerVolume: Millilitres.optional().openapi({ description: "ml of preparation in one dispensing unit (pack.unit, e.g. one 瓶)" }),
    dropsPerMl: z.number().positive().finite().max(1000).optional().openapi({ description: "drops in one ml, for doses written in 滴" }),
    actuations: z.number().int().positive().max(100_000).optional().openapi({ description: "metered actuations (揿/喷/吸) in one dispensing unit (the device)" }),
    perActuation: Quantity(AmountUnit)
      .optional()
      .openapi({ description: "drug in one actuation; default: the strength (规格 每揿100µg)" }),
    patchHours: z.number().positive().finite().max(24 * 31).optional().openapi({ description: "hours one patch is worn; a patch worn over 24 h is supplied one per patchHours" }),
    topical: z
      .boolean()
      .optional()
      .openapi({ description: "used 适量 (外用，适量): no dose arithmetic; a dose is written { value: 1, unit: \"适量\" }" }),
    maxSingleDose: Quantity(StrengthUnit).optional().openapi({ description: "the label's maximum single dose" }),
    labelFrequencies: z.array(LabelFrequency).min(1).max(7).optional().openapi({ description: "the schedules the label gives for this form" }),
  })
  .strict()
  .openapi("FormularyDosing");
export type Dosing = z.infer<typeof Dosing>;

const AtcCode = z.string().regex(/^[A-Z][0-9]{2}([A-Z]([A-Z]([0-9]{2})?)?)?$/, "an ATC code, 1 to 7 characters");

/**
 * One active ingredient (issue 10; worker/rules/types.ts `Ingredient`). `molecule` is stored
 * as its normalised key (worker/rules/ingredients.ts moleculeKey): lower case, salts, esters
 * and hydrates dropped, enantiomers mapped to the molecule ("Levamlodipine Maleate" →
 * "amlodipine"). 消渴丸 → [{ name: "格列本脲", molecule: "glibenclamide", atc: "A10BB01",
 * amount: { value: 0.25, unit: "mg" } }] (per pill).
 */
export const Ingredient = z
  .object({
    name: z.string().trim().min(1).max(100).openapi({ example: "格列本脲", description: "the ingredient's Chinese name" }),
    molecule: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .transform(moleculeKey)
      .refine((key) => key !== "", "the molecule key is blank")
      .openapi({ example: "glibenclamide", description: "the active moiety (INN or Chinese name; salts and enantiomers of one molecule share it)" }),
    atc: AtcCode.nullable().default(null).openapi({ example: "A10BB01", description: "the single ingredient's ATC code, where known" }),
    amount: Quantity(StrengthUnit).nullable().default(null).openapi({ description: "amount per dispensing unit, where the label gives it" }),
  })
  .strict()
  .openapi("FormularyIngredient");
export type Ingredient = z.infer<typeof Ingredient>;

const Icd10Prefix = z.string().regex(/^[A-Z][0-9]{0,2}(\.[0-9A-Z]{1,4})?$/, "an ICD-10 code or prefix such as I10 or E11");
/** Prices travel as yuan with at most two decimals; stored as integer fen. */
const Price = z
  .number()
  .nonnegative()
  .max(10_000_000)
  .refine((v) => Math.abs(Math.round(v * 100) - v * 100) < 1e-6, "at most two decimals (yuan.fen)");

const entryFields = {
  genericName: z.string().trim().min(1).max(100).openapi({ example: "阿司匹林" }),
  innName: z.string().trim().min(1).max(200).nullable().openapi({ example: "Aspirin" }),
  pinyin: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9]{1,40}$/, "pinyin initials: letters and digits")
    .transform((s) => s.toUpperCase())
    .openapi({ example: "ASPL" }),
  form: z.string().trim().min(1).max(40).openapi({ example: "肠溶片" }),
  strength: Quantity(StrengthUnit),
  pack: z.object({ size: z.number().positive().finite().max(100_000), unit: z.string().trim().min(1).max(8) }),
  route: Route,
  atc: z.string().regex(/^[A-Z][0-9]{2}([A-Z]([A-Z]([0-9]{2})?)?)?$/, "an ATC code, 1 to 7 characters").nullable(),
  nhsaCode: z.string().regex(/^[A-Z0-9]{23}$/, "23 characters").nullable(),
  nemlCategory: z.string().max(100).nullable(),
  essential: z.boolean(),
  insuranceClass: InsuranceClass.nullable(),
  vbp: z.boolean(),
  specialistOnly: z.boolean(),
  controlClass: ControlClass.nullable(),
  antimicrobial: AntimicrobialGrade.nullable(),
  antiTb: z.boolean(),
  storage: Storage,
  longRxEligible: z.boolean(),
  conditions: z.array(Icd10Prefix).max(50),
  minLevel: InstitutionLevel,
  maxDailyDose: Quantity(StrengthUnit).nullable(),
  dosing: Dosing.nullable(),
  ingredients: z
    .array(Ingredient)
    .max(30)
    .openapi({ description: "active ingredients; empty: not listed, the entry itself (genericName, innName, atc) is its one ingredient" }),
  price: Price.nullable().openapi({ description: "yuan per package" }),
  freeProgramme: z.boolean(),
  status: EntryStatus,
  effectiveFrom: IsoDate,
};

const EntryFieldsObject = z.object(entryFields);
type EntryFields = z.infer<typeof EntryFieldsObject>;

/** Cross-field rules of an entry, as (path, message) pairs, the message in English or in Chinese (`zh`); empty when consistent. */
export function entryConsistencyIssues(
  e: Pick<EntryFields, "controlClass" | "antimicrobial" | "antiTb" | "storage" | "longRxEligible" | "conditions">,
  language: "en" | "zh" = "en",
): { path: string; message: string }[] {
  const issues: { path: string; message: string }[] = [];
  const excluded = longRxExclusion(e);
  if (e.longRxEligible && excluded) {
    issues.push({
      path: "longRxEligible",
      message: language === "zh" ? `不能标为可开长期处方：${excluded.zh}不得开具长期处方（《长期处方管理规范（试行）》）` : `cannot be long-prescription eligible: ${excluded.en}`,
    });
  }
  if (e.antiTb && !e.antimicrobial) {
    issues.push({ path: "antiTb", message: language === "zh" ? "抗结核药须填写抗菌药物分级" : "an anti-TB drug must carry an antimicrobial grade" });
  }
  return issues;
}

function checkEntryConsistency(e: EntryFields, ctx: z.RefinementCtx) {
  for (const issue of entryConsistencyIssues(e)) ctx.addIssue({ code: "custom", path: [issue.path], message: issue.message });
}

/** Fields with the defaults a create or an import row may omit. */
export const EntryInput = z
  .object({
    code: DrugCode,
    ...entryFields,
    innName: entryFields.innName.default(null),
    pinyin: entryFields.pinyin.optional(),
    atc: entryFields.atc.default(null),
    nhsaCode: entryFields.nhsaCode.default(null),
    nemlCategory: entryFields.nemlCategory.default(null),
    essential: z.boolean().default(false),
    insuranceClass: InsuranceClass.nullable().default(null),
    vbp: z.boolean().default(false),
    specialistOnly: z.boolean().default(false),
    controlClass: ControlClass.nullable().default(null),
    antimicrobial: AntimicrobialGrade.nullable().default(null),
    antiTb: z.boolean().default(false),
    storage: Storage.default("normal"),
    longRxEligible: z.boolean().default(false),
    conditions: entryFields.conditions.default([]),
    maxDailyDose: entryFields.maxDailyDose.default(null),
    dosing: entryFields.dosing.default(null),
    ingredients: entryFields.ingredients.default([]),
    price: entryFields.price.default(null),
    freeProgramme: z.boolean().default(false),
    status: EntryStatus.default("active"),
    effectiveFrom: IsoDate.optional(),
  })
  .strict()
  .openapi("FormularyEntryInput");
export type EntryInput = z.infer<typeof EntryInput>;

export const EntryPatch = z
  .object(entryFields)
  .partial()
  .strict()
  .refine((p) => Object.keys(p).length > 0, "nothing to change")
  .openapi("FormularyEntryPatch");
export type EntryPatch = z.infer<typeof EntryPatch>;

/** A complete entry without bookkeeping: what is stored and compared. */
export const EntryContent = z.object({ code: DrugCode, ...entryFields }).superRefine(checkEntryConsistency);
export type EntryContent = z.infer<typeof EntryContent>;

export const Entry = z
  .object({
    code: DrugCode,
    ...entryFields,
    version: z.number().int().positive(),
    updatedAt: z.string(),
  })
  .openapi("FormularyEntry");
export type Entry = z.infer<typeof Entry>;

export { checkEntryConsistency };
