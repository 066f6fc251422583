/**
 * Special populations, from the patient record on the prescription's China date: age (years,
 * and months or days under one year, as the prescription states it), sex, renal function
 * (eGFR) and pregnancy or lactation. Facts and their sources in population-facts.ts.
 *
 * Severities: a contraindication the label states (禁用) is an error; what the label or the
 * guidance asks to avoid, reduce or weigh (慎用, 不建议, 减量), and every entry of the
 * elderly criteria, is a warning. Each family that has both has two rule ids, one per
 * severity (a rule has one severity). Unknown data (no eGFR, no status, an unreadable birth
 * date) raises nothing.
 */
import { ageParts, ageText, dayNumber } from "./dates";
import { actsLocally, eachKnownItem, itemPath, prescriptionDate } from "./items";
import {
  AGE_RESTRICTED,
  type DrugMatch,
  EGFR_TRUSTED_MONTHS,
  ELDERLY_MIN_AGE,
  ELDERLY_PIMS,
  FEMALE_ONLY_ROUTES,
  PIM_LEVEL_ZH,
  PREGNANCY_FACTS,
  type PregnancyFact,
  RENAL_FACTS,
  type RenalBand,
  type RenalFact,
  SEX_RESTRICTED,
  STATUS_TRUSTED_DAYS,
  type StatusAdvice,
} from "./population-facts";
import { dailyAmount } from "./quantity";
import { ANTIMICROBIAL_GUIDE, ELDERLY_LAW, ELDERLY_PIM, RX_MEASURES } from "./sources";
import { drugLabel, num } from "./text";
import type { PregnancyStatus, Rule, RuleContext, RuleDrug, RuleHit, Severity } from "./types";

function patientAge(ctx: RuleContext) {
  return ageParts(ctx.patient.birthDate, prescriptionDate(ctx));
}

/** The age as the prescription states it ("68岁", "11月", "29天"). */
function statedAge(ctx: RuleContext): string {
  return ageText(ctx.patient.birthDate, prescriptionDate(ctx));
}

function upper(atc: string | null | undefined): string {
  return atc ? atc.trim().toUpperCase() : "";
}

/** One subject (the entry or one ingredient): by ATC where it has one, else by name. */
function subjectMatches(atc: string, name: string, m: DrugMatch): boolean {
  if (atc) return (m.atc ?? []).some((prefix) => atc.startsWith(prefix));
  return (m.names ?? []).some((n) => name.includes(n));
}

/** The entry or any of its active ingredients (消渴丸 contains glibenclamide). */
export function drugMatches(drug: RuleDrug, m: DrugMatch): boolean {
  if (subjectMatches(upper(drug.atc), drug.genericName, m)) return true;
  return (drug.ingredients ?? []).some((i) => subjectMatches(upper(i.atc), i.name, m));
}

/** The ATC codes of the entry and its ingredients (7 characters), for exact-code facts. */
function atcCodes(drug: RuleDrug): string[] {
  return [drug.atc, ...(drug.ingredients ?? []).map((i) => i.atc)].map((a) => upper(a).slice(0, 7)).filter((a) => a !== "");
}

function hitOn(index: number, message: string): RuleHit {
  return { itemIndex: index, path: itemPath(index, "drugCode"), message };
}

// ---------------------------------------------------------------------------------------
// Age
// ---------------------------------------------------------------------------------------

const UNIT_ZH = { years: "岁", months: "个月", days: "天" } as const;

/** An unknown age (a birth date the engine cannot read) says nothing either way, so neither rule fires. */
export const populationAgeRestricted: Rule = {
  id: "population-age-restricted",
  severity: "error",
  source: `${ANTIMICROBIAL_GUIDE}；药品说明书【禁忌】【儿童用药】；${RX_MEASURES}第六条（新生儿、婴幼儿写日、月龄）`,
  description: "患者年龄（1 岁以下按月龄、日龄）低于该药品允许使用的年龄",
  check: (ctx) => {
    const age = patientAge(ctx);
    if (Number.isNaN(age.days)) return [];
    return eachKnownItem(ctx, (_item, drug, index) => {
      if (actsLocally(drug)) return null;
      const r = AGE_RESTRICTED.find((x) => age[x.min.unit] < x.min.value && drugMatches(drug, x.match));
      if (!r) return null;
      return hitOn(index, `${drugLabel(drug)}：患者 ${statedAge(ctx)}，未满 ${r.min.value} ${UNIT_ZH[r.min.unit]}，${r.className}${r.why}（依据：${r.source}）`);
    });
  },
};

