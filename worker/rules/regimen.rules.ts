/**
 * Schedules the label fixes (see regimen-facts.ts). The amount on a dosing day is checked by
 * rx-dose-max-daily (a weekly dose is taken on one day, never averaged over the week); these
 * rules check the schedule itself (weekly-only products, the label's frequencies of a form)
 * and the single dose (label-facts.ts).
 */
import { eachKnownItem, itemPath } from "./items";
import { labelFrequenciesOf, maxSingleDoseOf } from "./label-facts";
import { convert, singleAmount } from "./quantity";
import { WEEKLY_ONLY, type WeeklyOnlyFact } from "./regimen-facts";
import { article, RX_MEASURES, RX_REVIEW } from "./sources";
import { drugLabel, FREQUENCY_ZH, num, qty } from "./text";
import type { Frequency, Rule, RuleDrug } from "./types";

function sameStrength(drug: RuleDrug, fact: WeeklyOnlyFact): boolean {
  if (!fact.strength) return true;
  const value = convert(drug.strength, fact.strength.unit);
  return value !== null && Math.abs(value - fact.strength.value) <= fact.strength.value * 1e-9;
}

/** The weekly-only fact a formulary entry falls under, or undefined. */
export function weeklyOnlyFact(drug: RuleDrug): WeeklyOnlyFact | undefined {
  const atc = drug.atc ? drug.atc.trim().toUpperCase().slice(0, 7) : "";
  const name = drug.genericName.trim();
  return WEEKLY_ONLY.find((f) => (f.atc.includes(atc) || f.names.includes(name)) && f.routes.includes(drug.route) && sameStrength(drug, f));
}

const TIMES_A_WEEK: Record<Exclude<Frequency, "qw" | "prn">, number> = { qd: 7, qn: 7, bid: 14, tid: 21, qid: 28 };

function asWritten(frequency: Exclude<Frequency, "qw">): string {
  if (frequency === "prn") return "“必要时”（无固定周期）";
  return `“${FREQUENCY_ZH[frequency]}”，即每周 ${TIMES_A_WEEK[frequency]} 次`;
}

export const rxRegimenWeekly: Rule = {
  id: "rx-regimen-weekly",
  severity: "error",
  source: `药品说明书【用法用量】；${RX_REVIEW}`,
  description: "说明书规定每周给药 1 次的药品开具为其他频次",
  check: (ctx) =>
    eachKnownItem(ctx, (item, drug, index) => {
      if (item.frequency === "qw") return null;
      const fact = weeklyOnlyFact(drug);
      if (!fact) return null;
      return {
        itemIndex: index,
        path: itemPath(index, "frequency"),
        message: `${drugLabel(drug)}：说明书规定${fact.label}，本处方开具为${asWritten(item.frequency)}，请改为每周 1 次（依据：${fact.source}）`,
      };
    }),
};

/** Doses a day of a scheduled frequency; qn is once a day (at night). */
const DOSES_A_DAY: Record<Exclude<Frequency, "qw" | "prn">, number> = { qd: 1, qn: 1, bid: 2, tid: 3, qid: 4 };

function frequenciesText(frequencies: readonly Frequency[]): string {
  return frequencies.map((f) => FREQUENCY_ZH[f]).join("或");
}

/**
 * A schedule the label of this form does not give: a plain tablet labelled three times a day
 * written once a day (the patient is uncovered for most of the day), a once-daily modified-
 * release form written three times a day (dose dumping). A warning: the doctor may have a
 * reason, the pharmacist reviews it (医疗机构处方审核规范: 用法、用量的适宜性).
 */
export const rxFrequencyLabel: Rule = {
  id: "rx-frequency-label",
  severity: "warning",
  source: `药品说明书【用法用量】；${RX_REVIEW}`,
  description: "给药频次与该剂型说明书规定的用法不符（如普通片说明书每日 3 次开具为每日 1 次、缓释/控释片每日 1 次开具为每日 3 次）",
  check: (ctx) =>
    eachKnownItem(ctx, (item, drug, index) => {
      if (item.frequency === "prn" || item.frequency === "qw") return null;
      const label = labelFrequenciesOf(drug);
      if (!label) return null;
      const written = DOSES_A_DAY[item.frequency];
      const allowed = label.frequencies.some((f) => f !== "prn" && f !== "qw" && DOSES_A_DAY[f] === written);
      const onlyUnscheduled = label.frequencies.every((f) => f === "prn" || f === "qw");
      if (allowed || onlyUnscheduled) return null;
      const what = label.label || `说明书用法为${frequenciesText(label.frequencies)}`;
      return {
        itemIndex: index,
        path: itemPath(index, "frequency"),
        message: `${drugLabel(drug)}：本处方开具为${FREQUENCY_ZH[item.frequency]}，该剂型${what}，请核对剂型与频次（依据：${label.source}）`,
      };
    }),
};

/** A single dose above the label's maximum. Exactly the maximum passes (1e-9 absorbs unit-conversion noise). */
export const rxDoseMaxSingle: Rule = {
  id: "rx-dose-max-single",
  severity: "error",
  source: `药品说明书【用法用量】；${article(RX_MEASURES, "第十四条")}；${RX_REVIEW}`,
  description: "单次剂量超过说明书或目录登记的最大单次剂量",
  check: (ctx) =>
    eachKnownItem(ctx, (item, drug, index) => {
      const single = maxSingleDoseOf(drug);
      if (!single) return null;
      const amount = singleAmount(item, drug, single.max.unit);
      if (amount === null || amount <= single.max.value * (1 + 1e-9)) return null;
      return {
        itemIndex: index,
        path: itemPath(index, "dose"),
        message: `${drugLabel(drug)}：每次 ${qty(item.dose)}，即单次 ${num(amount)}${single.max.unit}，超过最大单次剂量 ${qty(single.max)}（依据：${single.source}）`,
      };
    }),
};
