/**
 * Dose arithmetic: how many dispensing units one dose takes, how many packages a course
 * needs, and the daily amount to hold against the entry's max daily dose. Pure numbers,
 * no findings: rx-quantity.rules.ts turns the results into messages.
 *
 * Units. Measurable units convert within their dimension only: µg/mg/g (also written ug,
 * μg, mcg, 微克, 毫克, 克), IU/U/单位 and their 万 (×10 000) forms, ml, mmol. IU, U and 单位
 * are one unit of activity: Chinese labels write the international unit as 单位 (insulin
 * "300单位/3ml" is 100 IU/ml; 尿激酶 "10万单位" is 100 000 IU), and a dose and a strength
 * of one product always measure the same activity (see sources.ts UNITS_OF_ACTIVITY). Their
 * spelling is kept for messages. A ratio strength "X/ml" is a concentration: a dose in
 * X becomes a volume and back. Other strengths (%, and mass doses of mg/g, which could mean
 * drug or preparation) are only usable with doses counted in dispensing units. A dose written in the entry's dispensing unit (片, 粒, 袋, 支, 瓶, 揿 …)
 * counts directly; 片/粒/丸/枚 and 袋/包 are taken as the same thing, since doctors mix them
 * for one solid or one sachet, but a container is never equated with a tablet.
 */
import type { DraftItem, Frequency, Quantity, RuleDrug } from "./types";

type Dimension = "mass" | "activity" | "volume" | "mmol";

const SCALES: Record<string, { dimension: Dimension; factor: number }> = {
  µg: { dimension: "mass", factor: 0.001 },
  mg: { dimension: "mass", factor: 1 },
  g: { dimension: "mass", factor: 1000 },
  IU: { dimension: "activity", factor: 1 },
  万IU: { dimension: "activity", factor: 10_000 },
  U: { dimension: "activity", factor: 1 },
  万U: { dimension: "activity", factor: 10_000 },
  ml: { dimension: "volume", factor: 1 },
  mmol: { dimension: "mmol", factor: 1 },
};

/** Spellings seen on prescriptions, lower-cased, to the formulary's unit. */
const ALIASES: Record<string, string> = {
  µg: "µg", // U+00B5 micro sign, the formulary's spelling
  μg: "µg", // U+03BC Greek mu
  ug: "µg",
  mcg: "µg",
  微克: "µg",
  mg: "mg",
  毫克: "mg",
  g: "g",
  克: "g",
  iu: "IU",
  国际单位: "IU",
  万iu: "万IU",
  万国际单位: "万IU",
  u: "U",
  单位: "U",
  万u: "万U",
  万单位: "万U",
  ml: "ml",
  毫升: "ml",
  mmol: "mmol",
};

/** Dispensing units that name the same thing when a doctor writes one for the other. */
const SAME_COUNT: Record<string, string> = { 片: "solid", 粒: "solid", 丸: "solid", 枚: "solid", 袋: "sachet", 包: "sachet" };

export function normalizeUnit(unit: string): string {
  const u = unit.trim();
  const lower = u.toLowerCase();
  return Object.hasOwn(ALIASES, lower) ? (ALIASES[lower] as string) : u;
}

function scaleOf(unit: string) {
  return Object.hasOwn(SCALES, unit) ? SCALES[unit] : undefined;
}

export function isMeasurable(unit: string): boolean {
  return scaleOf(normalizeUnit(unit)) !== undefined;
}

/** `q` in `toUnit`, or null when the two are not of one dimension. */
export function convert(q: Quantity, toUnit: string): number | null {
  const from = scaleOf(normalizeUnit(q.unit));
  const to = scaleOf(normalizeUnit(toUnit));
  if (!from || !to || from.dimension !== to.dimension) return null;
  return (q.value * from.factor) / to.factor;
}

function dimensionOf(unit: string): Dimension | undefined {
  return scaleOf(normalizeUnit(unit))?.dimension;
}

