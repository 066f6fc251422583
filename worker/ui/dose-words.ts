/**
 * A dose as the patient reads it on a dispensing label: "每次 1 片" rather than "5 mg".
 * Pure (it reads only the label table): the server pages and the browser bundles (worker/ui/browser/)
 * both import it, like labels.ts.
 */

import { LABELS } from "./labels";

export interface Quantity {
  value: number;
  unit: string;
}

/** Mass and volume units to a common base, so "0.5 g" of a "500 mg" tablet is one tablet. */
const BASE: Record<string, { dim: "mass" | "volume"; factor: number }> = {
  kg: { dim: "mass", factor: 1e9 },
  g: { dim: "mass", factor: 1e6 },
  mg: { dim: "mass", factor: 1e3 },
  µg: { dim: "mass", factor: 1 },
  μg: { dim: "mass", factor: 1 },
  ug: { dim: "mass", factor: 1 },
  mcg: { dim: "mass", factor: 1 },
  l: { dim: "volume", factor: 1000 },
  ml: { dim: "volume", factor: 1 },
};

/** The unit a patient counts for a dosage form (剂型), by what the form's name contains; first match wins. */
const COUNTED_FORMS: readonly [string, string][] = [
  ["胶囊", "粒"],
  ["软胶囊", "粒"],
  ["滴丸", "丸"],
  ["丸", "丸"],
  ["片", "片"],
  ["栓", "枚"],
  ["贴", "贴"],
  ["颗粒", "袋"],
  ["散", "袋"],
];

const UNIT_WORDS: Record<string, string> = { kg: "千克", g: "克", mg: "毫克", µg: "微克", μg: "微克", ug: "微克", mcg: "微克", l: "升", ml: "毫升", iu: "单位", u: "单位" };

/** The unit in words: "g" → "克"; an unknown unit stays as written (it may already be Chinese: 片, 滴). */
export function unitWords(unit: string): string {
  return UNIT_WORDS[unit.trim().toLowerCase()] ?? unit.trim();
}

/** 0.5 → "0.5", 1 → "1", 1/3 → "0.33" (two decimals at most, no trailing zeros). */
function num(n: number): string {
  return String(Math.round(n * 100) / 100);
}

/** The counting unit of a form ("片剂" → 片, "胶囊剂" → 粒), or null when the form is not counted in pieces. */
export function countUnit(form: string | null | undefined): string | null {
  if (!form) return null;
  return COUNTED_FORMS.find(([part]) => form.includes(part))?.[1] ?? null;
}

/**
 * How many pieces one dose is, when the dose divides into quarter pieces of the strength
 * (a tablet may be halved or quartered, never cut to 0.3); otherwise null.
 */
export function piecesPerDose(dose: Quantity, strength: Quantity | null | undefined): number | null {
  if (!strength || strength.value <= 0 || dose.value <= 0) return null;
  const d = BASE[dose.unit.trim().toLowerCase()];
  const s = BASE[strength.unit.trim().toLowerCase()];
  let ratio: number;
  if (d && s) {
    if (d.dim !== s.dim) return null;
    ratio = (dose.value * d.factor) / (strength.value * s.factor);
  } else if (dose.unit.trim() === strength.unit.trim()) ratio = dose.value / strength.value;
  else return null;
  const quarters = Math.round(ratio * 4);
  if (quarters <= 0 || Math.abs(ratio * 4 - quarters) > 1e-6) return null;
  return quarters / 4;
}

/**
 * "每次 1 片", "每次 0.5 片", "每次 2 粒"; a dose that is not whole pieces of a counted form
 * falls back to the amount in words ("每次 0.5 克", "每次 10 毫升").
 */
export function doseInWords(dose: Quantity, drug: { form?: string | null; strength?: Quantity | null } = {}): string {
  const unit = countUnit(drug.form);
  const pieces = unit ? piecesPerDose(dose, drug.strength) : null;
  if (unit && pieces !== null) return `每次 ${num(pieces)} ${unit}`;
  return `每次 ${num(dose.value)} ${unitWords(dose.unit)}`;
}

/** "每日两次" for bid: the label table's words without the Latin abbreviation the staff read. */
export function frequencyWords(code: string): string {
  const words: Record<string, string> = LABELS.frequency;
  return (words[code] ?? code).replace(/\s+[a-z]+$/i, "");
}

/** A strength as printed beside a drug's name: "5mg", "0.5g" (nothing when unknown). */
export function strengthText(q: Quantity | null | undefined): string {
  return q ? `${q.value}${q.unit}` : "";
}

/**
 * The quantity handed over: packages of a multi-piece pack as boxes with their content
 * ("1 盒（每盒 28 片）"); a pack of one piece counts in its unit ("56 片").
 */
export function quantityText(packages: number, pack: { size: number; unit: string } | null | undefined): string {
  if (!pack || pack.size <= 1) return `${packages} ${pack?.unit ?? "盒"}`;
  return `${packages} 盒（每盒 ${pack.size} ${pack.unit}）`;
}
