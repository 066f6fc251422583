/**
 * The recent adjustments of the narcotic and psychotropic catalogues, applied to formulary
 * entries whose own class predates them (issue 10, facts). A consortium formulary imported
 * before 2024-07-01 says nothing about 右美沙芬 and calls 咪达唑仑注射液 class II; from that date
 * the first is class II and the second class I. The engine takes the stricter of the entry's
 * class and the listed one (see `withListedControlClasses`), so every rule that reads
 * `controlClass` (rx-controlled-online, the long-prescription exclusion) sees the current list.
 *
 * Scope: the substances the 2023 and 2024 announcements added or moved. The older catalogue
 * (2013) is the importer's business and is carried by the entries themselves (the NEML seed
 * sets it with its source); recognising every listed substance by name would need its salts,
 * compounds and exceptions (阿扑吗啡 is not 吗啡), which this table does not attempt.
 */
import { prescriptionDate } from "./items";
import type { RuleContext, RuleDrug } from "./types";

type ListedClass = "narcotic" | "psychotropic_1" | "psychotropic_2";

export const PSYCHOTROPIC_2024 = "国家药监局 公安部 国家卫生健康委关于调整精神药品目录的公告（2024年第54号，2024年7月1日起施行）";
export const CONTROLLED_2023 = "国家药监局 公安部 国家卫生健康委关于调整麻醉药品和精神药品目录的公告（2023年第43号，2023年7月1日起施行）";

interface ListedSubstance {
  /** the substance as Chinese generic names write it (salts are prefixes: 氢溴酸右美沙芬) */
  name: string;
  /** lower-case INN, matched against the entry's INN and ingredient molecules */
  inn: string;
  /** single-ingredient preparations; by form where the announcement splits them; null: not listed */
  single: ListedClass | { injection: ListedClass; other: ListedClass } | null;
  /** preparations with other active ingredients; null: not listed */
  compound: ListedClass | null;
  /** China date the listing takes effect */
  from: string;
  source: string;
}

export const LISTED_SUBSTANCES: readonly ListedSubstance[] = [
  { name: "右美沙芬", inn: "dextromethorphan", single: "psychotropic_2", compound: null, from: "2024-07-01", source: PSYCHOTROPIC_2024 },
  // 地芬诺酯 itself has been a narcotic since the 2013 catalogue; 2024 adds its compounds (复方地芬诺酯片)
  { name: "地芬诺酯", inn: "diphenoxylate", single: "narcotic", compound: "psychotropic_2", from: "2024-07-01", source: PSYCHOTROPIC_2024 },
  { name: "纳呋拉啡", inn: "nalfurafine", single: "psychotropic_2", compound: "psychotropic_2", from: "2024-07-01", source: PSYCHOTROPIC_2024 },
  { name: "氯卡色林", inn: "lorcaserin", single: "psychotropic_2", compound: "psychotropic_2", from: "2024-07-01", source: PSYCHOTROPIC_2024 },
  // 原料药和注射剂 class I; 其他咪达唑仑单方制剂仍为第二类精神药品
  {
    name: "咪达唑仑",
    inn: "midazolam",
    single: { injection: "psychotropic_1", other: "psychotropic_2" },
    compound: null,
    from: "2024-07-01",
    source: PSYCHOTROPIC_2024,
  },
  { name: "奥赛利定", inn: "oliceridine", single: "narcotic", compound: "narcotic", from: "2023-07-01", source: CONTROLLED_2023 },
  { name: "苏沃雷生", inn: "suvorexant", single: "psychotropic_2", compound: "psychotropic_2", from: "2023-07-01", source: CONTROLLED_2023 },
  { name: "吡仑帕奈", inn: "perampanel", single: "psychotropic_2", compound: "psychotropic_2", from: "2023-07-01", source: CONTROLLED_2023 },
  { name: "依他佐辛", inn: "eptazocine", single: "psychotropic_2", compound: "psychotropic_2", from: "2023-07-01", source: CONTROLLED_2023 },
  // single-ingredient tramadol has been class II since the 2013 catalogue; 2023 adds its compounds (氨酚曲马多)
  { name: "曲马多", inn: "tramadol", single: "psychotropic_2", compound: "psychotropic_2", from: "2023-07-01", source: CONTROLLED_2023 },
];

/** Strictest first; toxic, radioactive and precursor are other regimes and are never replaced. */
const STRICTNESS: Record<ListedClass, number> = { narcotic: 3, psychotropic_1: 2, psychotropic_2: 1 };

function isListedClass(c: string | null): c is ListedClass {
  return c !== null && c in STRICTNESS;
}

function containsSubstance(drug: RuleDrug, s: ListedSubstance): boolean {
  if (drug.genericName.includes(s.name)) return true;
  if (drug.innName?.toLowerCase().includes(s.inn)) return true;
  return (drug.ingredients ?? []).some((i) => i.name.includes(s.name) || i.molecule.toLowerCase() === s.inn);
}

/** A preparation with another active ingredient: two listed ingredients, or a 复方/氨酚 name. */
function isCompound(drug: RuleDrug): boolean {
  if ((drug.ingredients ?? []).length > 1) return true;
  return /复方|氨酚/.test(drug.genericName);
}

function isInjection(drug: RuleDrug): boolean {
  return /注射/.test(drug.form) || ["iv", "im", "sc"].includes(drug.route);
}

/** The class the adjustments give this entry on `date` (YYYY-MM-DD), the strictest if several apply. */
export function listedControlClass(drug: RuleDrug, date: string): ListedClass | null {
  let best: ListedClass | null = null;
  for (const s of LISTED_SUBSTANCES) {
    if (date < s.from || !containsSubstance(drug, s)) continue;
    const rule = isCompound(drug) ? s.compound : s.single;
    const listed = rule === null || typeof rule === "string" ? rule : isInjection(drug) ? rule.injection : rule.other;
    if (listed && (!best || STRICTNESS[listed] > STRICTNESS[best])) best = listed;
  }
  return best;
}

/** The stricter of the entry's own class and the listed one; the entry's wins for the other regimes. */
export function effectiveControlClass(drug: RuleDrug, date: string): string | null {
  const listed = listedControlClass(drug, date);
  if (!listed) return drug.controlClass;
  if (drug.controlClass === null) return listed;
  if (!isListedClass(drug.controlClass)) return drug.controlClass;
  return STRICTNESS[listed] > STRICTNESS[drug.controlClass] ? listed : drug.controlClass;
}

/** The context with every formulary entry's class brought up to the lists in force on the prescription date. */
export function withListedControlClasses(ctx: RuleContext): RuleContext {
  const date = prescriptionDate(ctx);
  let changed = false;
  const formulary: RuleContext["formulary"] = {};
  for (const [code, view] of Object.entries(ctx.formulary)) {
    const controlClass = effectiveControlClass(view.drug, date);
    if (controlClass === view.drug.controlClass) {
      formulary[code] = view;
    } else {
      formulary[code] = { ...view, drug: { ...view.drug, controlClass } };
      changed = true;
    }
  }
  return changed ? { ...ctx, formulary } : ctx;
}