/** A strength written as a ratio of two measurable units: "mg/ml" (a concentration), "mg/g". */
interface Ratio {
  value: number;
  numerator: string;
  denominator: string;
}

export function ratioOf(strength: Quantity): Ratio | null {
  const parts = strength.unit.split("/");
  if (parts.length !== 2) return null;
  const [numerator, denominator] = parts.map(normalizeUnit) as [string, string];
  if (!isMeasurable(numerator) || !isMeasurable(denominator)) return null;
  return { value: strength.value, numerator, denominator };
}

/**
 * The dose as an amount of preparation, in the ratio's denominator unit: 10 ml of 20 mg/ml
 * stays 10 ml, 200 mg of it becomes 10 ml. Null when the dose is of neither dimension, or
 * when numerator and denominator share one (a mass dose of a mg/g ointment could be either).
 */
function preparationOf(dose: Quantity, ratio: Ratio): Quantity | null {
  const num = dimensionOf(ratio.numerator);
  const den = dimensionOf(ratio.denominator);
  const d = dimensionOf(dose.unit);
  if (num === den || d === undefined) return null;
  if (d === den) return { value: dose.value, unit: normalizeUnit(dose.unit) };
  const amount = d === num ? convert(dose, ratio.numerator) : null;
  return amount === null ? null : { value: amount / ratio.value, unit: ratio.denominator };
}

/** The dose as an amount of drug, in the ratio's numerator unit (the reverse of preparationOf). */
function drugAmountOf(dose: Quantity, ratio: Ratio): Quantity | null {
  const num = dimensionOf(ratio.numerator);
  const den = dimensionOf(ratio.denominator);
  const d = dimensionOf(dose.unit);
  if (num === den || d === undefined) return null;
  if (d === num) return { value: dose.value, unit: normalizeUnit(dose.unit) };
  const prep = d === den ? convert(dose, ratio.denominator) : null;
  return prep === null ? null : { value: prep * ratio.value, unit: ratio.numerator };
}

function countsDirectly(doseUnit: string, packUnit: string): boolean {
  const d = normalizeUnit(doseUnit);
  const p = normalizeUnit(packUnit);
  if (d === p) return true;
  const group = Object.hasOwn(SAME_COUNT, d) ? SAME_COUNT[d] : undefined;
  return group !== undefined && Object.hasOwn(SAME_COUNT, p) && group === SAME_COUNT[p];
}

/**
 * Dispensing units (what pack.size counts) per dose. "unit": the dose unit does not convert
 * to the strength. "container": it does, but the entry's strength is a ratio (20 mg/ml) and
 * its pack counts containers (瓶, 支) whose volume the formulary does not record.
 */
export type PerDose = { units: number } | { problem: "unit" | "container" };

export function unitsPerDose(dose: Quantity, drug: Pick<RuleDrug, "strength" | "pack">): PerDose {
  const { strength, pack } = drug;
  if (countsDirectly(dose.unit, pack.unit)) return { units: dose.value };
  const ratio = ratioOf(strength);
  if (isMeasurable(pack.unit)) {
    // The pack counts ml or g of preparation itself (a 100 ml bottle as { size: 100, unit: "ml" }).
    const prep = ratio ? preparationOf(dose, ratio) : dose;
    const units = prep ? convert(prep, pack.unit) : null;
    return units === null ? { problem: "unit" } : { units };
  }
  if (ratio) return preparationOf(dose, ratio) ? { problem: "container" } : { problem: "unit" };
  const inStrengthUnit = convert(dose, strength.unit);
  return inStrengthUnit === null ? { problem: "unit" } : { units: inStrengthUnit / strength.value };
}

/**
 * The amount of drug in one dose, in a measurable unit, or null when it cannot be known
 * (a dose counted in containers of a ratio strength, a % strength, a mass dose of a mg/g …).
 */
