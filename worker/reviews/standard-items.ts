/*
 * 处方点评的标准条目 (医院处方点评管理规范（试行）, 卫医管发〔2010〕28号, 第十七条 不规范处方 15
 * items, 第十八条 用药不适宜处方 9 items, 第十九条 超常处方 4 items) as ONE typed table, and
 * which of them each engine rule suggests. Pure: the service, the pages and the tests read it.
 * The codes are a public contract (stored in review_items.problems): add, never renumber.
 */

/** The categories of 不合理处方, from the least to the most grave. */
export const REVIEW_CATEGORIES = ["non_standard", "inappropriate", "abnormal"] as const;
export type ReviewCategory = (typeof REVIEW_CATEGORIES)[number];
export type ReviewOutcome = "rational" | ReviewCategory;

export interface StandardItem {
  code: string;
  category: ReviewCategory;
  /** the item as the 规范 words it (shortened where it lists examples) */
  label: string;
}

export const STANDARD_ITEMS = [
  { code: "ns-01", category: "non_standard", label: "处方的前记、正文、后记内容缺项，书写不规范或者字迹难以辨认" },
  { code: "ns-02", category: "non_standard", label: "医师签名、签章不规范或者与签名、签章的留样不一致" },
  { code: "ns-03", category: "non_standard", label: "药师未对处方进行适宜性审核（无审核、调配、核对、发药药师签名，或单人值班未执行双签名）" },
  { code: "ns-04", category: "non_standard", label: "早产儿、新生儿、婴幼儿处方未写明体重或日、月龄" },
  { code: "ns-05", category: "non_standard", label: "西药、中成药与中药饮片未分别开具处方" },
  { code: "ns-06", category: "non_standard", label: "未使用药品规范名称开具处方" },
  { code: "ns-07", category: "non_standard", label: "药品的剂量、规格、数量、单位等书写不规范或不清楚" },
  { code: "ns-08", category: "non_standard", label: "用法、用量使用“遵医嘱”“自用”等含糊不清字句" },
  { code: "ns-09", category: "non_standard", label: "处方修改未签名并注明修改日期，或药品超剂量使用未注明原因和再次签名" },
  { code: "ns-10", category: "non_standard", label: "开具处方未写临床诊断或临床诊断书写不全" },
  { code: "ns-11", category: "non_standard", label: "单张门急诊处方超过五种药品" },
  { code: "ns-12", category: "non_standard", label: "无特殊情况下门诊处方超过7日用量、急诊处方超过3日用量，或延长用量未注明理由" },
  { code: "ns-13", category: "non_standard", label: "开具麻醉药品、精神药品、医疗用毒性药品、放射性药品等特殊管理药品处方未执行国家有关规定" },
  { code: "ns-14", category: "non_standard", label: "医师未按照抗菌药物临床应用管理规定开具抗菌药物处方" },
  { code: "ns-15", category: "non_standard", label: "中药饮片处方药物未按“君、臣、佐、使”顺序排列，或未标注调剂、煎煮等特殊要求" },
  { code: "ia-01", category: "inappropriate", label: "适应证不适宜" },
  { code: "ia-02", category: "inappropriate", label: "遴选的药品不适宜" },
  { code: "ia-03", category: "inappropriate", label: "药品剂型或给药途径不适宜" },
  { code: "ia-04", category: "inappropriate", label: "无正当理由不首选国家基本药物" },
  { code: "ia-05", category: "inappropriate", label: "用法、用量不适宜" },
  { code: "ia-06", category: "inappropriate", label: "联合用药不适宜" },
  { code: "ia-07", category: "inappropriate", label: "重复给药" },
  { code: "ia-08", category: "inappropriate", label: "有配伍禁忌或者不良相互作用" },
  { code: "ia-09", category: "inappropriate", label: "其它用药不适宜情况" },
  { code: "ab-01", category: "abnormal", label: "无适应证用药" },
  { code: "ab-02", category: "abnormal", label: "无正当理由开具高价药" },
  { code: "ab-03", category: "abnormal", label: "无正当理由超说明书用药" },
  { code: "ab-04", category: "abnormal", label: "无正当理由为同一患者同时开具2种以上药理作用相同药物" },
] as const satisfies readonly StandardItem[];

