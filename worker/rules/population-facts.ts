/**
 * Facts about special populations, each with its source. A fact names its products by
 * DrugMatch: ATC codes or prefixes, and generic names (contained in the entry's name, so a
 * combination such as 西格列汀二甲双胍 is caught) — and the entry's active ingredients where
 * the formulary lists them (消渴丸 contains glibenclamide).
 *
 * - Age: classes and products children must not take below an age in years, months or days
 *   (抗菌药物临床应用指导原则（2015年版）第二部分 新生儿/小儿患者; the products' labels).
 * - Older people: the Chinese criteria (中国老年人潜在不适当用药判断标准（2017年版）), graded
 *   high or low risk as the criteria grade them; always warnings.
 * - Renal function: eGFR bands from the labels and the Chinese guidance named per fact.
 * - Pregnancy and lactation: the labels' 【禁忌】 and 【孕妇及哺乳期妇女用药】.
 * - Sex: only products whose label or route clearly restricts them to one sex.
 *
 * Where a label states no figure ("严重肾功能不全者禁用"), the fact says which eGFR band it
 * is read as (KDIGO G4–G5, eGFR < 30, for 严重/重度) and says so in its source text.
 */
import { ANTIMICROBIAL_GUIDE } from "./sources";
import type { PregnancyStatus, Severity } from "./types";

/**
 * How a fact recognises a product, or one of its ingredients: by ATC code or prefix where
 * it has an ATC code, else by a generic name contained in its name. A coded entry is never
 * matched by name, so a suffix such as 沙星 or 他汀 cannot catch an unrelated coded product.
 */
export interface DrugMatch {
  atc?: readonly string[];
  names?: readonly string[];
}

/** The label of one drug product (【禁忌】, 【儿童用药】 …), as facts cite it. */
const label = (product: string, sections: string) => `${product}说明书${sections}`;

// ---------------------------------------------------------------------------------------
// Age
// ---------------------------------------------------------------------------------------

/** 新生儿: from birth until 28 full days (诸福棠实用儿科学 / 儿科学: 新生儿期 自出生至满28天). */
export const NEONATAL_DAYS = 28;

export interface AgeRestriction {
  match: DrugMatch;
  className: string;
  /** the patient must have completed this much: years, months or days */
  min: { value: number; unit: "years" | "months" | "days" };
  why: string;
  source: string;
}

/** Systemic forms only: the rule leaves locally acting routes alone (eye drops are for children too). */
export const AGE_RESTRICTED: readonly AgeRestriction[] = [
  {
    match: { atc: ["J01MA"], names: ["沙星"] },
    className: "氟喹诺酮类",
    min: { value: 18, unit: "years" },
    why: "可能影响骨骼（关节软骨）发育，避免用于 18 岁以下未成年人",
    source: `${ANTIMICROBIAL_GUIDE}（小儿患者抗菌药物的应用：喹诺酮类）；氟喹诺酮类药品说明书【儿童用药】`,
  },
  {
    match: { atc: ["J01AA"], names: ["环素"] },
    className: "四环素类",
    min: { value: 8, unit: "years" },
    why: "可致牙齿黄染及牙釉质发育不良，不可用于 8 岁以下儿童",
    source: `${ANTIMICROBIAL_GUIDE}（小儿患者抗菌药物的应用：四环素类）；四环素类药品说明书【禁忌】`,
  },
  {
    match: { atc: ["R05DA04"], names: ["可待因"] },
    className: "可待因",
    min: { value: 12, unit: "years" },
    why: "儿童 CYP2D6 超快代谢可致吗啡蓄积、呼吸抑制甚至死亡，12 岁以下儿童禁用",
    source: "国家药品监督管理局关于修订含可待因药品说明书的公告（2018年）；磷酸可待因片说明书【禁忌】",
  },
  {
    match: { atc: ["J01E"], names: ["磺胺"] },
    className: "磺胺类",
    min: { value: 2, unit: "months" },
    why: "可与胆红素竞争白蛋白结合致核黄疸，新生儿及 2 个月以下婴儿禁用",
    source: `${label("复方磺胺甲噁唑片、磺胺嘧啶片", "【禁忌】")}；${ANTIMICROBIAL_GUIDE}（新生儿患者：磺胺药避免应用）`,
  },
  {
    match: { atc: ["J01XE"], names: ["呋喃妥因"] },
    className: "硝基呋喃类",
    min: { value: NEONATAL_DAYS, unit: "days" },
    why: "新生儿葡萄糖-6-磷酸脱氢酶系统未成熟，可致溶血性贫血，新生儿禁用",
    source: `${label("呋喃妥因肠溶片", "【禁忌】")}；${ANTIMICROBIAL_GUIDE}（新生儿患者：呋喃类避免应用）`,
  },
];

