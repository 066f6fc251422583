/** The rules engine's public surface. Pure: input in, findings out. */
export { ADDED_RULE_IDS, RULES } from "./catalogue";
export { ageText, chinaDateOf } from "./dates";
export { computeTotals, validateDraft } from "./engine";
export { longRxExclusion } from "./exclusions";
export { convert, normalizeUnit, supplyPlan } from "./quantity";
export type * from "./types";
