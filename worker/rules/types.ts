/**
 * The rules engine's contract. PURE: nothing in worker/rules imports hono, drizzle,
 * zod-openapi or cloudflare. The prescriptions service assembles one RuleContext (in a
 * constant number of D1 round trips) and the engine returns every finding at once.
 */

export type Severity = "error" | "warning";

export interface Finding {
  ruleId: string;
  severity: Severity;
  /** index into draft.items when the finding is about one item */
  itemIndex?: number;
  /** dotted path into the draft, e.g. "items.2.days" */
  path?: string;
  /** Chinese, for the doctor */
  message: string;
  /** the legal or clinical source of the rule */
  source: string;
}

export type InstitutionLevel = "village" | "primary" | "secondary" | "tertiary";
export type Title = "junior" | "intermediate" | "associate_senior" | "senior";
export type Frequency = "qd" | "bid" | "tid" | "qid" | "qn" | "qw" | "prn";
export type PrescriptionKind = "normal" | "emergency" | "long_term";

export interface Quantity {
  value: number;
  unit: string;
}

export interface DraftItem {
  drugCode: string;
  dose: Quantity;
  frequency: Frequency;
  route?: string;
  days: number;
  packages: number;
}

export interface Draft {
  patientId: string;
  kind: PrescriptionKind;
  /** ISO date (YYYY-MM-DD) or date-time; the engine uses its China date (an offset-less date-time is China time) */
  writtenAt: string;
  diagnoses: { icd10: string; name?: string }[];
  items: DraftItem[];
  extendedReason?: string;
  longTerm?: { firstIssue: boolean; assessment: string; patientConfirmed: boolean };
}

/**
 * How a form is dosed beyond "strength per dispensing unit" (issue 10; formulary_entries.dosing).
 * Every field is optional; an entry without dosing is a unit-dose form (tablets, ampoules).
 * - concentration: drug per volume of preparation, as the label states it (布洛芬混悬液
 *   100ml:2g → 20 mg per 1 ml; 阿莫西林干混悬剂 reconstituted → 125 mg per 5 ml).
 * - containerVolume: ml of preparation in one dispensing unit (pack.unit: the bottle).
 * - dropsPerMl: drops in one ml (滴剂 labels: 每 1ml 约 20 滴), for doses written in 滴.
 * - actuations: metered doses (揿/喷/吸) in one dispensing unit (the device);
 *   perActuation: the drug in one actuation (default: the strength, as 规格 "每揿100µg").
 * - patchHours: how long one patch is worn (72 for a three-day patch): the supply of a
 *   multi-day patch is counted from it, since the frequency list has no "every 3 days".
 * - topical: used in 适量 (an amount the patient judges): no dose arithmetic.
 * - maxSingleDose, labelFrequencies: the label's single-dose maximum and schedule; where the
 *   entry is silent, the label facts of label-facts.ts apply.
 */
export interface Dosing {
  concentration?: { amount: Quantity; per: Quantity };
  containerVolume?: Quantity;
  dropsPerMl?: number;
  actuations?: number;
  perActuation?: Quantity;
  patchHours?: number;
  topical?: boolean;
  maxSingleDose?: Quantity;
  labelFrequencies?: Frequency[];
}

/**
 * One active ingredient of a product (issue 10; formulary_entries.ingredients,
 * prescription_items.ingredients). `molecule` is the active moiety's key: salts, esters and
 * enantiomers of one molecule share it (amlodipine besylate, levamlodipine maleate →
 * "amlodipine"; see ingredients.ts). `atc` is the single ingredient's 7-character ATC where
 * known; `amount` the amount per dispensing unit where the label gives it.
 */
export interface Ingredient {
  name: string;
  molecule: string;
  atc?: string | null;
  amount?: Quantity | null;
}

/** A formulary entry as the rules need it (structurally a subset of the API's entry). */
export interface RuleDrug {
  code: string;
  genericName: string;
  innName: string | null;
  form: string;
  strength: Quantity;
  pack: { size: number; unit: string };
  route: string;
  atc: string | null;
  controlClass: string | null;
  antimicrobial: string | null;
  antiTb: boolean;
  storage: string;
  longRxEligible: boolean;
  conditions: string[];
  minLevel: InstitutionLevel;
  maxDailyDose: Quantity | null;
  /** active ingredients; empty or absent (entries before issue 10): the entry itself is its one ingredient */
  ingredients?: Ingredient[];
  /** absent on versions snapshotted before issue 10 */
  dosing?: Dosing | null;
  status: "active" | "suspended" | "withdrawn";
  effectiveFrom: string;
}

