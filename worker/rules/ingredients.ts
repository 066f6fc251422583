/**
 * Active ingredients of drafted items and earlier supply (issue 10): what duplicate,
 * class and allergy checks compare. A product lists its ingredients (formulary_entries.
 * ingredients, copied to the supply line at signing); an entry or line that lists none (rows
 * from before issue 10) is its own single ingredient, named by its generic name, INN and ATC,
 * exactly as the checks compared it before.
 */
import { INORGANIC_REMAINDERS_ZH, MOLECULE_ALIASES, SALT_PREFIXES_ZH, SALT_SUFFIXES_ZH, SALT_WORDS_EN } from "./ingredient-facts";
import { viewOf } from "./items";
import type { DraftItem, Ingredient, RuleContext, RuleDrug, SupplyLine } from "./types";

const SALT_EN = new Set(SALT_WORDS_EN);
const PREFIXES_ZH = [...SALT_PREFIXES_ZH].sort((a, b) => b.length - a.length);
const INORGANIC_ZH = new Set(INORGANIC_REMAINDERS_ZH);
const CJK = /[\u3400-\u9fff]/;

function alias(key: string): string {
  return Object.hasOwn(MOLECULE_ALIASES, key) ? (MOLECULE_ALIASES[key] ?? key) : key;
}

/** "Amlodipine Besylate" → "amlodipine"; "valproic acid" → "valproate"; a name of salt words only stays whole ("sodium chloride"). */
function latinKey(text: string): string {
  const words = text
    .replace(/[(),]/g, " ")
    .replace(/\b([a-z]+)ic acid\b/g, "$1ate")
    .split(" ")
    .filter(Boolean);
  const rest = words.filter((w) => !SALT_EN.has(w));
  return alias((rest.length > 0 ? rest : words).join(" "));
}

/** "盐酸二甲双胍" → "二甲双胍", "阿仑膦酸钠" → "阿仑膦酸", "左氨氯地平" → "氨氯地平"; "氯化钠" and "硫酸镁" stay whole. */
function chineseKey(text: string): string {
  let t = text.replace(/\s+/g, "").replace(/[（(][^）)]*[）)]/g, "");
  const prefix = PREFIXES_ZH.find((p) => t.startsWith(p) && t.length - p.length >= 2);
  if (prefix) t = t.slice(prefix.length);
  const suffix = SALT_SUFFIXES_ZH.find((s) => t.endsWith(s));
  if (suffix) {
    const rest = t.slice(0, -suffix.length);
    if (rest.length >= 2 && !INORGANIC_ZH.has(rest)) t = rest;
  }
  return alias(t);
}

/**
 * The key of the active moiety in a name, English or Chinese: lower case, salts, esters and
 * hydrates dropped, enantiomers and synonyms mapped to one molecule (ingredient-facts.ts).
 * "" for a blank name.
 */
export function moleculeKey(raw: string): string {
  const text = raw.normalize("NFKC").trim().toLowerCase().replace(/\s+/g, " ");
  if (!text) return "";
  return CJK.test(text) ? chineseKey(text) : latinKey(text);
}

/** The ingredients of an entry; one derived from the entry itself when it lists none. */
export function drugIngredients(drug: Pick<RuleDrug, "genericName" | "innName" | "atc" | "ingredients">): Ingredient[] {
  if (drug.ingredients && drug.ingredients.length > 0) return drug.ingredients;
  return [{ name: drug.genericName, molecule: moleculeKey(drug.innName ?? drug.genericName), atc: drug.atc }];
}

/** The ingredients of a supply line; for lines signed before issue 10, its generic name and ATC. */
export function supplyIngredients(line: Pick<SupplyLine, "genericName" | "atc" | "ingredients">): Ingredient[] {
  if (line.ingredients && line.ingredients.length > 0) return line.ingredients;
  return [{ name: line.genericName, molecule: moleculeKey(line.genericName), atc: line.atc }];
}

function atcOf(i: Ingredient): string {
  return i.atc ? i.atc.trim().toUpperCase() : "";
}

/**
 * One active moiety: the same molecule key, the same Chinese name once salts are dropped
 * (a line signed before issue 10 knows only its Chinese name), or the same 7-character ATC
 * (one substance, whatever it is called).
 */
export function sameIngredient(a: Ingredient, b: Ingredient): boolean {
  const ma = moleculeKey(a.molecule);
  if (ma && ma === moleculeKey(b.molecule)) return true;
  const na = moleculeKey(a.name);
  if (na && na === moleculeKey(b.name)) return true;
  const atc = atcOf(a);
  return atc.length >= 7 && atc.slice(0, 7) === atcOf(b).slice(0, 7);
}

