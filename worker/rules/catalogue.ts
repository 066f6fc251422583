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
 */
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
import {
  safetyAllergy,
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
  rxDoseUnitMismatch,
  rxQuantityUnverifiable,
  rxControlledOnline,
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
  safetyInteractionMajor,
  safetyInteractionModerate,
  safetyDuplicateIngredient,
  safetyDuplicateClass,
];

/** Rule ids this module adds to DOMAIN.md's catalogue. */
export const ADDED_RULE_IDS: readonly string[] = ["rx-dose-unit-mismatch", "rx-quantity-unverifiable", "ltrx-first-issue-missing"];
