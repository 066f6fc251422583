/**
 * Facts about NEML drugs that the list itself lacks, merged from the curated data files:
 * class-level facts first (facts-classes.ts), then drug-level facts for chronic-disease drugs
 * (facts-chronic.ts), which override them field by field, then the maximum daily doses with
 * their sources (facts-doses.ts).
 */
import { CHRONIC_FACTS } from "./facts-chronic";
import { CLASS_FACTS } from "./facts-classes";
import { DOSE_FACTS } from "./facts-doses";
import type { DrugFacts, MaxDoseFact } from "./facts.types";

export function drugFacts(nemlNo: string): DrugFacts | undefined {
  return mergeFacts(mergeFacts(CLASS_FACTS[nemlNo], CHRONIC_FACTS[nemlNo]), doseFacts(DOSE_FACTS[nemlNo]));
}

/**
 * The maximum daily doses of facts-doses.ts: all of them as `maxDailyDoses` (the converter picks
 * the one that fits each product), and those covering a whole route also as `maxDailyDose`.
 */
function doseFacts(facts: MaxDoseFact[] | undefined): DrugFacts | undefined {
  if (!facts) return undefined;
  const maxDailyDose: DrugFacts["maxDailyDose"] = {};
  for (const f of facts) if (!f.forms && !f.strengths && f.dose) maxDailyDose[f.route] = f.dose;
  return { maxDailyDoses: facts, maxDailyDose: Object.keys(maxDailyDose).length > 0 ? maxDailyDose : undefined };
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
