/**
 * Quantity and dose: packages against dose × frequency × days, and the daily dose against
 * the entry's maximum. Conventions (units, qw, prn) live in quantity.ts.
 */
import { doseGroups } from "./ingredients";
import { eachKnownItem, itemPath, viewOf } from "./items";
import { maxSingleDoseOf } from "./label-facts";
import { convert, dailyAmount, daysCovered, ratioOf, singleAmount, type SupplyPlan, supplyPlan } from "./quantity";
import { article, RX_MEASURES, RX_REVIEW } from "./sources";
import { drugLabel, FREQUENCY_ZH, itemNo, num, qty } from "./text";
import type { DraftItem, Rule, RuleContext, RuleDrug, RuleHit } from "./types";

/** "盒" for a multi-unit pack; a single-unit pack (1 支, 1 瓶) is counted in its own unit. */
function packWord(drug: RuleDrug): string {
  return drug.pack.size === 1 ? drug.pack.unit : "盒";
}

function packNote(drug: RuleDrug): string {
  return drug.pack.size === 1 ? "" : `（每盒 ${num(drug.pack.size)} ${drug.pack.unit}）`;
}

/** What one dispensing unit holds, where the entry's dosing says so: "（每瓶 100ml）", "（每支 200 揿）". */
function contentNote(drug: RuleDrug): string {
  const d = drug.dosing;
  if (d?.containerVolume) return `（每${drug.pack.unit} ${qty(d.containerVolume)}）`;
  if (d?.actuations) return `（每${drug.pack.unit} ${num(d.actuations)} 揿）`;
  return "";
}

function regimen(item: DraftItem): string {
  if (item.frequency === "prn") return `必要时每次 ${qty(item.dose)}（按每日最多 3 次计）`;
  return `${FREQUENCY_ZH[item.frequency]}、每次 ${qty(item.dose)}`;
}

function planOf(item: DraftItem, drug: RuleDrug): SupplyPlan | null {
  const result = supplyPlan(item, drug);
  return "plan" in result ? result.plan : null;
}

export const rxQuantityExcess: Rule = {
  id: "rx-quantity-excess",
  severity: "error",
  source: `${article(RX_MEASURES, "第十九条")}；${RX_REVIEW}`,
  description: "开具数量比用法用量和天数所需多出一个包装或以上",
  check: (ctx) =>
    eachKnownItem(ctx, (item, drug, index) => {
      const plan = planOf(item, drug);
      if (!plan || item.packages < plan.packagesNeeded + 1) return null;
      const w = packWord(drug);
      return {
        itemIndex: index,
        path: itemPath(index, "packages"),
        message: `${drugLabel(drug)}：${regimen(item)}，${item.days} 天需 ${plan.packagesNeeded} ${w}${packNote(drug)}${contentNote(drug)}，开具 ${item.packages} ${w}，多开 ${item.packages - plan.packagesNeeded} ${w}`,
      };
    }),
};

/** prn is not checked: an as-needed supply may rightly be smaller than the ceiling. */
export const rxQuantityShort: Rule = {
  id: "rx-quantity-short",
  severity: "warning",
  source: RX_REVIEW,
  description: "开具数量不足以覆盖处方天数",
  check: (ctx) =>
    eachKnownItem(ctx, (item, drug, index) => {
      if (item.frequency === "prn") return null;
      const plan = planOf(item, drug);
      if (!plan || plan.unitsDispensed >= plan.unitsNeeded) return null;
      return {
        itemIndex: index,
        path: itemPath(index, "packages"),
        message: `${drugLabel(drug)}：${regimen(item)}，${item.days} 天需 ${num(plan.unitsNeeded)} ${drug.pack.unit}${contentNote(drug)}，开具 ${item.packages} ${packWord(drug)}（${num(plan.unitsDispensed)} ${drug.pack.unit}）仅够 ${daysCovered(plan)} 天`,
      };
    }),
};

function dailyText(item: DraftItem, daily: number, unit: string): string {
  if (item.frequency === "prn") return `必要时每次 ${qty(item.dose)}，单次剂量 ${num(daily)}${unit}`;
  const prefix = item.frequency === "qw" ? "服药当日剂量" : "日剂量";
  return `${FREQUENCY_ZH[item.frequency]}、每次 ${qty(item.dose)}，${prefix} ${num(daily)}${unit}`;
}

/** Exactly the maximum passes; a relative 1e-9 absorbs float noise from unit conversion. */
export const rxDoseMaxDaily: Rule = {
  id: "rx-dose-max-daily",
  severity: "error",
  source: `${article(RX_MEASURES, "第十四条")}；${RX_REVIEW}`,
  description: "日剂量超过目录登记的最大日剂量",
  check: (ctx) => [
    ...eachKnownItem(ctx, (item, drug, index) => {
      const max = drug.maxDailyDose;
      if (!max) return null;
      const daily = dailyAmount(item, drug, max.unit);
      if (daily === null || daily <= max.value * (1 + 1e-9)) return null;
      return {
        itemIndex: index,
        path: itemPath(index, "dose"),
        message: `${drugLabel(drug)}：${dailyText(item, daily, max.unit)}，超过最大日剂量 ${qty(max)}`,
      };
    }),
    ...oneDoseSums(ctx),
  ],
};