/** The ingredients of `a` that `b` also contains, each once. */
export function sharedIngredients(a: Ingredient[], b: Ingredient[]): Ingredient[] {
  return a.filter((x) => b.some((y) => sameIngredient(x, y)));
}

/**
 * ATC level 4 (chemical subgroup, 5 characters) shared by two products that share no
 * ingredient, compared ingredient by ingredient, so a combination's components count
 * (缬沙坦氨氯地平 and 硝苯地平 share C08CA). Null when none, or when they share an ingredient
 * (that is a duplicate ingredient, reported as such).
 */
export function sharedClass(a: Ingredient[], b: Ingredient[]): string | null {
  if (sharedIngredients(a, b).length > 0) return null;
  for (const x of a) {
    const cls = atcOf(x);
    if (cls.length < 5) continue;
    if (b.some((y) => atcOf(y).slice(0, 5) === cls.slice(0, 5))) return cls.slice(0, 5);
  }
  return null;
}

/** Names for a message: "格列本脲、二甲双胍". */
export function ingredientNames(list: Ingredient[]): string {
  return [...new Set(list.map((i) => i.name))].join("、");
}

/** Modified-release forms are not interchangeable strengths of the plain form. */
function releaseKind(form: string): "modified" | "plain" {
  return /缓释|控释|迟释|肠溶/.test(form) ? "modified" : "plain";
}

function routeOf(item: DraftItem, drug: RuleDrug): string {
  return item.route ?? drug.route;
}

function sameMolecules(a: Ingredient[], b: Ingredient[]): boolean {
  return a.every((x) => b.some((y) => sameIngredient(x, y))) && b.every((y) => a.some((x) => sameIngredient(x, y)));
}

/**
 * Two items of a draft that are one dose made of two strengths of one product: the same
 * generic name and ingredients, in different strengths, by the same route, release and frequency (阿托伐他汀
 * 20 mg + 10 mg tablets for a 30 mg dose). They are not a duplicate; the daily maximum is
 * checked on their sum (rx-dose-max-daily).
 */
export function oneDoseTwoStrengths(a: { item: DraftItem; drug: RuleDrug }, b: { item: DraftItem; drug: RuleDrug }): boolean {
  if (a.item.drugCode === b.item.drugCode) return false;
  // one product: levamlodipine 2.5 mg with amlodipine 5 mg is two drugs of one molecule, a duplicate
  if (a.drug.genericName.trim() !== b.drug.genericName.trim()) return false;
  if (a.drug.strength.value === b.drug.strength.value && a.drug.strength.unit === b.drug.strength.unit) return false;
  if (a.item.frequency !== b.item.frequency || routeOf(a.item, a.drug) !== routeOf(b.item, b.drug)) return false;
  if (releaseKind(a.drug.form) !== releaseKind(b.drug.form)) return false;
  return sameMolecules(drugIngredients(a.drug), drugIngredients(b.drug));
}

/**
 * The draft's items grouped into doses: each group is one item, or several strengths of one
 * product taken together (oneDoseTwoStrengths, transitively). Indices in draft order; items
 * the formulary does not know stand alone.
 */
export function doseGroups(ctx: RuleContext): number[][] {
  const known: { index: number; item: DraftItem; drug: RuleDrug }[] = [];
  const groups: number[][] = [];
  ctx.draft.items.forEach((item, index) => {
    const view = viewOf(ctx, item);
    if (!view) {
      groups.push([index]);
      return;
    }
    const subject = { index, item, drug: view.drug };
    const group = groups.find((g) => g.some((i) => known.some((k) => k.index === i && oneDoseTwoStrengths(k, subject))));
    if (group) group.push(index);
    else groups.push([index]);
    known.push(subject);
  });
  return groups.sort((x, y) => (x[0] ?? 0) - (y[0] ?? 0));
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function quantityOf(v: unknown): Ingredient["amount"] {
  return isRecord(v) && typeof v.value === "number" && typeof v.unit === "string" ? { value: v.value, unit: v.unit } : null;
}

/**
 * Ingredients read back from a JSON column (formulary_entries.ingredients,
 * prescription_items.ingredients). The columns are only written from validated entries; this
 * reads them without a cast and drops what is not an ingredient. null for SQL NULL (a supply
 * line signed before issue 10).
 */
export function ingredientsFromColumn(value: unknown): Ingredient[] | null {
  if (!Array.isArray(value)) return null;
  return value.flatMap((v): Ingredient[] => {
    if (!isRecord(v) || typeof v.name !== "string" || typeof v.molecule !== "string") return [];
    return [{ name: v.name, molecule: v.molecule, atc: typeof v.atc === "string" ? v.atc : null, amount: quantityOf(v.amount) }];
  });
}