/**
 * What the formulary says about a code on the prescription date: the version in effect
 * then, or, when no version is in effect yet, the earliest one with inEffect false.
 * A code missing from the map is unknown to the formulary.
 */
export interface FormularyView {
  drug: RuleDrug;
  inEffect: boolean;
  version: number;
}

export interface Prescriber {
  id: string;
  title: Title;
  specialties: string[];
  institutionId: string;
  institutionLevel: InstitutionLevel;
}

export interface PatientCondition {
  icd10: string;
  chronic: boolean;
  stable: boolean;
  diagnosedAt: string;
}

export interface PatientRecord {
  id: string;
  birthDate: string;
  gender: "male" | "female";
  conditions: PatientCondition[];
  allergies: { substance: string; atcPrefix: string | null }[];
  /** long-prescription re-assessment triggers */
  events: { type: "admission" | "new_condition" | "goal_not_met"; at: string }[];
  /** latest eGFR (ml/min/1.73m²) and the China date it was measured; null: none on record */
  egfr: { value: number; on: string } | null;
  /** pregnancy or lactation and the China date it was recorded (female patients only); null: neither on record */
  pregnancy: { status: PregnancyStatus; on: string } | null;
}

export type PregnancyStatus = "pregnant" | "lactating";

/** One item of an earlier signed, not cancelled prescription of this patient, anywhere in the consortium. */
export interface SupplyLine {
  prescriptionId: string;
  institutionId: string;
  drugCode: string;
  genericName: string;
  atc: string | null;
  /**
   * The route as prescribed (the item's, else the entry's) at signing; null on lines signed
   * before routes were kept: unknown, so taken as systemic.
   */
  route: string | null;
  /** the entry's ingredients at signing; null (lines signed before issue 10): the line's atc and generic name */
  ingredients?: Ingredient[] | null;
  /** first day covered (YYYY-MM-DD) and number of days covered */
  startDate: string;
  days: number;
}

/**
 * The patient's last (not cancelled) long prescription for the same condition and drugs as
 * the draft: it shares an ICD-10 category (3 characters) with the draft's diagnoses and a
 * drug (code or generic name) with its items. A long prescription for another condition
 * does not make the draft a renewal.
 */
export interface LastLongPrescription {
  prescriptionId: string;
  writtenAt: string;
  firstIssue: boolean;
}

/** A drug-drug interaction; each side matches a drug by ATC prefix or by generic name. */
export interface Interaction {
  id: string;
  a: { atcPrefix?: string; name?: string };
  b: { atcPrefix?: string; name?: string };
  severity: "major" | "moderate";
  note: string;
  source: string;
}

/**
 * What a consortium decides within national limits (consortium settings, national defaults
 * where it set nothing; worker/settings/settings.schemas.ts).
 */
export interface ConsortiumPolicy {
  /** cold-chain (2–8 °C) products may be on long prescriptions (national: no) */
  coldChainOnLongRx: boolean;
  /** antivirals for chronic viral infections (hepatitis B, HIV) may be on long prescriptions (national: no) */
  antiviralsOnLongRx: boolean;
  /** a refill or renewal written this many days or fewer before the earlier supply of the drug runs out is not a duplicate */
  refillGraceDays: number;
}

export interface RuleContext {
  draft: Draft;
  prescriber: Prescriber;
  patient: PatientRecord;
  formulary: Record<string, FormularyView>;
  activeSupply: SupplyLine[];
  lastLongPrescription: LastLongPrescription | null;
  interactions: Interaction[];
  /** ICD-10 prefix → specialties related to it (admin-editable table) */
  relatedSpecialties: Record<string, string[]>;
  policy: ConsortiumPolicy;
}

export interface ValidationResult {
  valid: boolean;
  findings: Finding[];
  totals: { days: number; packagesByItem: (number | null)[] };
}

/** A rule is data plus a small pure check, the way Spectral writes rulesets. */
export interface Rule {
  id: string;
  severity: Severity;
  source: string;
  /** what the rule checks, in Chinese (shown in docs and the UI) */
  description: string;
  check(ctx: RuleContext): RuleHit[];
}

export type RuleHit = Pick<Finding, "itemIndex" | "path" | "message">;
