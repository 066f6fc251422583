/**
 * Allergies (医疗机构处方审核规范 2018 第十五条: 有无药物过敏史与处方药品的相符性). A recorded
 * allergy is free text ("青霉素", "磺胺", "头孢克洛") with an optional ATC prefix. It is an
 * error when an ingredient of an item is the substance, is in the substance's class
 * (allergy-facts.ts), or is under the recorded ATC prefix; a warning when it is only in a
 * class the recorded class cross-reacts with (penicillin ↔ cephalosporin).
 */
import { ALLERGY_CLASSES, type AllergyClass, CROSS_REACTIVITIES, type CrossReactivity } from "./allergy-facts";
import { drugIngredients, moleculeKey } from "./ingredients";
import { eachKnownItem, itemPath } from "./items";
import { RX_REVIEW } from "./sources";
import { drugLabel } from "./text";
import type { Ingredient, PatientRecord, Rule, RuleDrug } from "./types";

type Allergy = PatientRecord["allergies"][number];

/** Classes no allergy is recorded as: only the target of a cross-reactivity. */
const TARGET_ONLY = new Set(ALLERGY_CLASSES.filter((c) => c.terms.length === 0).map((c) => c.id));

function atcUpper(atc: string | null | undefined): string {
  return atc ? atc.trim().toUpperCase() : "";
}

function namedAs(c: AllergyClass, text: string): boolean {
  const key = moleculeKey(text);
  return c.zh.some((r) => r.test(text) || r.test(key)) || c.en.some((r) => r.test(key));
}

/** The classes a recorded allergy names: by a class word ("青霉素", "磺胺") or as a member drug ("阿莫西林"). */
export function allergyClasses(substance: string): AllergyClass[] {
  const text = substance.normalize("NFKC").trim().toLowerCase();
  if (!text) return [];
  return ALLERGY_CLASSES.filter((c) => !TARGET_ONLY.has(c.id) && (c.terms.some((t) => text.includes(t)) || namedAs(c, text)));
}

export function inClass(c: AllergyClass, i: Ingredient): boolean {
  const atc = atcUpper(i.atc);
  if (atc && c.atcPrefixes.some((p) => atc.startsWith(p))) return true;
  return namedAs(c, i.name) || c.en.some((r) => r.test(moleculeKey(i.molecule)));
}

/**
 * Equal, or one contains the other when the contained one is long enough to mean something:
 * 2 characters of Chinese (双胍, 青霉素) but 4 of Latin script, where 2 letters ("in") sit
 * inside half the INN list and a false allergy blocks signing.
 */
function namesOverlap(a: string, b: string): boolean {
  if (!a || !b) return false;
  if (a === b) return true;
  return (meaningful(a) && b.includes(a)) || (meaningful(b) && a.includes(b));
}

function meaningful(fragment: string): boolean {
  return fragment.length >= (/^[ -~]*$/.test(fragment) ? 4 : 2);
}

/** The substance itself: by the recorded ATC prefix, or by name (the product's or an ingredient's, salts aside). */
function isSubstance(allergy: Allergy, drug: RuleDrug, ingredients: Ingredient[]): boolean {
  const prefix = atcUpper(allergy.atcPrefix);
  if (prefix && [drug.atc, ...ingredients.map((i) => i.atc)].some((atc) => atcUpper(atc).startsWith(prefix))) return true;
  const substance = allergy.substance.trim().toLowerCase();
  const key = moleculeKey(allergy.substance);
  const names = [drug.genericName, drug.innName, ...ingredients.flatMap((i) => [i.name, i.molecule])];
  return names.some((name) => !!name && (namesOverlap(substance, name.trim().toLowerCase()) || (key !== "" && key === moleculeKey(name))));
}

interface AllergyHit {
  allergy: Allergy;
  /** the class that matched, when not the substance itself */
  cls?: AllergyClass;
  /** the ingredient that matched, for a combination product */
  ingredient?: Ingredient;
}

function allergyHit(allergy: Allergy, drug: RuleDrug): AllergyHit | null {
  const ingredients = drugIngredients(drug);
  if (isSubstance(allergy, drug, ingredients)) return { allergy };
  for (const cls of allergyClasses(allergy.substance)) {
    const ingredient = ingredients.find((i) => inClass(cls, i));
    if (ingredient) return { allergy, cls, ingredient };
  }
  return null;
}

function what(hit: { cls?: AllergyClass; ingredient?: Ingredient }, drug: RuleDrug): string {
  const part = hit.ingredient && hit.ingredient.name !== drug.genericName ? `所含${hit.ingredient.name}` : "";
  return hit.cls ? `${part}属${hit.cls.label}` : part;
}

export const safetyAllergy: Rule = {
  id: "safety-allergy",
  severity: "error",
  source: `${RX_REVIEW}；药品说明书【禁忌】（对本品或同类药物过敏者禁用）`,
  description: "药品成分或类别与患者过敏史相符（自由文本过敏史按药物类别识别，如青霉素、头孢、磺胺）",
  check: (ctx) =>
    eachKnownItem(ctx, (_item, drug, index) => {
      let hit: AllergyHit | null = null;
      for (const allergy of ctx.patient.allergies) {
        hit = allergyHit(allergy, drug);
        if (hit) break;
      }
      if (!hit) return null;
      const cls = hit.allergy.atcPrefix ? `（ATC ${hit.allergy.atcPrefix}）` : "";
      const detail = what(hit, drug);
      return {
        itemIndex: index,
        path: itemPath(index, "drugCode"),
        message: `${drugLabel(drug)}${detail ? `（${detail}）` : ""}：患者有“${hit.allergy.substance}”${cls}过敏史`,
      };
    }),
};

function crossHit(allergies: Allergy[], drug: RuleDrug): { allergy: Allergy; cross: CrossReactivity; cls: AllergyClass; ingredient: Ingredient } | null {
  const ingredients = drugIngredients(drug);
  for (const allergy of allergies) {
    for (const from of allergyClasses(allergy.substance)) {
      for (const cross of CROSS_REACTIVITIES.filter((x) => x.from === from.id)) {
        const cls = ALLERGY_CLASSES.find((c) => c.id === cross.to);
        const ingredient = cls && ingredients.find((i) => inClass(cls, i));
        if (cls && ingredient) return { allergy, cross, cls, ingredient };
      }
    }
  }
  return null;
}

/**
 * Added to the catalogue (issue 10): a class that cross-reacts with the recorded one. Not
 * raised where safety-allergy already holds for the item (an error says more).
 */
export const safetyAllergyCross: Rule = {
  id: "safety-allergy-cross",
  severity: "warning",
  source: CROSS_REACTIVITIES.map((x) => x.source)
    .filter((s, i, all) => all.indexOf(s) === i)
    .join("；"),
  description: "药品成分与患者过敏药物类别可能存在交叉过敏（如青霉素类与头孢菌素类）",
  check: (ctx) =>
    eachKnownItem(ctx, (_item, drug, index) => {
      if (ctx.patient.allergies.some((a) => allergyHit(a, drug))) return null;
      const hit = crossHit(ctx.patient.allergies, drug);
      if (!hit) return null;
      return {
        itemIndex: index,
        path: itemPath(index, "drugCode"),
        message: `${drugLabel(drug)}（${what(hit, drug)}）：患者有“${hit.allergy.substance}”过敏史，${hit.cross.note}（依据：${hit.cross.source}）`,
      };
    }),
};