// ---------------------------------------------------------------------------------------
// Older people
// ---------------------------------------------------------------------------------------

/**
 * Older people: sixty full years and over (中华人民共和国老年人权益保障法第二条), the age
 * from which the Chinese criteria apply.
 */
export const ELDERLY_MIN_AGE = 60;

export interface ElderlyPim {
  /** a 7-character ATC code */
  atc: string;
  name: string;
  /** the criteria's grade: 高风险 (A) or 低风险 (B) */
  level: "high" | "low";
  risk: string;
  advice: string;
  /** listed only above this daily amount (地高辛 > 0.125 mg/d, 螺内酯 > 25 mg/d) */
  aboveDaily?: { value: number; unit: string };
  /** listed only for immediate-release forms (硝苯地平常释剂型): a form containing one of these is not */
  notForms?: readonly string[];
}

/**
 * From the criteria's table of medicines to avoid or use with care in older people (72
 * medicines or classes, 28 high-risk and 44 low-risk), the ones the consortium's list
 * carries. The grade of each entry is as we read the table; no copy of the criteria was
 * reachable while encoding, so a reviewer with the table should confirm the grades (the
 * finding is a warning either way).
 */
export const ELDERLY_PIMS: readonly ElderlyPim[] = [
  { atc: "A10BB01", name: "格列本脲", level: "high", risk: "作用时间长，易致老年人长时间低血糖", advice: "宜选用短效促泌剂或其他降糖药" },
  { atc: "N05BA01", name: "地西泮", level: "high", risk: "长效苯二氮䓬类，老年人代谢慢，镇静时间延长，增加认知受损、谵妄、跌倒和骨折风险", advice: "避免使用；必要时选短效药物并用最低剂量" },
  { atc: "N05BA06", name: "劳拉西泮", level: "high", risk: "苯二氮䓬类，增加认知受损、谵妄、跌倒、骨折和药物依赖风险", advice: "避免用于失眠、焦虑的长期治疗；必要时最低剂量、短疗程" },
  { atc: "N05BA12", name: "阿普唑仑", level: "high", risk: "苯二氮䓬类，增加认知受损、谵妄、跌倒、骨折和药物依赖风险", advice: "避免用于失眠、焦虑的长期治疗；必要时最低剂量、短疗程" },
  { atc: "N03AE01", name: "氯硝西泮", level: "high", risk: "长效苯二氮䓬类，镇静、共济失调，增加跌倒和骨折风险", advice: "避免用于失眠、焦虑；癫痫等适应证权衡后用最低剂量" },
  { atc: "N05CD04", name: "艾司唑仑", level: "low", risk: "苯二氮䓬类，镇静、认知受损，增加跌倒风险", advice: "最低剂量、短疗程，避免长期用于失眠" },
  { atc: "N05CF02", name: "唑吡坦", level: "low", risk: "非苯二氮䓬类催眠药，谵妄、跌倒和骨折风险，改善睡眠有限", advice: "避免长期使用（不超过 4 周），最低剂量" },
  { atc: "N05CF01", name: "佐匹克隆", level: "low", risk: "非苯二氮䓬类催眠药，谵妄、跌倒和骨折风险", advice: "避免长期使用，最低剂量" },
  { atc: "N03AA02", name: "苯巴比妥", level: "high", risk: "巴比妥类，成瘾性高，镇静和呼吸抑制，老年人耐受差", advice: "避免用于镇静催眠；抗癫痫时权衡后使用" },
  { atc: "N04AA01", name: "苯海索", level: "high", risk: "抗胆碱能作用强，致意识模糊、便秘、尿潴留，不宜用于抗精神病药所致锥体外系反应的预防", advice: "帕金森病宜选其他药物" },
  { atc: "N06AA09", name: "阿米替林", level: "high", risk: "三环类抗抑郁药，抗胆碱能作用强，致镇静、直立性低血压", advice: "宜选用其他抗抑郁药" },
  { atc: "N06AB05", name: "帕罗西汀", level: "low", risk: "抗胆碱能作用较强的选择性 5-羟色胺再摄取抑制剂，镇静、直立性低血压，低钠血症", advice: "宜选其他 SSRI；监测血钠" },
  { atc: "N06AB03", name: "氟西汀", level: "low", risk: "半衰期长，致失眠、激越、低钠血症", advice: "宜选半衰期短的 SSRI；监测血钠" },
  { atc: "N02AB02", name: "哌替啶", level: "high", risk: "代谢物去甲哌替啶蓄积致中枢神经毒性（谵妄、惊厥），镇痛效果不优于其他阿片类", advice: "避免使用，宜选其他阿片类" },
  { atc: "M01AB01", name: "吲哚美辛", level: "high", risk: "中枢神经系统不良反应多于其他非甾体抗炎药，并有消化道出血风险", advice: "避免使用；必要时选其他非甾体抗炎药并短期使用" },
  { atc: "M01AE01", name: "布洛芬", level: "low", risk: "非甾体抗炎药，消化道出血、溃疡，肾损害，升高血压，加重心力衰竭", advice: "避免长期使用；必要时最低剂量、短疗程，合用胃黏膜保护" },
  { atc: "M01AB05", name: "双氯芬酸", level: "low", risk: "非甾体抗炎药，消化道出血、溃疡，肾损害，心血管风险", advice: "避免长期使用；必要时最低剂量、短疗程" },
  { atc: "C01BD01", name: "胺碘酮", level: "low", risk: "QT 间期延长、尖端扭转型室速，甲状腺、肺毒性", advice: "非首选用于心房颤动节律控制；监测甲状腺、肺功能和心电图" },
  { atc: "C01AA05", name: "地高辛", level: "low", risk: "老年人肾清除下降，易致洋地黄中毒", advice: "每日不超过 0.125mg，监测血药浓度", aboveDaily: { value: 0.125, unit: "mg" } },
  { atc: "C08CA05", name: "硝苯地平（常释剂型）", level: "high", risk: "短效制剂致低血压、反射性心动过速和心肌缺血", advice: "避免使用常释剂型，宜选缓释、控释制剂或长效钙拮抗剂", notForms: ["缓释", "控释"] },
  { atc: "C02CA01", name: "哌唑嗪", level: "low", risk: "α1 受体阻滞剂，直立性低血压、晕厥", advice: "不宜作为降压一线用药" },
  { atc: "G04CA03", name: "特拉唑嗪", level: "low", risk: "α1 受体阻滞剂，直立性低血压、晕厥", advice: "睡前服用，注意体位变化" },
  { atc: "B01AA03", name: "华法林", level: "low", risk: "出血风险，与多种药物、食物相互作用", advice: "监测 INR，注意相互作用" },
  { atc: "B01AC04", name: "氯吡格雷", level: "low", risk: "出血风险，血液系统不良反应", advice: "监测出血征象和血常规" },
  { atc: "C03DA01", name: "螺内酯", level: "low", risk: "高钾血症（老年人肾功能下降时风险更高）", advice: "每日不超过 25mg，监测血钾和肾功能", aboveDaily: { value: 25, unit: "mg" } },
  { atc: "R03DA04", name: "茶碱", level: "low", risk: "治疗窗窄，心律失常、惊厥，相互作用多", advice: "监测血药浓度" },
  { atc: "R03DA05", name: "氨茶碱", level: "low", risk: "治疗窗窄，心律失常、惊厥，相互作用多", advice: "监测血药浓度" },
  { atc: "R06AB04", name: "氯苯那敏", level: "high", risk: "第一代抗组胺药，抗胆碱能作用强，致意识模糊、口干、便秘、尿潴留", advice: "宜选用第二代抗组胺药" },
  { atc: "R06AD02", name: "异丙嗪", level: "high", risk: "第一代抗组胺药，抗胆碱能和镇静作用强", advice: "宜选用第二代抗组胺药" },
  { atc: "R06AA02", name: "苯海拉明", level: "high", risk: "第一代抗组胺药，抗胆碱能和镇静作用强", advice: "宜选用第二代抗组胺药" },
];

