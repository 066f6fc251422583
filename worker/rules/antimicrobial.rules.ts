/**
 * Antimicrobial prescribing rights (抗菌药物临床应用管理办法, 2012, 卫生部令第84号).
 *
 * The 办法 grades antimicrobials as 非限制使用级, 限制使用级 and 特殊使用级 (the formulary's
 * `antimicrobial` field) and grants each grade by title (第二十四条): 初级 and 乡村医生 the
 * non-restricted grade, 中级 and above the restricted grade, 高级 the special grade. A
 * village clinic's prescriber is a 乡村医生 or an assistant doctor in the sense of that
 * article (the registry records no other qualification there), so a village clinic writes
 * the non-restricted grade only, whatever title is on file.
 *
 * The special grade may not be used in outpatient care at all (第二十八条): every
 * prescription on this platform is an outpatient (门急诊) one dispensed by a cloud pharmacy,
 * so no prescriber may write it here, and one finding (antimicrobial-special-outpatient)
 * says so instead of a title gap that no title would close.
 *
 * Anti-tuberculosis drugs are outside the 办法 (第二条 excludes drugs for tuberculosis from
 * "抗菌药物"): they follow the national TB programme (结核病防治管理办法, 2013, 卫生部令第92号)
 * and its designated institutions, which this engine does not model. They are not graded here.
 *
 * Locally acting forms (eye drops, ointments) are not graded: the provincial grading
 * catalogues the 办法 calls for grade systemic antimicrobials.
 *
 * 越级使用 in an emergency (第二十九条) is for rescuing a patient in hospital with the
 * paperwork within 24 hours; a platform prescription is never that, so there is no override.
 */
import { actsLocally, eachKnownItem, itemPath } from "./items";
import { ANTIMICROBIAL_MEASURES, article } from "./sources";
import { drugLabel, TITLE_ZH } from "./text";
import type { Rule, RuleDrug, Title } from "./types";

type Grade = "unrestricted" | "restricted" | "special";

const GRADE_RANK: Record<Grade, number> = { unrestricted: 0, restricted: 1, special: 2 };
const GRADE_ZH: Record<Grade, string> = { unrestricted: "非限制使用级", restricted: "限制使用级", special: "特殊使用级" };

/** 第二十四条: the highest grade each title may be granted. */
const TITLE_GRADE: Record<Title, Grade> = { junior: "unrestricted", intermediate: "restricted", associate_senior: "special", senior: "special" };

/**
 * The grade of a drug the 办法 governs, or null (not an antimicrobial, or anti-TB). A grade
 * the engine cannot read counts as the strictest: an unreadable grade must not pass.
 */
export function gradeOf(drug: Pick<RuleDrug, "antimicrobial" | "antiTb" | "route">): Grade | null {
  if (!drug.antimicrobial || drug.antiTb || actsLocally(drug)) return null;
  return isGrade(drug.antimicrobial) ? drug.antimicrobial : "special";
}

function isGrade(s: string): s is Grade {
  return Object.hasOwn(GRADE_RANK, s);
}

const RIGHTS = article(ANTIMICROBIAL_MEASURES, "第二十四条");

export const antimicrobialPrescribingRight: Rule = {
  id: "antimicrobial-prescribing-right",
  severity: "error",
  source: `${RIGHTS}；${article(ANTIMICROBIAL_MEASURES, "第二条")}（抗结核药不在此列）`,
  description: "抗菌药物分级高于处方医师职称或所在机构可授予的处方权",
  check: (ctx) =>
    eachKnownItem(ctx, (_item, drug, index) => {
      const grade = gradeOf(drug);
      // The special grade is antimicrobial-special-outpatient's alone: no title makes it writable here.
      if (grade === null || grade === "special") return null;
      const { title, institutionLevel } = ctx.prescriber;
      const gaps: string[] = [];
      if (GRADE_RANK[grade] > GRADE_RANK[TITLE_GRADE[title]]) gaps.push(`须中级及以上职称医师开具（您为${TITLE_ZH[title]}）`);
      if (institutionLevel === "village" && grade !== "unrestricted") gaps.push("村卫生室（乡村医生）仅可开具非限制使用级抗菌药物");
      if (gaps.length === 0) return null;
      return {
        itemIndex: index,
        path: itemPath(index, "drugCode"),
        message: `${drugLabel(drug)}：属于${GRADE_ZH[grade]}抗菌药物，${gaps.join("；")}`,
      };
    }),
};

export const antimicrobialSpecialOutpatient: Rule = {
  id: "antimicrobial-special-outpatient",
  severity: "error",
  source: `${article(ANTIMICROBIAL_MEASURES, "第二十八条")}；${RIGHTS}`,
  description: "特殊使用级抗菌药物不得在门诊使用",
  check: (ctx) =>
    eachKnownItem(ctx, (_item, drug, index) => {
      if (gradeOf(drug) !== "special") return null;
      return {
        itemIndex: index,
        path: itemPath(index, "drugCode"),
        message: `${drugLabel(drug)}：属于特殊使用级抗菌药物，不得在门诊使用，须住院经会诊同意后由具有特殊使用级处方权的医师开具`,
      };
    }),
};
