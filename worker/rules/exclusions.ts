/**
 * What a long prescription may never contain (长期处方管理规范（试行）): medical toxic and
 * radioactive drugs, precursor chemicals, narcotics, class I and II psychotropics,
 * antimicrobials (except for chronic bacterial and fungal infections such as tuberculosis:
 * anti-TB entries, and antimicrobials whose listed conditions include a chronic bacterial or
 * fungal infection, chronic-infections.ts) and drugs with special storage needs. Returns the
 * reason, or null when the drug is not excluded. This is the formulary's national rule (what
 * an entry may be marked eligible for); the rules apply the consortium's policy on top of it
 * (long-rx-policy.ts: antivirals, cold chain).
 */
import { chronicInfectionsTreated } from "./chronic-infections";
import { controlClassZh, storageZh } from "./text";

/** Why a drug is excluded, in English (the API's problem texts) and in Chinese (the import report). */
export interface Exclusion {
  en: string;
  zh: string;
}

export function longRxExclusion(e: {
  controlClass: string | null;
  antimicrobial: string | null;
  antiTb: boolean;
  storage: string;
  /** the chronic conditions the entry treats; absent: none */
  conditions?: readonly string[];
}): Exclusion | null {
  if (e.controlClass) return { en: `special management class ${e.controlClass}`, zh: `特殊管理药品（${controlClassZh(e.controlClass)}）` };
  if (e.antimicrobial && !e.antiTb && chronicInfectionsTreated(e.conditions ?? []).length === 0) {
    return { en: "antimicrobial (other than for chronic bacterial or fungal infections such as tuberculosis)", zh: "抗菌药物（治疗结核病等慢性细菌、真菌感染的除外）" };
  }
  if (e.storage !== "normal") return { en: `special storage (${e.storage})`, zh: `${storageZh(e.storage)}的药品` };
  return null;
}