export const PIM_LEVEL_ZH: Record<ElderlyPim["level"], string> = { high: "高风险", low: "低风险" };

// ---------------------------------------------------------------------------------------
// Renal function (eGFR, ml/min/1.73m²)
// ---------------------------------------------------------------------------------------

/**
 * An eGFR is trusted for 12 months from the day it was measured: from the same date a year
 * later it is stale (measured 2025-09-01: trusted through 2026-08-31). 二甲双胍 guidance
 * asks for renal function at least once a year (二甲双胍临床应用专家共识（2023年版）), and so
 * does the follow-up of chronic kidney disease from stage 3; a value older than that is not a
 * basis for a threshold. A stale value in a band asks for a re-test (a warning), it never
 * blocks; a missing value raises nothing.
 */
export const EGFR_TRUSTED_MONTHS = 12;

export interface RenalBand {
  /** the band applies when eGFR < below (bands are listed from the lowest) */
  below: number;
  severity: Severity;
  advice: string;
}

export interface RenalFact {
  match: DrugMatch;
  name: string;
  /** ascending by `below`: the first band the eGFR is under applies */
  bands: readonly RenalBand[];
  source: string;
}

/** 严重/重度 肾功能不全 read as eGFR < 30 (KDIGO 2012 G4–G5), where a label states no figure. */
const SEVERE_AS_30 = "说明书未给出数值，“严重/重度肾功能不全”按 KDIGO 2012 分期 G4–G5（eGFR < 30）判断";

