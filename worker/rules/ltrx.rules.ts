/**
 * Long prescriptions (长期处方管理规范（试行）, 2021). Every rule here applies to kind
 * "long_term" only. A long_term draft without `longTerm` is treated as a first issue (the
 * stricter rules: assessment, confirmation, prescriber) and never as a renewal. What the
 * drug may be is judged under the consortium's policy (long-rx-policy.ts); the condition and
 * the prescriber's specialty are judged per item, on the condition that item is for.
 */
import { chinaDateOf } from "./dates";
import { matchesAny, matchesPrefix } from "./icd10";
import { eachKnownItem, isBlank, itemPath, itemsWithDaysOver, prescriptionDays } from "./items";
import { listedForLongRx, longRxBar, longRxConditions } from "./long-rx-policy";
import { reassessmentTriggers } from "./renewal";
import { LONG_RX } from "./sources";
import { drugLabel, EVENT_ZH, itemNo, LEVEL_ZH, TITLE_ZH } from "./text";
import type { PatientCondition, Rule, RuleContext, RuleDrug, RuleHit, Title } from "./types";

function isLongTerm(ctx: RuleContext): boolean {
  return ctx.draft.kind === "long_term";
}

/** Only an explicit firstIssue: false makes a renewal (as the doctor wrote it). */
function isRenewal(ctx: RuleContext): boolean {
  return ctx.draft.longTerm?.firstIssue === false;
}

/**
 * A renewal with something to renew: the last long prescription for the same condition and
 * drugs (ctx.lastLongPrescription). Only then does the renewal's prescriber rule apply; a
 * long prescription for another condition does not make this one a renewal.
 */
function renewsOnRecord(ctx: RuleContext): boolean {
  return isRenewal(ctx) && ctx.lastLongPrescription !== null;
}

export const ltrxMaxDays: Rule = {
  id: "ltrx-max-days",
  severity: "error",
  source: LONG_RX,
  description: "长期处方最长 12 周（84 天）",
  check: (ctx) =>
    itemsWithDaysOver(ctx, "long_term", 84, (days, i) => `长期处方最长 12 周（84 天），${itemNo(i)}开具 ${days} 天`),
};

/**
 * The assessment is in the notes AND the patient confirmed, both, or a finding: before every
 * first long prescription whatever its days (规范: 首次开具长期处方前，医师应当对患者进行
 * 全面评估, and the patient agrees to the long prescription), and for any long prescription
 * over 4 weeks (超过4周的长期处方，医师应当严格评估 … 患者通过签字等方式确认).
 */
export const ltrxAssessmentRequired: Rule = {
  id: "ltrx-assessment-required",
  severity: "error",
  source: LONG_RX,
  description: "首次开具长期处方，或长期处方超过 4 周，须评估、记录并经患者签字确认",
  check: (ctx) => {
    const days = prescriptionDays(ctx);
    const firstIssue = !isRenewal(ctx);
    if (!isLongTerm(ctx) || (days <= 28 && !firstIssue)) return [];
    const lt = ctx.draft.longTerm;
    const missing: string[] = [];
    if (isBlank(lt?.assessment)) missing.push("评估记录");
    if (!lt?.patientConfirmed) missing.push("患者签字确认");
    if (missing.length === 0) return [];
    const path = !lt ? "longTerm" : isBlank(lt.assessment) ? "longTerm.assessment" : "longTerm.patientConfirmed";
    const why = firstIssue ? "首次开具长期处方前须对患者进行评估并记录" : `长期处方超过 4 周（本处方 ${days} 天）须严格评估并记录`;
    return [{ path, message: `${why}，并经患者签字确认；缺少：${missing.join("、")}` }];
  },
};

