/**
 * Schedules the label fixes (see regimen-facts.ts). The amount on a dosing day is checked by
 * rx-dose-max-daily (a weekly dose is taken on one day, never averaged over the week); this
 * rule checks the schedule itself.
 */
import { eachKnownItem, itemPath } from "./items";
import { convert } from "./quantity";
import { WEEKLY_ONLY, type WeeklyOnlyFact } from "./regimen-facts";
import { RX_REVIEW } from "./sources";
import { drugLabel, FREQUENCY_ZH } from "./text";
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