/**
 * Two strengths of one product taken together for one dose (阿托伐他汀 20 mg + 10 mg;
 * ingredients.ts doseGroups) are one daily dose: their sum is checked against the lower
 * maximum of the two, at the group's last item, when no item alone is already over.
 */
function oneDoseSums(ctx: RuleContext): RuleHit[] {
  const hits: RuleHit[] = [];
  for (const group of doseGroups(ctx)) {
    if (group.length < 2) continue;
    const parts = group.flatMap((index) => {
      const item = ctx.draft.items[index];
      const view = item && viewOf(ctx, item);
      return item && view?.drug.maxDailyDose ? [{ index, item, drug: view.drug, max: view.drug.maxDailyDose }] : [];
    });
    if (parts.length !== group.length) continue;
    const first = parts[0];
    if (!first) continue;
    let max = first.max;
    for (const p of parts) {
      const value = convert(p.max, max.unit);
      if (value !== null && value < max.value) max = { value, unit: max.unit };
    }
    const dailies = parts.map((p) => dailyAmount(p.item, p.drug, max.unit));
    if (dailies.some((d) => d === null || d > max.value * (1 + 1e-9))) continue;
    const sum = dailies.reduce<number>((a, d) => a + (d ?? 0), 0);
    const last = parts[parts.length - 1];
    if (!last || sum <= max.value * (1 + 1e-9)) continue;
    const others = parts.slice(0, -1).map((p) => `${itemNo(p.index)}（${drugLabel(p.drug)}）`).join("、");
    hits.push({
      itemIndex: last.index,
      path: itemPath(last.index, "dose"),
      message: `${drugLabel(last.drug)}：与${others}为同一药品的不同规格、合为一次剂量，日剂量合计 ${num(sum)}${max.unit}，超过最大日剂量 ${qty(max)}`,
    });
  }
  return hits;
}

function mismatchMessage(item: DraftItem, drug: RuleDrug, quantityOk: boolean): string {
  const unit = item.dose.unit;
  if (quantityOk) {
    const [what, max] = drug.maxDailyDose ? ["日剂量", drug.maxDailyDose] : ["单次剂量", maxSingleDoseOf(drug)?.max];
    return `${drugLabel(drug)}：剂量单位“${unit}”无法换算为最大${what}的单位“${max?.unit ?? ""}”，无法核对${what}，请按规格单位或${drug.pack.unit}开具剂量`;
  }
  return `${drugLabel(drug)}：剂量单位“${unit}”无法换算为规格（${qty(drug.strength)}）或包装单位（${drug.pack.unit}），无法核对开具数量和日剂量，请按规格单位或${drug.pack.unit}开具剂量`;
}

/**
 * Added to the catalogue: without a convertible dose unit neither the quantity nor the
 * max daily dose can be checked, and an unchecked prescription must not pass silently.
 * One finding per item, whichever of the two checks it blocks.
 */
export const rxDoseUnitMismatch: Rule = {
  id: "rx-dose-unit-mismatch",
  severity: "error",
  source: `${RX_MEASURES}；${RX_REVIEW}`,
  description: "剂量单位无法换算为药品规格或最大日剂量的单位，无法核对数量与剂量",
  check: (ctx) =>
    eachKnownItem(ctx, (item, drug, index) => {
      const supply = supplyPlan(item, drug);
      if ("unmeasured" in supply) return null; // 适量: nothing to convert
      const unitProblem = "problem" in supply && supply.problem === "unit";
      const single = maxSingleDoseOf(drug);
      const maxProblem =
        (drug.maxDailyDose !== null && dailyAmount(item, drug, drug.maxDailyDose.unit) === null) ||
        (single !== null && singleAmount(item, drug, single.max.unit) === null);
      if (!unitProblem && !maxProblem) return null;
      return { itemIndex: index, path: itemPath(index, "dose"), message: mismatchMessage(item, drug, !unitProblem) };
    }),
};

/**
 * Added to the catalogue: a per-ml strength sold in containers (瓶, 支) whose volume the
 * formulary does not record. The dose itself is fine, so this is a warning for the
 * reviewing pharmacist, not a block on a legitimate prescription.
 */
export const rxQuantityUnverifiable: Rule = {
  id: "rx-quantity-unverifiable",
  severity: "warning",
  source: RX_REVIEW,
  description: "目录未登记每个包装单位的容量，无法核对开具数量",
  check: (ctx) =>
    eachKnownItem(ctx, (item, drug, index) => {
      const supply = supplyPlan(item, drug);
      if (!("problem" in supply) || supply.problem !== "container") return null;
      const what = ratioOf(drug.strength) ? `规格为浓度（${qty(drug.strength)}）` : `规格为 ${qty(drug.strength)}`;
      return {
        itemIndex: index,
        path: itemPath(index, "packages"),
        message: `${drugLabel(drug)}：${what}，目录未登记每${drug.pack.unit}容量，无法核对开具数量（${item.packages} ${packWord(drug)}），请药师核对`,
      };
    }),
};