/** The national exclusions with the consortium's policy on top (long-rx-policy.ts). */
export const ltrxDrugExcluded: Rule = {
  id: "ltrx-drug-excluded",
  severity: "error",
  source: LONG_RX,
  description: "药品属于不得开具长期处方的类别（依规范及本医联体政策）",
  check: (ctx) =>
    !isLongTerm(ctx)
      ? []
      : eachKnownItem(ctx, (_item, drug, index) => {
          const bar = longRxBar(drug, ctx.policy);
          if (bar === null) return null;
          return { itemIndex: index, path: itemPath(index, "drugCode"), message: `${drugLabel(drug)}：属于${bar}，不得开具长期处方` };
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
          if (listedForLongRx(drug, ctx.policy) || longRxBar(drug, ctx.policy) !== null) return null;
          return { itemIndex: index, path: itemPath(index, "drugCode"), message: `${drugLabel(drug)}：目录未标记为可开具长期处方的药品` };
        }),
};

/** Only drugs that may be on a long prescription at all are judged against the patient's conditions. */
function mayBeLong(ctx: RuleContext, drug: RuleDrug): boolean {
  return listedForLongRx(drug, ctx.policy) && longRxBar(drug, ctx.policy) === null;
}

/** The ICD-10 category (letter and two digits) of a code as written: E11.9 → E11. */
function category(icd10: string): string {
  return icd10.replaceAll(".", "").trim().toUpperCase().slice(0, 3);
}

/** The draft's diagnoses the item's drug treats (for long prescriptions). */
function diagnosesFor(ctx: RuleContext, drug: RuleDrug): string[] {
  const conditions = longRxConditions(drug);
  return ctx.draft.diagnoses.map((d) => d.icd10).filter((code) => matchesAny(code, conditions));
}

/**
 * The conditions on the patient's record this item is for: those its drug treats that the
 * draft diagnoses (same ICD-10 category); when the draft names none of them, every condition
 * on record the drug treats. Chronic or not: the rules ask each to be chronic and stable.
 */
function conditionsFor(ctx: RuleContext, drug: RuleDrug): PatientCondition[] {
  const conditions = longRxConditions(drug);
  const onRecord = ctx.patient.conditions.filter((c) => matchesAny(c.icd10, conditions));
  const diagnosed = new Set(diagnosesFor(ctx, drug).map(category));
  const named = onRecord.filter((c) => diagnosed.has(category(c.icd10)));
  return named.length > 0 ? named : onRecord;
}

function conditionList(drug: RuleDrug): string {
  const conditions = longRxConditions(drug);
  return conditions.length > 0 ? conditions.join("、") : "未登记";
}

const codes = (conditions: PatientCondition[]) => conditions.map((c) => c.icd10).join("、");

/** Per item: the condition(s) it is for are on record, every one chronic. */
export const ltrxConditionRequired: Rule = {
  id: "ltrx-condition-required",
  severity: "error",
  source: LONG_RX,
  description: "该药所治疗的疾病未在患者健康档案中登记为慢性病",
  check: (ctx) =>
    !isLongTerm(ctx)
      ? []
      : eachKnownItem(ctx, (_item, drug, index) => {
          if (!mayBeLong(ctx, drug)) return null;
          const conditions = conditionsFor(ctx, drug);
          const notChronic = conditions.filter((c) => !c.chronic);
          if (conditions.length > 0 && notChronic.length === 0) return null;
          const message =
            conditions.length === 0
              ? `患者健康档案中没有登记该药适用的慢性病（${conditionList(drug)}）`
              : `该药所治疗的 ${codes(notChronic)} 在患者健康档案中未登记为慢性病`;
          return { itemIndex: index, path: itemPath(index, "drugCode"), message: `${drugLabel(drug)}：${message}，不能开具长期处方` };
        }),
};

/**
 * Per item, not any condition: every chronic condition the item is for is stable (a stable
 * angina does not make up for the unstable hypertension the amlodipine is written for).
 */
export const ltrxConditionUnstable: Rule = {
  id: "ltrx-condition-unstable",
  severity: "error",
  source: LONG_RX,
  description: "该药所治疗的慢性病未登记为病情稳定",
  check: (ctx) =>
    !isLongTerm(ctx)
      ? []
      : eachKnownItem(ctx, (_item, drug, index) => {
          if (!mayBeLong(ctx, drug)) return null;
          const conditions = conditionsFor(ctx, drug);
          // one finding per item: a condition missing or not chronic is ltrx-condition-required's
          if (conditions.length === 0 || conditions.some((c) => !c.chronic)) return null;
          const unstable = conditions.filter((c) => !c.stable);
          if (unstable.length === 0) return null;
          return {
            itemIndex: index,
            path: itemPath(index, "drugCode"),
            message: `${drugLabel(drug)}：该药所治疗的 ${codes(unstable)} 未登记为病情稳定，不能开具长期处方`,
          };
        }),
};