export const RENAL_FACTS: readonly RenalFact[] = [
  {
    match: { atc: ["A10BA02", "A10BD"], names: ["二甲双胍"] },
    name: "二甲双胍",
    bands: [
      { below: 30, severity: "error", advice: "禁用（乳酸性酸中毒风险）" },
      { below: 45, severity: "warning", advice: "不建议起始使用；已在使用者应评估获益与风险并减量（每日不超过 1000mg）" },
    ],
    source: `${label("盐酸二甲双胍片", "【禁忌】【注意事项】")}；二甲双胍临床应用专家共识（2018年版、2023年版）（eGFR < 30 禁用，30–44 不建议起始、已用者减量）`,
  },
  {
    match: { atc: ["A10BB01"], names: ["格列本脲"] },
    name: "格列本脲",
    bands: [
      { below: 30, severity: "error", advice: "禁用（活性代谢物经肾排泄，蓄积致严重持久低血糖）" },
      { below: 60, severity: "warning", advice: "不推荐使用，宜换用格列喹酮或其他降糖药" },
    ],
    source: `${label("格列本脲片", "【禁忌】（严重肾功能不全者禁用）")}；中国2型糖尿病防治指南（2020年版）（肾功能不全患者口服降糖药的选择：格列本脲 eGFR < 60 不推荐）；${SEVERE_AS_30}`,
  },
  {
    match: { atc: ["A10BB12", "A10BB09"], names: ["格列美脲", "格列齐特"] },
    name: "格列美脲、格列齐特",
    bands: [{ below: 30, severity: "error", advice: "严重肾功能不全者禁用（低血糖风险），宜改用胰岛素或格列喹酮等" }],
    source: `${label("格列美脲片、格列齐特片（缓释片）", "【禁忌】（严重肾功能不全者禁用）")}；${SEVERE_AS_30}`,
  },
  {
    match: { atc: ["A10BF01"], names: ["阿卡波糖"] },
    name: "阿卡波糖",
    bands: [{ below: 25, severity: "error", advice: "严重肾功能损害（肌酐清除率 < 25ml/min）禁用" }],
    source: `${label("阿卡波糖片", "【禁忌】")}（说明书以肌酐清除率 25ml/min 为界，此处以 eGFR 近似）`,
  },
  {
    match: { atc: ["C03DA01", "C03DB"], names: ["螺内酯", "氨苯蝶啶"] },
    name: "保钾利尿药（螺内酯、氨苯蝶啶）",
    bands: [{ below: 30, severity: "error", advice: "避免使用（高钾血症风险），eGFR < 30 为醛固酮受体拮抗剂禁忌" }],
    source: `${label("螺内酯片、氨苯蝶啶片", "【禁忌】（高钾血症、严重肾功能不全）")}；中国心力衰竭诊断和治疗指南2018（醛固酮受体拮抗剂禁忌证：eGFR < 30 ml/min/1.73m² 或血肌酐 > 221μmol/L，血钾 > 5.0mmol/L）`,
  },
  {
    // ATC M01A minus M01AX (glucosamine and other non-NSAIDs)
    match: {
      atc: ["M01AA", "M01AB", "M01AC", "M01AE", "M01AG", "M01AH"],
      names: ["布洛芬", "双氯芬酸", "吲哚美辛", "洛索洛芬", "萘普生", "美洛昔康", "氯诺昔康", "塞来昔布", "依托考昔", "氟比洛芬", "酮洛芬", "尼美舒利", "萘丁美酮"],
    },
    name: "非甾体抗炎药",
    bands: [{ below: 30, severity: "error", advice: "重度肾功能不全者禁用（抑制前列腺素致肾血流下降、急性肾损伤）" }],
    source: `${label("布洛芬、双氯芬酸钠、吲哚美辛、洛索洛芬钠等非甾体抗炎药", "【禁忌】（严重/重度肾功能不全者禁用）")}；${SEVERE_AS_30}`,
  },
  {
    match: { atc: ["J01XE01"], names: ["呋喃妥因"] },
    name: "呋喃妥因",
    bands: [
      { below: 45, severity: "error", advice: "禁用：肾功能减退时尿中浓度不足而血药浓度升高，周围神经炎等毒性增加" },
      { below: 60, severity: "warning", advice: "说明书：肾功能减退者禁用；eGFR 45–59 仅可短疗程、权衡后使用" },
    ],
    source: `${label("呋喃妥因肠溶片", "【禁忌】（肾功能减退者禁用）")}；说明书未给出数值，eGFR < 45 禁用按英国药品和健康产品管理局（MHRA）2014 年药物安全更新的阈值，45–59 为肾功能减退按说明书提示`,
  },
  {
    match: { atc: ["B01AE07"], names: ["达比加群"] },
    name: "达比加群酯",
    bands: [
      { below: 30, severity: "error", advice: "重度肾功能不全（肌酐清除率 < 30ml/min）禁用" },
      { below: 50, severity: "warning", advice: "中度肾功能不全（30–49ml/min）出血风险增加，评估后考虑每次 110mg 每日 2 次，监测肾功能" },
    ],
    source: `${label("达比加群酯胶囊", "【禁忌】【用法用量】")}（说明书以 Cockcroft-Gault 肌酐清除率分级，此处以 eGFR 近似，必要时按肌酐清除率复核）`,
  },
  {
    match: { atc: ["B01AF01"], names: ["利伐沙班"] },
    name: "利伐沙班",
    bands: [
      { below: 15, severity: "error", advice: "肌酐清除率 < 15ml/min 不建议使用" },
      { below: 30, severity: "warning", advice: "肌酐清除率 15–29ml/min 慎用，需减量并监测出血" },
    ],
    source: `${label("利伐沙班片", "【用法用量】【注意事项】")}（说明书以肌酐清除率分级，此处以 eGFR 近似）`,
  },
  {
    match: { atc: ["J01EE01"], names: ["复方磺胺甲"] },
    name: "复方磺胺甲噁唑",
    bands: [{ below: 30, severity: "error", advice: "重度肾功能损害者禁用" }],
    source: `${label("复方磺胺甲噁唑片", "【禁忌】（重度肝肾功能损害者禁用）")}；${SEVERE_AS_30}`,
  },
];

