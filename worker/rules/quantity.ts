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
 *
 * Liquids, devices and local forms (issue 10, the entry's `dosing`): a liquid is dosed in ml,
 * in drops or in mg against its concentration, and its packages counted from the bottle's
 * volume; an inhaler in puffs (揿/喷/吸) against the actuations in one device; a patch per
 * patch (贴/张/帖), a multi-day patch by its wear time; a topical form in 适量, with no
 * arithmetic at all.
 */
import type { Dosing, DraftItem, Frequency, Quantity, RuleDrug } from "./types";

/** What quantity arithmetic reads of an entry. */
export type DrugUnits = Pick<RuleDrug, "strength" | "pack" | "dosing"> & Partial<Pick<RuleDrug, "route">>;

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

/**
 * Dispensing units that name the same thing when a doctor writes one for the other. Puffs are
 * 揿 (aerosols), 喷 (sprays) or 吸 (dry powders); a patch or plaster is 贴, 张 or 帖.
 */
const SAME_COUNT: Record<string, string> = {
  片: "solid",
  粒: "solid",
  丸: "solid",
  枚: "solid",
  袋: "sachet",
  包: "sachet",
  揿: "puff",
  喷: "puff",
  吸: "puff",
  贴: "patch",
  张: "patch",
  帖: "patch",
};
const DROPS = new Set(["滴", "drop", "drops", "gtt"]);
/** 适量 ("a suitable amount"): how local preparations are prescribed (外用，适量). */
const SUITABLE_AMOUNT = new Set(["适量", "qs", "q.s.", "q.s"]);

function groupOf(unit: string): string | undefined {
  const u = normalizeUnit(unit);
  return Object.hasOwn(SAME_COUNT, u) ? SAME_COUNT[u] : undefined;
}

export function isSuitableAmount(unit: string): boolean {
  return SUITABLE_AMOUNT.has(unit.trim().toLowerCase());
}

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
  if (normalizeUnit(doseUnit) === normalizeUnit(packUnit)) return true;
  const group = groupOf(doseUnit);
  return group !== undefined && group === groupOf(packUnit);
}

function positive(x: number | null | undefined): x is number {
  return typeof x === "number" && Number.isFinite(x) && x > 0;
}

/** A dose in drops as ml, when the entry says how many drops make one ml; otherwise unchanged. */
function dropsAsMl(dose: Quantity, dosing: Dosing | null | undefined): Quantity {
  if (!DROPS.has(dose.unit.trim().toLowerCase()) || !positive(dosing?.dropsPerMl)) return dose;
  return { value: dose.value / dosing.dropsPerMl, unit: "ml" };
}

const isAmountUnit = (unit: string) => {
  const d = dimensionOf(unit);
  return d === "mass" || d === "activity" || d === "mmol";
};

/**
 * Drug per ml of preparation: the entry's concentration, else a per-volume strength
 * ("20 mg/ml"), else a strength per bottle over the bottle's volume (2 g in 100 ml).
 */
function perMl(drug: DrugUnits): Ratio | null {
  const c = drug.dosing?.concentration;
  const per = c ? convert(c.per, "ml") : null;
  if (c && positive(per) && isAmountUnit(c.amount.unit)) return { value: c.amount.value / per, numerator: normalizeUnit(c.amount.unit), denominator: "ml" };
  const ratio = ratioOf(drug.strength);
  if (ratio && dimensionOf(ratio.denominator) === "volume") {
    const ml = convert({ value: 1, unit: ratio.denominator }, "ml");
    return positive(ml) ? { value: ratio.value / ml, numerator: ratio.numerator, denominator: "ml" } : null;
  }
  const volume = containerMl(drug);
  if (volume !== null && isAmountUnit(drug.strength.unit)) return { value: drug.strength.value / volume, numerator: normalizeUnit(drug.strength.unit), denominator: "ml" };
  return null;
}

/** ml of preparation in one dispensing unit: recorded, or a strength per bottle over its concentration. */
function containerMl(drug: DrugUnits): number | null {
  const recorded = drug.dosing?.containerVolume;
  if (recorded) {
    const ml = convert(recorded, "ml");
    return positive(ml) ? ml : null;
  }
  const c = drug.dosing?.concentration;
  const per = c ? convert(c.per, "ml") : null;
  const amount = c ? convert(drug.strength, c.amount.unit) : null;
  return c && positive(per) && positive(amount) ? (amount / c.amount.value) * per : null;
}

/** ml of preparation in one dose (a dose in ml, or in drug against the concentration), or null. */
function volumeOf(dose: Quantity, drug: DrugUnits): number | null {
  const ml = convert(dose, "ml");
  if (ml !== null) return ml;
  const concentration = perMl(drug);
  const amount = concentration ? convert(dose, concentration.numerator) : null;
  return concentration && amount !== null ? amount / concentration.value : null;
}

/** The drug in one actuation of a metered device, or null. */
function perActuation(drug: DrugUnits): Quantity | null {
  if (!positive(drug.dosing?.actuations)) return null;
  const stated = drug.dosing.perActuation ?? (isAmountUnit(drug.strength.unit) ? drug.strength : null);
  return stated ? { value: stated.value, unit: normalizeUnit(stated.unit) } : null;
}

/** Actuations in one dose of a metered device: puffs as written, or an amount over the amount per puff. */
function puffsOf(dose: Quantity, drug: DrugUnits): number | null {
  if (groupOf(dose.unit) === "puff") return dose.value;
  const each = perActuation(drug);
  const amount = each ? convert(dose, each.unit) : null;
  return each && amount !== null ? amount / each.value : null;
}

