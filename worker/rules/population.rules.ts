/**
 * Special populations by age, from patient.birthDate on the prescription's China date:
 * classes children must not take (errors), and medicines the Chinese criteria call
 * potentially inappropriate for older people (warnings: the doctor may have a reason, and
 * the criteria ask for a review, not a ban). Facts in population-facts.ts.
 */
import { ageInYears } from "./dates";
import { actsLocally, eachKnownItem, itemPath, prescriptionDate } from "./items";
import { AGE_RESTRICTED, ELDERLY_MIN_AGE, ELDERLY_PIMS } from "./population-facts";
import { ANTIMICROBIAL_GUIDE, ELDERLY_LAW, ELDERLY_PIM } from "./sources";
import { drugLabel } from "./text";
import type { Rule, RuleContext, RuleDrug } from "./types";

function patientAge(ctx: RuleContext): number {
  return ageInYears(ctx.patient.birthDate, prescriptionDate(ctx));
}

function atcOf(drug: RuleDrug): string {
  return drug.atc ? drug.atc.trim().toUpperCase() : "";
}

/** An unknown age (a birth date the engine cannot read) says nothing either way, so neither rule fires. */
export const populationAgeRestricted: Rule = {
  id: "population-age-restricted",
  severity: "error",
  source: `${ANTIMICROBIAL_GUIDE}；药品说明书【禁忌】【儿童用药】`,
  description: "患者年龄低于该类药品允许使用的年龄",
  check: (ctx) => {
    const age = patientAge(ctx);
    if (Number.isNaN(age)) return [];
    return eachKnownItem(ctx, (_item, drug, index) => {
      if (actsLocally(drug)) return null;
      const atc = atcOf(drug);
      const r = AGE_RESTRICTED.find((x) => atc.startsWith(x.atcPrefix) && age < x.minAge);
      if (!r) return null;
      return {
        itemIndex: index,
        path: itemPath(index, "drugCode"),
        message: `${drugLabel(drug)}：患者 ${age} 岁，${r.className}${r.why}（依据：${r.source}）`,
      };
    });
  },
};

export const populationElderlyPim: Rule = {
  id: "population-elderly-pim",
  severity: "warning",
  source: `${ELDERLY_PIM}；${ELDERLY_LAW}`,
  description: "老年患者（60 岁及以上）使用潜在不适当药物",
  check: (ctx) => {
    const age = patientAge(ctx);
    if (!(age >= ELDERLY_MIN_AGE)) return [];
    return eachKnownItem(ctx, (_item, drug, index) => {
      if (actsLocally(drug)) return null;
      const atc = atcOf(drug).slice(0, 7);
      const pim = ELDERLY_PIMS.find((p) => p.atc === atc);
      if (!pim) return null;
      return {
        itemIndex: index,
        path: itemPath(index, "drugCode"),
        message: `${drugLabel(drug)}：患者 ${age} 岁，${pim.name}列入《中国老年人潜在不适当用药判断标准（2017年版）》：${pim.risk}；${pim.advice}`,
      };
    });
  },
};
