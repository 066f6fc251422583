/**
 * Long prescriptions (长期处方管理规范（试行）, 2021). Every rule here applies to kind
 * "long_term" only. A long_term draft without `longTerm` is treated as a first issue for the
 * prescriber check (the stricter rule) and never as a renewal.
 */
import { chinaDateOf, happenedAfter } from "./dates";
import { exclusionZh } from "./exclusion-text";
import { longRxExclusion } from "./exclusions";
import { matchesAny, matchesPrefix } from "./icd10";
import { eachKnownItem, isBlank, itemPath, itemsWithDaysOver, prescriptionDate, prescriptionDays } from "./items";
import { LONG_RX } from "./sources";
import { drugLabel, EVENT_ZH, itemNo, LEVEL_ZH, TITLE_ZH } from "./text";
import type { PatientCondition, Rule, RuleContext, RuleDrug, RuleHit, Title } from "./types";

function isLongTerm(ctx: RuleContext): boolean {
  return ctx.draft.kind === "long_term";
}

/** Only an explicit firstIssue: false makes a renewal. */
function isRenewal(ctx: RuleContext): boolean {
  return ctx.draft.longTerm?.firstIssue === false;
}

export const ltrxMaxDays: Rule = {
  id: "ltrx-max-days",
  severity: "error",
  source: LONG_RX,
  description: "长期处方最长 12 周（84 天）",
  check: (ctx) =>
    itemsWithDaysOver(ctx, "long_term", 84, (days, i) => `长期处方最长 12 周（84 天），${itemNo(i)}开具 ${days} 天`),
};

/** Over 4 weeks: the assessment is in the notes AND the patient confirmed; both, or a finding. */
export const ltrxAssessmentRequired: Rule = {
  id: "ltrx-assessment-required",
  severity: "error",
  source: LONG_RX,
  description: "长期处方超过 4 周须严格评估、记录并经患者签字确认",
  check: (ctx) => {
    const days = prescriptionDays(ctx);
    if (!isLongTerm(ctx) || days <= 28) return [];
    const lt = ctx.draft.longTerm;
    const missing: string[] = [];
    if (isBlank(lt?.assessment)) missing.push("评估记录");
    if (!lt?.patientConfirmed) missing.push("患者签字确认");
    if (missing.length === 0) return [];
    const path = !lt ? "longTerm" : isBlank(lt.assessment) ? "longTerm.assessment" : "longTerm.patientConfirmed";
    return [{ path, message: `长期处方超过 4 周（本处方 ${days} 天）须严格评估并记录，并经患者签字确认；缺少：${missing.join("、")}` }];
  },
};

/** Uses longRxExclusion, the same predicate the formulary applies when it derives eligibility. */
export const ltrxDrugExcluded: Rule = {
  id: "ltrx-drug-excluded",
  severity: "error",
  source: LONG_RX,
  description: "药品属于不得开具长期处方的类别",
  check: (ctx) =>
    !isLongTerm(ctx)
      ? []
      : eachKnownItem(ctx, (_item, drug, index) => {
          if (longRxExclusion(drug) === null) return null;
          return { itemIndex: index, path: itemPath(index, "drugCode"), message: `${drugLabel(drug)}：属于${exclusionZh(drug)}，不得开具长期处方` };
        }),
};

/** Excluded drugs are reported by ltrx-drug-excluded only: one wrong item, one finding. */
export const ltrxDrugNotListed: Rule = {
  id: "ltrx-drug-not-listed",
  severity: "error",
  source: LONG_RX,
  description: "药品未标记为可开具长期处方",
  check: (ctx) =>
    !isLongTerm(ctx)
      ? []
      : eachKnownItem(ctx, (_item, drug, index) => {
          if (drug.longRxEligible || longRxExclusion(drug) !== null) return null;
          return { itemIndex: index, path: itemPath(index, "drugCode"), message: `${drugLabel(drug)}：目录未标记为可开具长期处方的药品` };
        }),
};

/** Only drugs that may be on a long prescription at all are judged against the patient's conditions. */
function mayBeLong(drug: RuleDrug): boolean {
  return drug.longRxEligible && longRxExclusion(drug) === null;
}

function treatedConditions(ctx: RuleContext, drug: RuleDrug): PatientCondition[] {
  return ctx.patient.conditions.filter((c) => c.chronic && matchesAny(c.icd10, drug.conditions));
}

function conditionList(drug: RuleDrug): string {
  return drug.conditions.length > 0 ? drug.conditions.join("、") : "未登记";
}

export const ltrxConditionRequired: Rule = {
  id: "ltrx-condition-required",
  severity: "error",
  source: LONG_RX,
  description: "患者没有登记该药适用的慢性病",
  check: (ctx) =>
    !isLongTerm(ctx)
      ? []
      : eachKnownItem(ctx, (_item, drug, index) => {
          if (!mayBeLong(drug) || treatedConditions(ctx, drug).length > 0) return null;
          return {
            itemIndex: index,
            path: itemPath(index, "drugCode"),
            message: `${drugLabel(drug)}：患者健康档案中没有登记该药适用的慢性病（${conditionList(drug)}），不能开具长期处方`,
          };
        }),
};