export function amountPerDose(dose: Quantity, drug: Pick<RuleDrug, "strength" | "pack">): Quantity | null {
  const { strength } = drug;
  const ratio = ratioOf(strength);
  if (isMeasurable(dose.unit)) return ratio ? drugAmountOf(dose, ratio) : { value: dose.value, unit: normalizeUnit(dose.unit) };
  if (countsDirectly(dose.unit, drug.pack.unit) && isMeasurable(strength.unit)) {
    return { value: dose.value * strength.value, unit: normalizeUnit(strength.unit) };
  }
  return null;
}

/**
 * Doses a day for the supply calculation. qw is a seventh. prn has no schedule: quantity
 * checks take it as up to three times a day, a generous ceiling so that a reasonable
 * as-needed supply never counts as excess (and rx-quantity-short is not checked for it).
 */
export const SUPPLY_DOSES_PER_DAY: Record<Frequency, number> = { qd: 1, bid: 2, tid: 3, qid: 4, qn: 1, qw: 1 / 7, prn: 3 };

/**
 * Doses on a dosing day, for the max-daily-dose check. qw is one dose on its day: a weekly
 * dose is taken at once, so averaging it over the week (70 mg weekly as "10 mg a day")
 * would let a daily dose seven times too high pass as its weekly equivalent (issue 10:
 * "per dose and per schedule, not an average"). prn holds the single dose against the daily
 * maximum: the only certain statement about an unscheduled dose is that one dose may not
 * exceed a whole day's maximum.
 */
export const MAX_DOSE_DOSES_PER_DAY: Record<Frequency, number> = { qd: 1, bid: 2, tid: 3, qid: 4, qn: 1, qw: 1, prn: 1 };

/** Round away float noise (84 × 0.1 / 28 must be 0.3, not 0.30000000000000004) before ceil/compare. */
export function clean(x: number): number {
  return Math.round(x * 1e9) / 1e9;
}

export interface SupplyPlan {
  /** dispensing units one dose takes */
  perDose: number;
  /** whole doses in the course: qw gives a dose on days 1, 8, 15 … so 10 days are 2 doses */
  doses: number;
  unitsNeeded: number;
  packagesNeeded: number;
  unitsDispensed: number;
}

export type SupplyResult = { plan: SupplyPlan } | { problem: "unit" | "container" };

/** What dose × frequency × days needs, in dispensing units and whole packages. */
export function supplyPlan(item: DraftItem, drug: Pick<RuleDrug, "strength" | "pack">): SupplyResult {
  const per = unitsPerDose(item.dose, drug);
  if ("problem" in per) return per;
  if (!(drug.pack.size > 0)) return { problem: "container" };
  const doses = Math.ceil(clean(item.days * SUPPLY_DOSES_PER_DAY[item.frequency]));
  const unitsNeeded = clean(per.units * doses);
  return {
    plan: {
      perDose: per.units,
      doses,
      unitsNeeded,
      packagesNeeded: Math.ceil(clean(unitsNeeded / drug.pack.size)),
      unitsDispensed: clean(item.packages * drug.pack.size),
    },
  };
}

/** Days the dispensed units last at this dose and frequency (whole days). */
export function daysCovered(plan: SupplyPlan, frequency: Frequency): number {
  const perDay = plan.perDose * SUPPLY_DOSES_PER_DAY[frequency];
  return perDay > 0 ? Math.floor(clean(plan.unitsDispensed / perDay)) : Number.POSITIVE_INFINITY;
}

/** The daily amount in `unit` (normally the entry's max-dose unit), or null when not computable. */
export function dailyAmount(item: DraftItem, drug: Pick<RuleDrug, "strength" | "pack">, unit: string): number | null {
  const perDose = amountPerDose(item.dose, drug);
  if (!perDose) return null;
  const converted = convert(perDose, unit);
  return converted === null ? null : converted * MAX_DOSE_DOSES_PER_DAY[item.frequency];
}