export type StandardItemCode = (typeof STANDARD_ITEMS)[number]["code"];
export const STANDARD_ITEM_CODES = STANDARD_ITEMS.map((i) => i.code) as [StandardItemCode, ...StandardItemCode[]];

const BY_CODE: ReadonlyMap<string, StandardItem> = new Map(STANDARD_ITEMS.map((i) => [i.code, i]));

export function standardItem(code: string): StandardItem | undefined {
  return BY_CODE.get(code);
}

/**
 * The engine's rule ids and the standard items a finding of that rule suggests to the
 * reviewer (who confirms or clears them). Every rule of worker/rules/catalogue.ts has an
 * entry (a test checks it); an empty list means the finding is for the pharmacist's check
 * and says nothing about the prescription's quality.
 */
export const RULE_SUGGESTIONS: Readonly<Record<string, readonly StandardItemCode[]>> = {
  "rx-diagnosis-required": ["ns-10"],
  "rx-drug-unknown": ["ia-02"],
  "rx-drug-inactive": ["ia-02"],
  "rx-drug-level": ["ia-02"],
  "rx-max-items": ["ns-11"],
  "rx-days-emergency": ["ns-12"],
  "rx-days-reason": ["ns-12"],
  "rx-days-normal-max": ["ns-12"],
  "rx-quantity-excess": ["ns-07"],
  "rx-quantity-short": ["ns-07"],
  "rx-dose-max-daily": ["ia-05"],
  "rx-dose-max-single": ["ia-05"],
  "rx-regimen-weekly": ["ia-05"],
  "rx-frequency-label": ["ia-05"],
  "rx-dose-unit-mismatch": ["ns-07"],
  "rx-quantity-unverifiable": [],
  "rx-controlled-online": ["ns-13"],
  "antimicrobial-prescribing-right": ["ns-14"],
  "antimicrobial-special-outpatient": ["ns-14"],
  "ltrx-max-days": ["ns-12"],
  "ltrx-assessment-required": ["ns-12"],
  "ltrx-drug-excluded": ["ia-02"],
  "ltrx-drug-not-listed": ["ia-02"],
  "ltrx-condition-required": ["ia-01"],
  "ltrx-condition-unstable": ["ia-09"],
  "ltrx-prescriber-qualification": ["ia-09"],
  "ltrx-reassessment-due": ["ia-09"],
  "ltrx-first-issue-missing": ["ia-09"],
  "safety-allergy": ["ia-02"],
  "safety-allergy-cross": ["ia-02"],
  "population-age-restricted": ["ia-02"],
  "population-elderly-pim": ["ia-02"],
  "population-sex": ["ia-02"],
  "population-renal": ["ia-02"],
  "population-renal-caution": ["ia-05"],
  // an old eGFR asks for a new test; it says nothing about the drugs chosen
  "population-renal-stale": [],
  "population-pregnancy": ["ia-02"],
  "population-pregnancy-caution": ["ia-02"],
  "population-lactation": ["ia-02"],
  "population-lactation-caution": ["ia-02"],
  "safety-interaction-major": ["ia-08"],
  "safety-interaction-moderate": ["ia-08"],
  "safety-duplicate-ingredient": ["ia-07"],
  "safety-duplicate-class": ["ab-04"],
};

/** Codes in table order, each once: how problems are stored and shown. */
export function normaliseProblems(codes: readonly string[]): StandardItemCode[] {
  const known = STANDARD_ITEMS.filter((i) => codes.includes(i.code));
  return known.map((i) => i.code);
}

/** The items the stored findings of a prescription suggest (unknown rule ids suggest nothing). */
export function suggestedItems(findings: readonly { ruleId: string }[]): StandardItemCode[] {
  return normaliseProblems(findings.flatMap((f) => RULE_SUGGESTIONS[f.ruleId] ?? []));
}

/** The outcome of a review: the gravest category among its problems, 'rational' when none. */
export function outcomeOf(problems: readonly string[]): ReviewOutcome {
  let gravest = -1;
  for (const code of problems) {
    const item = BY_CODE.get(code);
    if (item) gravest = Math.max(gravest, REVIEW_CATEGORIES.indexOf(item.category));
  }
  return gravest < 0 ? "rational" : (REVIEW_CATEGORIES[gravest] ?? "rational");
}