const TITLE_RANK: Record<Title, number> = { junior: 0, intermediate: 1, associate_senior: 2, senior: 3 };

/**
 * The prescriber's specialty is related (ctx.relatedSpecialties, an ICD-10 prefix table) to a
 * diagnosis of the draft that this item's drug treats: per item, so a cardiologist may write
 * the amlodipine of a long prescription but not its metformin.
 */
function specialtyRelatedTo(ctx: RuleContext, drug: RuleDrug): boolean {
  const mine = new Set(ctx.prescriber.specialties);
  const diagnoses = diagnosesFor(ctx, drug);
  return Object.entries(ctx.relatedSpecialties).some(
    ([prefix, specialties]) => diagnoses.some((d) => matchesPrefix(d, prefix)) && specialties.some((s) => mine.has(s)),
  );
}

/** 基层: township and community centres, and village clinics under them. */
function atPrimaryLevel(ctx: RuleContext): boolean {
  return ctx.prescriber.institutionLevel === "primary" || ctx.prescriber.institutionLevel === "village";
}

/**
 * 首次: an intermediate title or higher, at a primary institution or in a related specialty
 * at a secondary-or-higher one; 续方 (a renewal of a long prescription on record): a
 * primary-level doctor, or a related-specialty one at a secondary-or-higher institution. The
 * title is the prescription's (one finding); the specialty is each item's.
 */
export const ltrxPrescriberQualification: Rule = {
  id: "ltrx-prescriber-qualification",
  severity: "error",
  source: LONG_RX,
  description: "处方医师不符合首次开具或续方的资质要求（专业按每个药品所治疗的诊断判断）",
  check: (ctx) => {
    if (!isLongTerm(ctx)) return [];
    const { title, institutionLevel } = ctx.prescriber;
    const renewal = renewsOnRecord(ctx);
    const hits: RuleHit[] = [];
    if (!renewal && TITLE_RANK[title] < TITLE_RANK.intermediate) {
      const place = atPrimaryLevel(ctx) ? "" : "，且在二级及以上医疗机构须为与诊断相关专业的医师";
      hits.push({ message: `首次长期处方须由中级及以上职称医师开具（您为${TITLE_ZH[title]}）${place}` });
    }
    if (atPrimaryLevel(ctx)) return hits;
    const what = renewal ? "长期处方续方" : "首次长期处方";
    return hits.concat(
      eachKnownItem(ctx, (_item, drug, index) => {
        if (!mayBeLong(ctx, drug) || specialtyRelatedTo(ctx, drug)) return null;
        const diagnosed = diagnosesFor(ctx, drug);
        const which = diagnosed.length > 0 ? `该药所治疗的诊断（${diagnosed.join("、")}）` : "本处方中没有该药所治疗的诊断，";
        return {
          itemIndex: index,
          path: itemPath(index, "drugCode"),
          message: `${drugLabel(drug)}：${what}在${LEVEL_ZH[institutionLevel]}须由与诊断相关专业的医师开具；${which}与您的执业专业不相关`,
        };
      }),
    );
  },
};

/** Events after the last long prescription and no later than this one's date (China dates, see dates.ts). */
export const ltrxReassessmentDue: Rule = {
  id: "ltrx-reassessment-due",
  severity: "error",
  source: LONG_RX,
  description: "同一疾病、同一药品的上次长期处方后出现需重新评估的情况，须按首次长期处方开具",
  check: (ctx) => {
    const last = ctx.lastLongPrescription;
    if (!isLongTerm(ctx) || !isRenewal(ctx) || !last) return [];
    const triggers = reassessmentTriggers(ctx);
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
    return [
      {
        path: "longTerm.firstIssue",
        message: "本处方标为续方，但未查到该患者同一疾病、同一药品的既往长期处方；续方须以首次长期处方为依据，请按首次长期处方开具",
      },
    ];
  },
};
