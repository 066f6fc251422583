/** Prescription form and formulary membership: diagnosis, known/active drug, level, item count, online ban. */
import { eachKnownItem, isBlank, itemPath, prescriptionDate, viewOf } from "./items";
import { article, FORMULARY, ONLINE_CARE, RX_MEASURES } from "./sources";
import { controlClassZh, drugLabel, itemNo, LEVEL_ZH } from "./text";
import type { InstitutionLevel, Rule, RuleHit } from "./types";

/** Every diagnosis with a blank code counts as none: a name alone is not an ICD-10 diagnosis. */
export const rxDiagnosisRequired: Rule = {
  id: "rx-diagnosis-required",
  severity: "error",
  source: article(RX_MEASURES, "第六条"),
  description: "处方须有临床诊断（ICD-10）",
  check: (ctx) =>
    ctx.draft.diagnoses.some((d) => !isBlank(d.icd10))
      ? []
      : [{ path: "diagnoses", message: "处方未填写临床诊断（ICD-10 编码），请填写与病历一致的诊断" }],
};

export const rxDrugUnknown: Rule = {
  id: "rx-drug-unknown",
  severity: "error",
  source: FORMULARY,
  description: "药品编码不在医联体统一用药目录中",
  check: (ctx) => {
    const hits: RuleHit[] = [];
    ctx.draft.items.forEach((item, index) => {
      if (viewOf(ctx, item)) return;
      hits.push({
        itemIndex: index,
        path: itemPath(index, "drugCode"),
        message: `${itemNo(index)}药品编码“${item.drugCode}”不在医联体统一用药目录中`,
      });
    });
    return hits;
  },
};

/** Not yet in effect on the prescription date (the view says so), or suspended/withdrawn. */
export const rxDrugInactive: Rule = {
  id: "rx-drug-inactive",
  severity: "error",
  source: FORMULARY,
  description: "药品在处方日期已暂停、撤销或尚未生效",
  check: (ctx) =>
    eachKnownItem(ctx, (_item, drug, index, view) => {
      let why: string | null = null;
      if (drug.status === "suspended") why = "已暂停使用";
      else if (drug.status === "withdrawn") why = "已撤出目录";
      else if (!view.inEffect) why = `自 ${drug.effectiveFrom} 起生效，处方日期 ${prescriptionDate(ctx)} 尚未生效`;
      if (!why) return null;
      return { itemIndex: index, path: itemPath(index, "drugCode"), message: `${drugLabel(drug)}：${why}` };
    }),
};

const LEVEL_RANK: Record<InstitutionLevel, number> = { village: 0, primary: 1, secondary: 2, tertiary: 3 };

function levelRank(level: InstitutionLevel): number {
  return LEVEL_RANK[level];
}

export const rxDrugLevel: Rule = {
  id: "rx-drug-level",
  severity: "error",
  source: FORMULARY,
  description: "药品最低使用级别高于处方医师所在机构级别",
  check: (ctx) =>
    eachKnownItem(ctx, (_item, drug, index) => {
      if (levelRank(ctx.prescriber.institutionLevel) >= levelRank(drug.minLevel)) return null;
      return {
        itemIndex: index,
        path: itemPath(index, "drugCode"),
        message: `${drugLabel(drug)}：限${LEVEL_ZH[drug.minLevel]}及以上使用，本机构为${LEVEL_ZH[ctx.prescriber.institutionLevel]}`,
      };
    }),
};

const MAX_ITEMS = 5;

export const rxMaxItems: Rule = {
  id: "rx-max-items",
  severity: "error",
  source: article(RX_MEASURES, "第六条"),
  description: "每张处方不得超过 5 种药品",
  check: (ctx) => {
    const n = ctx.draft.items.length;
    if (n <= MAX_ITEMS) return [];
    return [{ path: "items", message: `每张处方不得超过 ${MAX_ITEMS} 种药品，本处方 ${n} 种，请分开开具` }];
  },
};

/** Narcotics and class I psychotropics, whatever the kind: everything here is an internet service. */
const NEVER_ONLINE = new Set(["narcotic", "psychotropic_1"]);

export const rxControlledOnline: Rule = {
  id: "rx-controlled-online",
  severity: "error",
  source: article(ONLINE_CARE, "第十九条"),
  description: "麻醉药品、第一类精神药品不得通过本平台开具",
  check: (ctx) =>
    eachKnownItem(ctx, (_item, drug, index) => {
      if (!drug.controlClass || !NEVER_ONLINE.has(drug.controlClass)) return null;
      return {
        itemIndex: index,
        path: itemPath(index, "drugCode"),
        message: `${drugLabel(drug)}：属于${controlClassZh(drug.controlClass)}，不得通过互联网平台开具`,
      };
    }),
};
