/**
 * What a long prescription may hold, under the national rule and the consortium's policy
 * (长期处方管理规范（试行）, 2021, 国卫办医发〔2021〕17号, on the drugs long prescriptions may
 * not contain: "医疗用毒性药品、放射性药品、易制毒药品、麻醉药品、第一类和第二类精神药品、
 * 抗微生物药物（治疗结核等慢性细菌真菌感染性疾病的除外），以及对储存条件有特殊要求的药品").
 *
 * - Antimicrobials: excluded, except those for chronic bacterial or fungal infections. The
 *   规范 names tuberculosis as an example ("结核等"), so the exemption is not TB only: an
 *   antimicrobial whose entry lists a chronic bacterial or fungal infection below among the
 *   conditions it treats is exempt for those conditions (and only those: the condition
 *   rules then ask the patient's record for one of them, chronic and stable).
 * - Antivirals are 抗微生物药物 too, and the exemption names bacterial and fungal
 *   infections only. So nationally every antiviral is excluded; a consortium whose province
 *   puts chronic hepatitis B or HIV on its long-prescription disease list (the 规范 lets
 *   local health commissions set the diseases and drugs) turns `antiviralsOnLongRx` on, which
 *   admits antivirals for chronic viral infections. Antivirals for acute infections
 *   (influenza, herpes, COVID-19) stay excluded whatever the setting.
 * - Special storage: excluded. Cold-chain products (insulin, GLP-1 pens) are admitted where
 *   the consortium turns `coldChainOnLongRx` on (several provinces allow insulin on long
 *   prescriptions with cold-chain delivery); frozen/other special storage never.
 * Pure: no I/O; the policy comes from RuleContext.policy.
 */
import { CHRONIC_VIRAL_INFECTIONS, chronicInfectionsTreated } from "./chronic-infections";
import { longRxExclusion } from "./exclusions";
import { matchesAny } from "./icd10";
import { antimicrobialZh, controlClassZh, storageZh } from "./text";
import type { ConsortiumPolicy, RuleDrug } from "./types";

type PolicyDrug = Pick<RuleDrug, "atc" | "antimicrobial" | "antiTb" | "controlClass" | "storage" | "conditions" | "longRxEligible" | "route">;

/**
 * "chronic": an antiviral for a chronic viral infection (entecavir, tenofovir, HIV
 * antiretrovirals); "acute": any other antiviral (oseltamivir, aciclovir, ribavirin);
 * null: not an antiviral. An antiviral is ATC J05, or an entry without ATC whose conditions
 * are all chronic viral infections (the NEML class entry 艾滋病用药 has no single ATC).
 */
export function antiviralKind(drug: Pick<RuleDrug, "atc" | "antimicrobial" | "conditions">): "chronic" | "acute" | null {
  const atc = drug.atc?.trim().toUpperCase() ?? "";
  const viralConditions = drug.conditions.filter((c) => matchesAny(c, CHRONIC_VIRAL_INFECTIONS));
  const antiviral = atc.startsWith("J05") || (atc === "" && !drug.antimicrobial && viralConditions.length > 0 && viralConditions.length === drug.conditions.length);
  if (!antiviral) return null;
  return viralConditions.length > 0 ? "chronic" : "acute";
}

/**
 * The conditions an item may be on a long prescription for: an exempt antimicrobial only for
 * the chronic bacterial/fungal infections its entry lists (doxycycline listed for brucellosis
 * and acne is long-prescribable for brucellosis only); anti-TB entries and others for every
 * condition they list.
 */
export function longRxConditions(drug: PolicyDrug): string[] {
  if (drug.antimicrobial && !drug.antiTb && antiviralKind(drug) === null) return chronicInfectionsTreated(drug.conditions);
  return drug.conditions;
}

/** Why the drug may not be on a long prescription under `policy`, in Chinese for the doctor; null when it may. */
export function longRxBar(drug: PolicyDrug, policy: ConsortiumPolicy): string | null {
  if (drug.controlClass) return controlClassZh(drug.controlClass);
  const viral = antiviralKind(drug);
  if (viral === "acute") return "用于急性病毒感染的抗病毒药物（抗微生物药物，仅治疗慢性细菌、真菌感染的除外）";
  if (viral === "chronic" && !policy.antiviralsOnLongRx) {
    return "慢性病毒感染（乙肝、艾滋病等）抗病毒药物：规范仅豁免治疗结核等慢性细菌、真菌感染的抗微生物药物，本医联体未允许其开具长期处方";
  }
  if (viral === null && drug.antimicrobial && !drug.antiTb && chronicInfectionsTreated(drug.conditions).length === 0) {
    return `${antimicrobialZh(drug.antimicrobial)}，且目录未登记其治疗的慢性细菌、真菌感染（如结核、麻风）`;
  }
  if (drug.storage === "cold_chain" && !policy.coldChainOnLongRx) return `需${storageZh(drug.storage)}的药品（本医联体未允许冷链药品开具长期处方）`;
  if (drug.storage !== "normal" && drug.storage !== "cold_chain") return `需${storageZh(drug.storage)}的药品`;
  return null;
}

/** Routes of a product the patient uses at home; a cold-chain infusion is not one. */
const HOSPITAL_ROUTES = new Set(["iv", "im", "intradermal"]);

/**
 * Marked eligible by the formulary, or — where the consortium admits cold-chain products —
 * a cold-chain product for home use that lists the chronic conditions it treats and that
 * the national rule excludes only for its storage: the formulary cannot mark it eligible
 * (its consistency check applies the national rule), so the policy lists it.
 */
export function listedForLongRx(drug: PolicyDrug, policy: ConsortiumPolicy): boolean {
  if (drug.longRxEligible) return true;
  return (
    policy.coldChainOnLongRx &&
    drug.storage === "cold_chain" &&
    !HOSPITAL_ROUTES.has(drug.route) &&
    drug.conditions.length > 0 &&
    longRxExclusion({ ...drug, storage: "normal" }) === null
  );
}