// ---------------------------------------------------------------------------------------
// Pregnancy and lactation
// ---------------------------------------------------------------------------------------

/**
 * How long a recorded status is believed. A pregnancy recorded on a day has ended 42 weeks
 * (294 days) later at the latest (a term pregnancy is 37–42 weeks; 过期妊娠 from 42), so a
 * "pregnant" flag older than that raises nothing (the doctor should update the record);
 * lactation is believed for 24 months (WHO and 中国居民膳食指南（2022）: breastfeeding may
 * continue to two years).
 */
export const STATUS_TRUSTED_DAYS: Record<PregnancyStatus, number> = { pregnant: 294, lactating: 730 };

export interface StatusAdvice {
  severity: Severity;
  why: string;
}

export interface PregnancyFact {
  match: DrugMatch;
  name: string;
  pregnant?: StatusAdvice;
  lactating?: StatusAdvice;
  source: string;
  /** also for locally acting routes (retinoid gels are contraindicated in pregnancy too) */
  local?: boolean;
}

const MATERNAL = "【孕妇及哺乳期妇女用药】";

export const PREGNANCY_FACTS: readonly PregnancyFact[] = [
  {
    match: { atc: ["C09A", "C09B"], names: ["普利"] },
    name: "血管紧张素转换酶抑制剂",
    pregnant: { severity: "error", why: "妊娠中晚期使用可致胎儿肾衰竭、羊水过少、颅骨发育不全甚至死亡，孕妇禁用，确认妊娠应立即停药" },
    lactating: { severity: "warning", why: "少量分泌入乳汁，哺乳期不推荐使用，必须使用时应停止哺乳或选用资料较多的品种（如依那普利、卡托普利）" },
    source: label("卡托普利片、依那普利片等", `【禁忌】${MATERNAL}`),
  },
  {
    match: { atc: ["C09C", "C09D"], names: ["沙坦"] },
    name: "血管紧张素Ⅱ受体拮抗剂",
    pregnant: { severity: "error", why: "作用于肾素-血管紧张素系统，妊娠中晚期可致胎儿损害甚至死亡，孕妇禁用" },
    lactating: { severity: "warning", why: "是否分泌入人乳汁不明，哺乳期不推荐使用" },
    source: label("缬沙坦胶囊、厄贝沙坦片、替米沙坦片等", `【禁忌】${MATERNAL}`),
  },
  {
    match: { atc: ["C10AA", "C10BA", "C10BX"], names: ["他汀"] },
    name: "他汀类",
    pregnant: { severity: "error", why: "胆固醇合成对胎儿发育必需，孕妇禁用" },
    lactating: { severity: "error", why: "可能分泌入乳汁，哺乳期妇女禁用" },
    source: label("阿托伐他汀钙片、辛伐他汀片、瑞舒伐他汀钙片", `【禁忌】${MATERNAL}`),
  },
  {
    match: { atc: ["B01AA"], names: ["华法林"] },
    name: "华法林",
    pregnant: { severity: "error", why: "可通过胎盘致胎儿畸形（华法林胚胎病）和出血，孕妇禁用" },
    lactating: { severity: "warning", why: "少量进入乳汁，哺乳期使用应监测婴儿凝血情况" },
    source: label("华法林钠片", `【禁忌】${MATERNAL}`),
  },
  {
    match: { atc: ["L01BA01", "L04AX03"], names: ["甲氨蝶呤"] },
    name: "甲氨蝶呤",
    pregnant: { severity: "error", why: "可致胎儿死亡和先天畸形，孕妇禁用" },
    lactating: { severity: "error", why: "分泌入乳汁，哺乳期妇女禁用" },
    source: label("甲氨蝶呤片", `【禁忌】${MATERNAL}`),
  },
  {
    match: { atc: ["L04AK01"], names: ["来氟米特"] },
    name: "来氟米特",
    pregnant: { severity: "error", why: "致畸，孕妇及未采取可靠避孕措施的育龄妇女禁用" },
    lactating: { severity: "error", why: "哺乳期妇女禁用" },
    source: label("来氟米特片", `【禁忌】${MATERNAL}`),
  },
  {
    match: { atc: ["A02BB01", "G02AD06"], names: ["米索前列醇"] },
    name: "米索前列醇",
    pregnant: { severity: "warning", why: "可致子宫收缩、流产和胎儿畸形：仅用于与米非司酮序贯终止早孕，拟继续妊娠者不得使用，请确认用药目的" },
    lactating: { severity: "warning", why: "活性代谢物可分泌入乳汁，可致婴儿腹泻，用药期间宜暂停哺乳" },
    source: label("米索前列醇片", `【适应症】【禁忌】${MATERNAL}`),
  },
  {
    match: { atc: ["D10BA", "D10AD"], names: ["异维A酸", "维A酸", "阿达帕林"] },
    name: "维 A 酸类",
    pregnant: { severity: "error", why: "强致畸性，孕妇禁用（外用制剂说明书同样列为孕妇禁用）" },
    lactating: { severity: "error", why: "哺乳期妇女禁用" },
    source: label("异维A酸软胶囊、维A酸乳膏、阿达帕林凝胶", `【禁忌】${MATERNAL}`),
    local: true,
  },
  {
    match: { atc: ["J01AA"], names: ["环素"] },
    name: "四环素类",
    pregnant: { severity: "error", why: "可致胎儿牙齿着色、骨骼发育抑制，孕妇避免使用" },
    lactating: { severity: "warning", why: "可分泌入乳汁致婴儿牙齿着色，哺乳期避免使用，必须使用时暂停哺乳" },
    source: `${ANTIMICROBIAL_GUIDE}（妊娠期和哺乳期患者抗菌药物的应用）；多西环素片、米诺环素胶囊说明书${MATERNAL}`,
  },
  {
    match: { atc: ["J01MA"], names: ["沙星"] },
    name: "氟喹诺酮类",
    pregnant: { severity: "error", why: "可能影响胎儿软骨发育，孕妇禁用" },
    lactating: { severity: "error", why: "分泌入乳汁，可能影响婴儿软骨发育，哺乳期妇女禁用（必须使用时停止哺乳）" },
    source: `${label("左氧氟沙星片、环丙沙星片、莫西沙星片", `【禁忌】${MATERNAL}`)}；${ANTIMICROBIAL_GUIDE}（哺乳期患者应避免用喹诺酮类）`,
  },
  {
    match: { atc: ["J01GB"], names: ["庆大霉素", "阿米卡星", "妥布霉素", "奈替米星", "依替米星"] },
    name: "氨基糖苷类",
    pregnant: { severity: "warning", why: "对母体和胎儿均有耳、肾毒性，妊娠期避免应用；确有指征时应监测血药浓度" },
    lactating: { severity: "warning", why: "哺乳期应避免应用，必须使用时暂停哺乳" },
    source: `${ANTIMICROBIAL_GUIDE}（妊娠期和哺乳期患者抗菌药物的应用）`,
  },
  {
    match: { atc: ["J01EE01"], names: ["复方磺胺甲"] },
    name: "复方磺胺甲噁唑",
    pregnant: { severity: "error", why: "可致胎儿核黄疸，甲氧苄啶为叶酸拮抗剂，孕妇禁用" },
    lactating: { severity: "error", why: "分泌入乳汁，可致婴儿核黄疸，哺乳期妇女禁用" },
    source: label("复方磺胺甲噁唑片", "【禁忌】"),
  },
  {
    match: { atc: ["J05AP01"], names: ["利巴韦林"] },
    name: "利巴韦林",
    pregnant: { severity: "error", why: "有明显致畸作用，孕妇禁用" },
    lactating: { severity: "warning", why: "哺乳期用药期间应暂停哺乳" },
    source: `${label("利巴韦林片", `【禁忌】${MATERNAL}`)}；${ANTIMICROBIAL_GUIDE}（妊娠期禁用：利巴韦林）`,
  },
  {
    match: { atc: ["J01XE01"], names: ["呋喃妥因"] },
    name: "呋喃妥因",
    pregnant: { severity: "warning", why: "足月孕妇禁用（可致新生儿溶血），妊娠晚期避免使用" },
    source: label("呋喃妥因肠溶片", "【禁忌】（足月孕妇禁用）"),
  },
  {
    match: { atc: ["C02KX01"], names: ["波生坦"] },
    name: "波生坦",
    pregnant: { severity: "error", why: "致畸，孕妇禁用" },
    lactating: { severity: "warning", why: "不推荐哺乳期使用" },
    source: label("波生坦片", `【禁忌】${MATERNAL}`),
  },
  {
    match: { atc: ["R05DA04"], names: ["可待因"] },
    name: "可待因",
    lactating: { severity: "error", why: "母亲为 CYP2D6 超快代谢者时乳汁中吗啡浓度升高，可致婴儿呼吸抑制，哺乳期妇女禁用" },
    source: "国家药品监督管理局关于修订含可待因药品说明书的公告（2018年）；磷酸可待因片说明书【禁忌】",
  },
];

// ---------------------------------------------------------------------------------------
// Sex
// ---------------------------------------------------------------------------------------

export interface SexRestriction {
  match: DrugMatch;
  name: string;
  /** the sex the product is for */
  only: "male" | "female";
  why: string;
  source: string;
}

/** Only where the label (or the route) leaves no doubt; a product merely indicated for one sex is not listed. */
export const SEX_RESTRICTED: readonly SexRestriction[] = [
  {
    match: { atc: ["G04CB01"], names: ["非那雄胺"] },
    name: "非那雄胺",
    only: "male",
    why: "说明书：本品不适用于妇女，孕妇及可能怀孕的妇女禁用（可致男性胎儿外生殖器异常）",
    source: label("非那雄胺片", "【禁忌】【注意事项】"),
  },
  {
    match: { atc: ["G02AB"], names: ["麦角新碱"] },
    name: "麦角新碱",
    only: "female",
    why: "子宫收缩药，仅用于产后或流产后子宫出血",
    source: label("马来酸麦角新碱注射液", "【适应症】"),
  },
];

/** A vaginal route is for female patients whatever the product (阴道给药). */
export const FEMALE_ONLY_ROUTES: readonly string[] = ["vaginal"];