export const populationElderlyPim: Rule = {
  id: "population-elderly-pim",
  severity: "warning",
  source: `${ELDERLY_PIM}；${ELDERLY_LAW}`,
  description: "老年患者（60 岁及以上）使用潜在不适当药物",
  check: (ctx) => {
    const age = patientAge(ctx).years;
    if (!(age >= ELDERLY_MIN_AGE)) return [];
    return eachKnownItem(ctx, (item, drug, index) => {
      if (actsLocally(drug)) return null;
      const codes = atcCodes(drug);
      const pim = ELDERLY_PIMS.find((p) => {
        // an entry with no ATC code anywhere is matched by the name the criteria use (硝苯地平（常释剂型） → 硝苯地平)
        const listed = codes.length > 0 ? codes.includes(p.atc) : drugMatches(drug, { names: [p.name.replace(/（.*）$/, "")] });
        if (!listed) return false;
        if (p.notForms?.some((f) => drug.form.includes(f))) return false;
        if (!p.aboveDaily) return true;
        const daily = dailyAmount(item, drug, p.aboveDaily.unit);
        // a dose the engine cannot convert is left to the unit rules: no claim either way
        return daily !== null && daily > p.aboveDaily.value;
      });
      if (!pim) return null;
      const above = pim.aboveDaily ? `（每日超过 ${num(pim.aboveDaily.value)}${pim.aboveDaily.unit}）` : "";
      return hitOn(
        index,
        `${drugLabel(drug)}：患者 ${age} 岁，${pim.name}${above}列入《中国老年人潜在不适当用药判断标准（2017年版）》（${PIM_LEVEL_ZH[pim.level]}）：${pim.risk}；${pim.advice}`,
      );
    });
  },
};

// ---------------------------------------------------------------------------------------
// Sex
// ---------------------------------------------------------------------------------------

export const populationSex: Rule = {
  id: "population-sex",
  severity: "error",
  source: "药品说明书【禁忌】【适应症】；给药途径（阴道给药）",
  description: "药品或给药途径不适用于患者的性别",
  check: (ctx) => {
    const sex = ctx.patient.gender;
    return eachKnownItem(ctx, (item, drug, index) => {
      // a vaginal product, or any product written for the vaginal route
      if (sex === "male" && [drug.route, item.route].some((r) => r !== undefined && FEMALE_ONLY_ROUTES.includes(r))) {
        return hitOn(index, `${drugLabel(drug)}：阴道给药，患者为男性，请核对患者或药品`);
      }
      const r = SEX_RESTRICTED.find((x) => x.only !== sex && drugMatches(drug, x.match));
      if (!r) return null;
      return hitOn(index, `${drugLabel(drug)}：患者为${sex === "male" ? "男性" : "女性"}，${r.why}（依据：${r.source}）`);
    });
  },
};

// ---------------------------------------------------------------------------------------
// Renal function
// ---------------------------------------------------------------------------------------

type EgfrState = { value: number; on: string; stale: boolean };

/**
 * The eGFR on record as of the prescription date: stale from the day EGFR_TRUSTED_MONTHS
 * whole months have passed; a measurement dated after the prescription date was not known
 * when it was written, so none.
 */
function egfrOf(ctx: RuleContext): EgfrState | null {
  const egfr = ctx.patient.egfr;
  if (!egfr) return null;
  const elapsed = ageParts(egfr.on, prescriptionDate(ctx));
  if (!(elapsed.days >= 0)) return null;
  return { ...egfr, stale: elapsed.months >= EGFR_TRUSTED_MONTHS };
}

function bandOf(fact: RenalFact, egfr: number): RenalBand | undefined {
  return fact.bands.find((b) => egfr < b.below);
}

/** One hit per item whose renal fact puts the (trusted or stale, as asked) eGFR in a band of `severity`. */
function renalHits(ctx: RuleContext, want: { stale: boolean; severity?: Severity }, message: (drug: RuleDrug, fact: RenalFact, band: RenalBand, egfr: EgfrState) => string): RuleHit[] {
  const egfr = egfrOf(ctx);
  if (!egfr || egfr.stale !== want.stale) return [];
  return eachKnownItem(ctx, (_item, drug, index) => {
    if (actsLocally(drug)) return null;
    for (const fact of RENAL_FACTS) {
      if (!drugMatches(drug, fact.match)) continue;
      const band = bandOf(fact, egfr.value);
      if (band && (want.severity === undefined || band.severity === want.severity)) return hitOn(index, message(drug, fact, band, egfr));
    }
    return null;
  });
}

