/**
 * Facts about NEML drugs that the list itself lacks, merged from the two curated data files:
 * class-level facts first (facts-classes.ts), then drug-level facts for chronic-disease drugs
 * (facts-chronic.ts), which override them field by field.
 */
import { CHRONIC_FACTS } from "./facts-chronic";
import { CLASS_FACTS } from "./facts-classes";
import type { DrugFacts } from "./facts.types";

export function drugFacts(nemlNo: string): DrugFacts | undefined {
  return mergeFacts(CLASS_FACTS[nemlNo], CHRONIC_FACTS[nemlNo]);
}

/**
 * `override` wins field by field; a field it leaves undefined keeps the base value. maxDailyDose
 * is merged route by route, because the two files may know the dose for different routes.
 */
export function mergeFacts(base: DrugFacts | undefined, override: DrugFacts | undefined): DrugFacts | undefined {
  if (!base || !override) return base ?? override;
  const merged: DrugFacts = { ...base };
  for (const [key, value] of Object.entries(override) as [keyof DrugFacts, DrugFacts[keyof DrugFacts]][]) {
    if (value !== undefined) Object.assign(merged, { [key]: value });
  }
  if (base.maxDailyDose && override.maxDailyDose) {
    merged.maxDailyDose = { ...base.maxDailyDose, ...override.maxDailyDose };
  }
  return merged;
}