/** Routes whose preparations are applied where they act and may be prescribed 适量. */
const SUITABLE_AMOUNT_ROUTES = new Set(["topical", "ophthalmic", "otic", "nasal", "vaginal", "rectal", "transdermal"]);

/**
 * A dose with no arithmetic: 适量 of a locally applied form; drops or sprays of a local form
 * whose bottle the entry does not measure (滴眼液 "一次 1 滴", 鼻喷雾剂 "每侧 2 喷": blocking
 * them as a unit mismatch would stop the commonest local prescriptions); or any dose of an
 * entry recorded as topical (外用，适量) that cannot be counted. Packages are then the doctor's
 * judgement; a local form whose drops per ml and volume are recorded is counted as a liquid.
 */
export function unmeasuredDose(dose: Quantity, drug: DrugUnits): boolean {
  const topical = drug.dosing?.topical === true;
  const local = topical || (drug.route !== undefined && SUITABLE_AMOUNT_ROUTES.has(drug.route));
  if (!local) return false;
  if (isSuitableAmount(dose.unit)) return true;
  const dropOrSpray = DROPS.has(dose.unit.trim().toLowerCase()) || groupOf(dose.unit) === "puff";
  return (topical || dropOrSpray) && !("units" in unitsPerDose(dose, drug));
}

/**
 * Dispensing units (what pack.size counts) per dose. "unit": the dose unit does not convert
 * to the strength. "container": it does, but the entry's strength is a ratio (20 mg/ml) and
 * its pack counts containers (瓶, 支) whose volume the formulary does not record.
 */
export type PerDose = { units: number } | { problem: "unit" | "container" };

export function unitsPerDose(written: Quantity, drug: DrugUnits): PerDose {
  const { strength, pack, dosing } = drug;
  const dose = dropsAsMl(written, dosing);
  if (countsDirectly(dose.unit, pack.unit)) return { units: dose.value };
  // a device counted in devices (支, 瓶), not in puffs
  if (positive(dosing?.actuations) && groupOf(pack.unit) !== "puff") {
    const puffs = puffsOf(dose, drug);
    return puffs === null ? { problem: "unit" } : { units: puffs / dosing.actuations };
  }
  const bottle = isMeasurable(pack.unit) ? null : containerMl(drug);
  if (bottle !== null) {
    const ml = volumeOf(dose, drug);
    return ml === null ? { problem: "unit" } : { units: ml / bottle };
  }
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
export function amountPerDose(written: Quantity, drug: DrugUnits): Quantity | null {
  const { strength, dosing } = drug;
  const dose = dropsAsMl(written, dosing);
  const each = perActuation(drug);
  if (each) {
    const puffs = puffsOf(dose, drug);
    return puffs === null ? null : { value: puffs * each.value, unit: each.unit };
  }
  const concentration = dimensionOf(dose.unit) === "volume" ? perMl(drug) : null;
  if (concentration) {
    const ml = convert(dose, "ml");
    return ml === null ? null : { value: ml * concentration.value, unit: concentration.numerator };
  }
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
  /** doses a day the supply is counted at: the frequency's, or a multi-day patch's 24/patchHours */
  dosesPerDay: number;
}

/** `unmeasured`: a topical 适量 dose (see unmeasuredDose), with no arithmetic to do. */
export type SupplyResult = { plan: SupplyPlan } | { problem: "unit" | "container" } | { unmeasured: true };

/**
 * Doses a day for the supply: the frequency's, except for a patch worn longer than a day,
 * which is changed every patchHours whatever frequency was picked (the list has no "every
 * 3 days"; a 72-hour patch written qd is caught by rx-frequency-label).
 */
export function supplyDosesPerDay(frequency: Frequency, drug: DrugUnits): number {
  const hours = drug.dosing?.patchHours;
  if (positive(hours) && hours > 24 && frequency !== "prn") return 24 / hours;
  return SUPPLY_DOSES_PER_DAY[frequency];
}

/** What dose × frequency × days needs, in dispensing units and whole packages. */
export function supplyPlan(item: DraftItem, drug: DrugUnits): SupplyResult {
  if (unmeasuredDose(item.dose, drug)) return { unmeasured: true };
  const per = unitsPerDose(item.dose, drug);
  if ("problem" in per) return per;
  if (!(drug.pack.size > 0)) return { problem: "container" };
  const dosesPerDay = supplyDosesPerDay(item.frequency, drug);
  const doses = Math.ceil(clean(item.days * dosesPerDay));
  const unitsNeeded = clean(per.units * doses);
  return {
    plan: {
      perDose: per.units,
      dosesPerDay,
      doses,
      unitsNeeded,
      packagesNeeded: Math.ceil(clean(unitsNeeded / drug.pack.size)),
      unitsDispensed: clean(item.packages * drug.pack.size),
    },
  };
}

/** Days the dispensed units last at this dose and schedule (whole days). */
export function daysCovered(plan: SupplyPlan): number {
  const perDay = plan.perDose * plan.dosesPerDay;
  return perDay > 0 ? Math.floor(clean(plan.unitsDispensed / perDay)) : Number.POSITIVE_INFINITY;
}

/** The daily amount in `unit` (normally the entry's max-dose unit), or null when not computable. */
export function dailyAmount(item: DraftItem, drug: DrugUnits, unit: string): number | null {
  const perDose = amountPerDose(item.dose, drug);
  if (!perDose) return null;
  const converted = convert(perDose, unit);
  return converted === null ? null : converted * MAX_DOSE_DOSES_PER_DAY[item.frequency];
}

/** One dose's amount of drug in `unit` (for the single-dose maximum), or null when not computable. */
export function singleAmount(item: DraftItem, drug: DrugUnits, unit: string): number | null {
  const perDose = amountPerDose(item.dose, drug);
  return perDose ? convert(perDose, unit) : null;
}
