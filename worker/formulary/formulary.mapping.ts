import type { formularyEntries } from "../../schema";
import { canonicalJson } from "../lib/canonical-json";
import type { Entry, EntryContent } from "./formulary.schemas";
import { searchTermsOf } from "./formulary.search";

export type EntryRow = typeof formularyEntries.$inferSelect;

export interface VersionStamp {
  version: number;
  updatedAt: string;
  updatedBy: string;
}

export function entryToRow(e: EntryContent, stamp: VersionStamp): EntryRow {
  return {
    code: e.code,
    genericName: e.genericName,
    innName: e.innName,
    pinyin: e.pinyin,
    form: e.form,
    strengthValue: e.strength.value,
    strengthUnit: e.strength.unit,
    packSize: e.pack.size,
    packUnit: e.pack.unit,
    route: e.route,
    atc: e.atc,
    nhsaCode: e.nhsaCode,
    nemlCategory: e.nemlCategory,
    essential: e.essential,
    insuranceClass: e.insuranceClass,
    vbp: e.vbp,
    specialistOnly: e.specialistOnly,
    controlClass: e.controlClass,
    antimicrobial: e.antimicrobial,
    antiTb: e.antiTb,
    storage: e.storage,
    longRxEligible: e.longRxEligible,
    conditions: e.conditions,
    minLevel: e.minLevel,
    ingredients: e.ingredients,
    dosing: e.dosing,
    maxDailyDoseValue: e.maxDailyDose?.value ?? null,
    maxDailyDoseUnit: e.maxDailyDose?.unit ?? null,
    priceFen: e.price === null ? null : Math.round(e.price * 100),
    freeProgramme: e.freeProgramme,
    status: e.status,
    effectiveFrom: e.effectiveFrom,
    version: stamp.version,
    updatedAt: stamp.updatedAt,
    updatedBy: stamp.updatedBy,
    searchTerms: searchTermsOf(e),
  };
}

/**
 * Rows are only ever written from validated content (entryToRow), so their enum columns
 * hold enum values; the casts restate that instead of re-parsing every row read.
 */
export function rowToEntry(r: EntryRow): Entry {
  return {
    code: r.code,
    genericName: r.genericName,
    innName: r.innName,
    pinyin: r.pinyin,
    form: r.form,
    strength: { value: r.strengthValue, unit: r.strengthUnit as Entry["strength"]["unit"] },
    pack: { size: r.packSize, unit: r.packUnit },
    route: r.route as Entry["route"],
    atc: r.atc,
    nhsaCode: r.nhsaCode,
    nemlCategory: r.nemlCategory,
    essential: r.essential,
    insuranceClass: r.insuranceClass as Entry["insuranceClass"],
    vbp: r.vbp,
    specialistOnly: r.specialistOnly,
    controlClass: r.controlClass as Entry["controlClass"],
    antimicrobial: r.antimicrobial as Entry["antimicrobial"],
    antiTb: r.antiTb,
    storage: r.storage as Entry["storage"],
    longRxEligible: r.longRxEligible,
    conditions: r.conditions,
    minLevel: r.minLevel as Entry["minLevel"],
    maxDailyDose:
      r.maxDailyDoseValue === null || r.maxDailyDoseUnit === null
        ? null
        : { value: r.maxDailyDoseValue, unit: r.maxDailyDoseUnit as Entry["strength"]["unit"] },
    // rows are written from validated content only (entryToRow)
    dosing: (r.dosing ?? null) as Entry["dosing"],
    // rows written before issue 10 hold '[]' (the column default)
    ingredients: r.ingredients as Entry["ingredients"],
    price: r.priceFen === null ? null : r.priceFen / 100,
    freeProgramme: r.freeProgramme,
    status: r.status as Entry["status"],
    effectiveFrom: r.effectiveFrom,
    version: r.version,
    updatedAt: r.updatedAt,
  };
}

export function contentOf(entry: Entry): EntryContent {
  const { version: _version, updatedAt: _updatedAt, ...content } = entry;
  return content;
}

export function sameContent(a: EntryContent, b: EntryContent): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/**
 * A version takes effect on its effectiveFrom date. An edit without a date takes effect
 * today, or together with a still-pending version if that one is later.
 */
export function nextEffectiveFrom(previous: string | undefined, requested: string | undefined, today: string): string {
  if (requested) return requested;
  if (previous && previous > today) return previous;
  return today;
}