const egfrText = (egfr: EgfrState) => `eGFR ${num(egfr.value)} ml/min/1.73m²（${egfr.on} 测定）`;

function renalRule(id: string, severity: Severity, description: string): Rule {
  return {
    id,
    severity,
    source: "药品说明书【禁忌】【用法用量】（肾功能不全）及各条目所列指南、共识",
    description,
    check: (ctx) =>
      renalHits(ctx, { stale: false, severity }, (drug, fact, band, egfr) => `${drugLabel(drug)}：患者 ${egfrText(egfr)}，低于 ${band.below}，${fact.name}${band.advice}（依据：${fact.source}）`),
  };
}

export const populationRenal = renalRule("population-renal", "error", "按患者 eGFR，肾功能不全禁用的药品");
export const populationRenalCaution = renalRule("population-renal-caution", "warning", "按患者 eGFR，肾功能不全应减量、不建议起始或慎用的药品");

export const populationRenalStale: Rule = {
  id: "population-renal-stale",
  severity: "warning",
  source: "二甲双胍临床应用专家共识（2023年版）（至少每年评估一次肾功能）；药品说明书【注意事项】",
  description: `患者末次 eGFR 已超过 ${EGFR_TRUSTED_MONTHS} 个月，且其数值落入该药品的肾功能限制范围，需复查后再评估`,
  check: (ctx) =>
    renalHits(
      ctx,
      { stale: true },
      (drug, fact, band, egfr) =>
        `${drugLabel(drug)}：患者末次 ${egfrText(egfr)} 已超过 ${EGFR_TRUSTED_MONTHS} 个月，不作为判断依据；按该值${fact.name}应${band.severity === "error" ? "禁用" : "减量或慎用"}，请复查肾功能后再评估`,
    ),
};

// ---------------------------------------------------------------------------------------
// Pregnancy and lactation
// ---------------------------------------------------------------------------------------

const STATUS_ZH: Record<PregnancyStatus, string> = { pregnant: "妊娠期", lactating: "哺乳期" };

/** The status on record, if it is a female patient's and still believed on the prescription date. */
function statusOf(ctx: RuleContext): { status: PregnancyStatus; on: string } | null {
  const p = ctx.patient.pregnancy;
  if (!p || ctx.patient.gender !== "female") return null;
  const elapsed = dayNumber(prescriptionDate(ctx)) - dayNumber(p.on);
  return elapsed >= 0 && elapsed < STATUS_TRUSTED_DAYS[p.status] ? p : null;
}

function statusRule(id: string, status: PregnancyStatus, severity: Severity, description: string): Rule {
  const adviceOf = (f: PregnancyFact): StatusAdvice | undefined => f[status];
  return {
    id,
    severity,
    source: `药品说明书【禁忌】【孕妇及哺乳期妇女用药】；${ANTIMICROBIAL_GUIDE}（妊娠期和哺乳期患者）`,
    description,
    check: (ctx) => {
      const recorded = statusOf(ctx);
      if (recorded?.status !== status) return [];
      return eachKnownItem(ctx, (_item, drug, index) => {
        const fact = PREGNANCY_FACTS.find((f) => adviceOf(f)?.severity === severity && (f.local || !actsLocally(drug)) && drugMatches(drug, f.match));
        const advice = fact && adviceOf(fact);
        if (!fact || !advice) return null;
        return hitOn(index, `${drugLabel(drug)}：患者${STATUS_ZH[status]}（${recorded.on} 记录），${fact.name}${advice.why}（依据：${fact.source}）`);
      });
    },
  };
}

export const populationPregnancy = statusRule("population-pregnancy", "pregnant", "error", "妊娠期患者使用孕妇禁用的药品");
export const populationPregnancyCaution = statusRule("population-pregnancy-caution", "pregnant", "warning", "妊娠期患者使用应避免或慎用的药品");
export const populationLactation = statusRule("population-lactation", "lactating", "error", "哺乳期患者使用哺乳期禁用的药品");
export const populationLactationCaution = statusRule("population-lactation-caution", "lactating", "warning", "哺乳期患者使用应避免、慎用或需暂停哺乳的药品");