export const ltrxConditionUnstable: Rule = {
  id: "ltrx-condition-unstable",
  severity: "error",
  source: LONG_RX,
  description: "该药适用的慢性病未登记为病情稳定",
  check: (ctx) =>
    !isLongTerm(ctx)
      ? []
      : eachKnownItem(ctx, (_item, drug, index) => {
          if (!mayBeLong(drug)) return null;
          const treated = treatedConditions(ctx, drug);
          if (treated.length === 0 || treated.some((c) => c.stable)) return null;
          return {
            itemIndex: index,
            path: itemPath(index, "drugCode"),
            message: `${drugLabel(drug)}：患者的 ${treated.map((c) => c.icd10).join("、")} 未登记为病情稳定，不能开具长期处方`,
          };
        }),
};

const TITLE_RANK: Record<Title, number> = { junior: 0, intermediate: 1, associate_senior: 2, senior: 3 };

/** Specialties related (by ctx.relatedSpecialties, an ICD-10 prefix table) to any diagnosis of the draft. */
function hasRelatedSpecialty(ctx: RuleContext): boolean {
  const mine = new Set(ctx.prescriber.specialties);
  for (const [prefix, specialties] of Object.entries(ctx.relatedSpecialties)) {
    if (!ctx.draft.diagnoses.some((d) => matchesPrefix(d.icd10, prefix))) continue;
    if (specialties.some((s) => mine.has(s))) return true;
  }
  return false;
}

/** Why the prescriber may not write this long prescription, or null when they may. */
function qualificationGap(ctx: RuleContext): string | null {
  const { title, institutionLevel } = ctx.prescriber;
  // 基层: township and community centres, and village clinics under them.
  const primaryLevel = institutionLevel === "primary" || institutionLevel === "village";
  const placeOk = primaryLevel || hasRelatedSpecialty(ctx);
  if (isRenewal(ctx)) {
    if (placeOk) return null;
    return `长期处方续方须由基层医疗机构医师，或二级及以上医疗机构与诊断相关专业的医师开具；您在${LEVEL_ZH[institutionLevel]}，执业专业与本处方诊断不相关`;
  }
  const titleOk = TITLE_RANK[title] >= TITLE_RANK.intermediate;
  if (titleOk && placeOk) return null;
  const gaps: string[] = [];
  if (!titleOk) gaps.push(`须中级及以上职称（您为${TITLE_ZH[title]}）`);
  if (!placeOk) gaps.push(`在${LEVEL_ZH[institutionLevel]}须为与诊断相关专业的医师`);
  return `首次长期处方须由中级及以上职称医师在基层医疗机构，或在二级及以上医疗机构与诊断相关专业开具：${gaps.join("；")}`;
}

export const ltrxPrescriberQualification: Rule = {
  id: "ltrx-prescriber-qualification",
  severity: "error",
  source: LONG_RX,
  description: "处方医师不符合首次开具或续方的资质要求",
  check: (ctx) => {
    if (!isLongTerm(ctx)) return [];
    const gap = qualificationGap(ctx);
    return gap ? [{ message: gap }] : [];
  },
};

/** Events after the last long prescription and no later than this one's date (China dates, see dates.ts). */
export const ltrxReassessmentDue: Rule = {
  id: "ltrx-reassessment-due",
  severity: "error",
  source: LONG_RX,
  description: "上次长期处方后出现需重新评估的情况，须按首次长期处方开具",
  check: (ctx) => {
    const last = ctx.lastLongPrescription;
    if (!isLongTerm(ctx) || !isRenewal(ctx) || !last) return [];
    const date = prescriptionDate(ctx);
    const triggers = ctx.patient.events.filter((e) => happenedAfter(e.at, last.writtenAt) && chinaDateOf(e.at) <= date);
    if (triggers.length === 0) return [];
    const what = triggers.map((e) => `${chinaDateOf(e.at)} ${EVENT_ZH[e.type]}`).join("；");
    return [
      {
        path: "longTerm.firstIssue",
        message: `上次长期处方（${chinaDateOf(last.writtenAt)}）后患者有需重新评估的情况（${what}），须重新评估，并按首次长期处方开具`,
      },
    ];
  },
};

/**
 * Added to the catalogue: a renewal rests on the first long prescription (规范: 续方以首次
 * 长期处方和健康档案为依据); with none on record it must be written as a first issue.
 */
export const ltrxFirstIssueMissing: Rule = {
  id: "ltrx-first-issue-missing",
  severity: "error",
  source: LONG_RX,
  description: "续方但患者没有既往长期处方，须按首次长期处方开具",
  check: (ctx): RuleHit[] => {
    if (!isLongTerm(ctx) || !isRenewal(ctx) || ctx.lastLongPrescription) return [];
    return [{ path: "longTerm.firstIssue", message: "本处方标为续方，但未查到该患者既往长期处方；续方须以首次长期处方为依据，请按首次长期处方开具" }];
  },
};
