/**
 * Every rule, in catalogue order: DOMAIN.md's table, with this module's additions placed
 * next to the rules they complete. The order is part of the contract: findings are sorted by
 * it (see engine.ts).
 *
 * Additions to DOMAIN.md's catalogue (stable ids, never renamed):
 * - rx-dose-unit-mismatch (error): the dose unit converts neither to the entry's strength or
 *   dispensing unit nor to its max-daily-dose unit, so quantity and dose cannot be checked.
 * - rx-quantity-unverifiable (warning): the dose converts, but the strength is a per-ml
 *   concentration sold in containers whose volume the formulary does not record; the
 *   pharmacist checks the quantity by hand.
 * - ltrx-first-issue-missing (error): a renewal with no earlier long prescription on record.
 * Issue 10 (regulatory depth; facts and sources in docs/rules-depth.md):
 * - rx-regimen-weekly (error): a once-weekly product (methotrexate oral, alendronate 70 mg …)
 *   written on another frequency.
 * - antimicrobial-prescribing-right (error): the antimicrobial grade is above what the
 *   prescriber's title or a village clinic may be granted (抗菌药物临床应用管理办法第二十四条).
 * - antimicrobial-special-outpatient (error): a special-use antimicrobial, which may not be
 *   used in outpatient care (同办法第二十八条).
 * - population-age-restricted (error): a class the patient is too young for (fluoroquinolones
 *   under 18, tetracyclines under 8).
 * - safety-allergy-cross (warning): an ingredient of a class that cross-reacts with the
 *   patient's recorded allergy class (penicillins ↔ cephalosporins; sulfonamide antibiotics →
 *   non-antibiotic sulfonamides), allergy-facts.ts.
 * - population-elderly-pim (warning): a potentially inappropriate medicine for a patient of 60
 *   or over (中国老年人潜在不适当用药判断标准（2017年版）).
 * - population-sex (error): a product (or a vaginal route) the label restricts to the other sex.
 * - population-renal (error) / population-renal-caution (warning): the eGFR on record is in a
 *   band where the label forbids / asks to reduce or avoid the drug; population-renal-stale
 *   (warning): that eGFR is over 12 months old, re-test before relying on it.
 * - population-pregnancy, population-lactation (errors) and their -caution (warnings): the
 *   label's 【禁忌】/【孕妇及哺乳期妇女用药】 for a recorded pregnancy or lactation.
 * - rx-dose-max-single (error): a single dose above the label's (or the entry's) maximum
 *   single dose (label-facts.ts, dosing.maxSingleDose).
 * - rx-frequency-label (warning): a frequency the label of the form does not give (a plain
 *   tablet labelled tid written qd, a once-daily modified-release form written tid).
 */
import { antimicrobialPrescribingRight, antimicrobialSpecialOutpatient } from "./antimicrobial.rules";
import {
  populationAgeRestricted,
  populationElderlyPim,
  populationLactation,
  populationLactationCaution,
  populationPregnancy,
  populationPregnancyCaution,
  populationRenal,
  populationRenalCaution,
  populationRenalStale,
  populationSex,
} from "./population.rules";
import { rxDoseMaxSingle, rxFrequencyLabel, rxRegimenWeekly } from "./regimen.rules";
import { rxControlledOnline, rxDiagnosisRequired, rxDrugInactive, rxDrugLevel, rxDrugUnknown, rxMaxItems } from "./rx-basic.rules";
import { rxDaysEmergency, rxDaysNormalMax, rxDaysReason } from "./rx-days.rules";
import { rxDoseMaxDaily, rxDoseUnitMismatch, rxQuantityExcess, rxQuantityShort, rxQuantityUnverifiable } from "./rx-quantity.rules";
import {
  ltrxAssessmentRequired,
  ltrxConditionRequired,
  ltrxConditionUnstable,
  ltrxDrugExcluded,
  ltrxDrugNotListed,
  ltrxFirstIssueMissing,
  ltrxMaxDays,
  ltrxPrescriberQualification,
  ltrxReassessmentDue,
} from "./ltrx.rules";
import { safetyAllergy, safetyAllergyCross } from "./allergy.rules";
import {
  safetyDuplicateClass,
  safetyDuplicateIngredient,
  safetyInteractionMajor,
  safetyInteractionModerate,
} from "./safety.rules";
import type { Rule } from "./types";

export const RULES: readonly Rule[] = [
  rxDiagnosisRequired,
  rxDrugUnknown,
  rxDrugInactive,
  rxDrugLevel,
  rxMaxItems,
  rxDaysEmergency,
  rxDaysReason,
  rxDaysNormalMax,
  rxQuantityExcess,
  rxQuantityShort,
  rxDoseMaxDaily,
  rxDoseMaxSingle,
  rxRegimenWeekly,
  rxFrequencyLabel,
  rxDoseUnitMismatch,
  rxQuantityUnverifiable,
  rxControlledOnline,
  antimicrobialPrescribingRight,
  antimicrobialSpecialOutpatient,
  ltrxMaxDays,
  ltrxAssessmentRequired,
  ltrxDrugExcluded,
  ltrxDrugNotListed,
  ltrxConditionRequired,
  ltrxConditionUnstable,
  ltrxPrescriberQualification,
  ltrxReassessmentDue,
  ltrxFirstIssueMissing,
  safetyAllergy,
  safetyAllergyCross,
  populationAgeRestricted,
  populationElderlyPim,
  populationSex,
  populationRenal,
  populationRenalCaution,
  populationRenalStale,
  populationPregnancy,
  populationPregnancyCaution,
  populationLactation,
  populationLactationCaution,
  safetyInteractionMajor,
  safetyInteractionModerate,
  safetyDuplicateIngredient,
  safetyDuplicateClass,
];

/** Rule ids this module adds to DOMAIN.md's catalogue. */
export const ADDED_RULE_IDS: readonly string[] = [
  "rx-dose-unit-mismatch",
  "rx-quantity-unverifiable",
  "ltrx-first-issue-missing",
  "rx-regimen-weekly",
  "antimicrobial-prescribing-right",
  "antimicrobial-special-outpatient",
  "population-age-restricted",
  "population-elderly-pim",
  "safety-allergy-cross",
  "population-sex",
  "population-renal",
  "population-renal-caution",
  "population-renal-stale",
  "population-pregnancy",
  "population-pregnancy-caution",
  "population-lactation",
  "population-lactation-caution",
  "rx-dose-max-single",
  "rx-frequency-label",
];
