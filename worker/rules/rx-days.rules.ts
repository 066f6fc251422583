/**
 * Days' supply for normal and emergency prescriptions (处方管理办法 第十九条). Long
 * prescriptions follow the ltrx-* day rules instead. Item rules point at the item whose days
 * are too long; the missing reason is one field of the prescription.
 */
import { isBlank, itemsWithDaysOver, prescriptionDays } from "./items";
import { article, LONG_RX, RX_MEASURES } from "./sources";
import { itemNo } from "./text";
import type { Rule } from "./types";

const ARTICLE_19 = article(RX_MEASURES, "第十九条");

export const rxDaysEmergency: Rule = {
  id: "rx-days-emergency",
  severity: "error",
  source: ARTICLE_19,
  description: "急诊处方一般不得超过 3 日用量",
  check: (ctx) => itemsWithDaysOver(ctx, "emergency", 3, (days, i) => `急诊处方一般不得超过 3 日用量，${itemNo(i)}开具 ${days} 天`),
};

export const rxDaysReason: Rule = {
  id: "rx-days-reason",
  severity: "error",
  source: ARTICLE_19,
  description: "普通处方超过 7 日用量须注明理由",
  check: (ctx) => {
    const days = prescriptionDays(ctx);
    if (ctx.draft.kind !== "normal" || days <= 7 || !isBlank(ctx.draft.extendedReason)) return [];
    return [
      {
        path: "extendedReason",
        message: `普通处方一般不得超过 7 日用量，本处方 ${days} 天；慢性病、老年病或特殊情况延长用量须注明理由`,
      },
    ];
  },
};

export const rxDaysNormalMax: Rule = {
  id: "rx-days-normal-max",
  severity: "error",
  source: `${ARTICLE_19}；${LONG_RX}`,
  description: "普通处方不得超过 28 天（更长须开具长期处方）",
  check: (ctx) =>
    itemsWithDaysOver(ctx, "normal", 28, (days, i) => `普通处方最长 4 周（28 天），${itemNo(i)}开具 ${days} 天；慢性病稳定期患者请开具长期处方`),
};
