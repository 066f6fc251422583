/**
 * Ingredients (issue 10): duplicate-ingredient and duplicate-class compare the active
 * ingredients of products, so combinations, Chinese patent medicines with western ingredients
 * (消渴丸 contains glibenclamide) and salts/enantiomers of one molecule are caught, while two
 * strengths of one product taken together for one dose are not a duplicate.
 */
import { describe, expect, it } from "vitest";
import type { DraftItem, Ingredient, RuleContext, RuleDrug, SupplyLine } from "../../../worker/rules";
import { drugIngredients, moleculeKey, supplyIngredients } from "../../../worker/rules/ingredients";
import { anAmlodipine, aSupplyLine, addItem, DRUGS, testScenarios, withDrug, withItem } from "./builders";

const onItem = (ruleId: string, i: number, severity: "error" | "warning" = "error") => ({ ruleId, severity, itemIndex: i, path: `items.${i}.drugCode` });
const dup = (i: number) => onItem("safety-duplicate-ingredient", i);
const cls = (i: number) => onItem("safety-duplicate-class", i, "warning");
const ing = (name: string, molecule: string, atc: string | null = null): Ingredient => ({ name, molecule, atc });

/** Another institution's prescription still covering 2026-09-01 (08-20 … 09-16). */
const supply = (line: Partial<SupplyLine>) => (c: RuleContext) =>
  void c.activeSupply.push(aSupplyLine({ prescriptionId: "RX-20260820-0007", institutionId: "INST-TOWNSHIP-02", startDate: "2026-08-20", days: 28, ...line }));
/**
 * A clean start for these pairs: a normal 7-day prescription with no items yet, for a patient
 * of 46 with hypertension, diabetes and hyperlipidaemia and no allergy, and no earlier supply
 * (the baseline's 磺胺 allergy and age of 70 would add cross-allergy and elderly findings).
 */
const fresh = (c: RuleContext) => {
  Object.assign(c.draft, { kind: "normal", longTerm: undefined, items: [] });
  c.patient.birthDate = "1980-03-14";
  c.patient.allergies = [];
  c.patient.conditions.push({ icd10: "E78.0", chronic: true, stable: true, diagnosedAt: "2021-01-01" });
  c.activeSupply = [];
};
/** An item for 7 days, packages as the quantity rules expect unless given. */
const item = (drug: RuleDrug, dose: number, unit = "mg", extra: Partial<DraftItem> = {}) => addItem(drug, { dose: { value: dose, unit }, days: 7, packages: 1, ...extra });

/** 消渴丸 (NEML T090): a Chinese patent medicine containing glibenclamide 2.5 mg per 10 pills. */
const xiaokeWan = (): RuleDrug =>
  anAmlodipine({
    code: "T090-01",
    genericName: "消渴丸",
    innName: null,
    form: "丸剂",
    strength: { value: 2.5, unit: "g" },
    pack: { size: 120, unit: "丸" },
    atc: null,
    conditions: ["E11"],
    maxDailyDose: null,
    ingredients: [ing("格列本脲", "glibenclamide", "A10BB01")],
  });
const valsartanAmlodipine = (): RuleDrug =>
  anAmlodipine({
    code: "W180-01",
    genericName: "缬沙坦氨氯地平",
    innName: "Valsartan and Amlodipine",
    strength: { value: 85, unit: "mg" },
    atc: "C09DB01",
    maxDailyDose: null,
    ingredients: [ing("缬沙坦", "valsartan", "C09CA03"), ing("氨氯地平", "amlodipine", "C08CA01")],
  });
const valsartanHctz = (): RuleDrug =>
  anAmlodipine({
    code: "X-VAL-HCTZ",
    genericName: "缬沙坦氢氯噻嗪",
    innName: "Valsartan and Hydrochlorothiazide",
    strength: { value: 92.5, unit: "mg" },
    atc: "C09DA03",
    maxDailyDose: null,
    ingredients: [ing("缬沙坦", "valsartan", "C09CA03"), ing("氢氯噻嗪", "hydrochlorothiazide", "C03AA03")],
  });
const felodipine = () => anAmlodipine({ code: "W189-01", genericName: "非洛地平", innName: "Felodipine", form: "缓释片", atc: "C08CA02", maxDailyDose: null });
const atorvastatin = (mg: number, overrides: Partial<RuleDrug> = {}) =>
  anAmlodipine({
    code: `W240-${mg}`,
    genericName: "阿托伐他汀钙",
    innName: "Atorvastatin Calcium",
    strength: { value: mg, unit: "mg" },
    atc: "C10AA05",
    conditions: ["E78"],
    maxDailyDose: { value: 80, unit: "mg" },
    ...overrides,
  });
const metoprolol = (salt: "Tartrate" | "Succinate", form = "片剂") =>
  anAmlodipine({ code: `W175-${salt}`, genericName: salt === "Tartrate" ? "酒石酸美托洛尔" : "琥珀酸美托洛尔", innName: `Metoprolol ${salt}`, form, strength: { value: 47.5, unit: "mg" }, atc: "C07AB02", maxDailyDose: null });
/** Atorvastatin 20 mg + 10 mg tablets, once a day, for a 30 mg dose, on a draft of their own. */
const twoStrengths = () => [fresh, item(atorvastatin(20), 20), item(atorvastatin(10), 10)];
const amlodipine = item(anAmlodipine(), 5);
const glibenclamide = item(DRUGS.glibenclamide(), 2.5);
/** 10 pills three times a day: 210 pills, 2 bottles of 120. */
const xiaoke = item(xiaokeWan(), 10, "丸", { frequency: "tid", packages: 2 });

describe("moleculeKey", () => {
  it.each([
    ["Amlodipine Besylate", "amlodipine"],
    ["Levamlodipine Maleate", "amlodipine"],
    ["Metoprolol Tartrate", "metoprolol"],
    ["metoprolol succinate", "metoprolol"],
    ["Valproic Acid", "valproate"],
    ["Sodium Valproate", "valproate"],
    ["Esomeprazole Magnesium", "omeprazole"],
    ["Aspirin", "acetylsalicylate"],
    ["Acetylsalicylic Acid", "acetylsalicylate"],
    ["Sodium Chloride", "sodium chloride"],
    ["Potassium Chloride", "potassium chloride"],
    ["盐酸二甲双胍", "二甲双胍"],
    ["苯磺酸左氨氯地平", "氨氯地平"],
    ["阿仑膦酸钠", "阿仑膦酸"],
    ["艾司奥美拉唑镁", "奥美拉唑"],
    ["左氧氟沙星", "氧氟沙星"],
    ["氯化钠", "氯化钠"],
    ["氯化钾", "氯化钾"],
    ["硫酸镁", "硫酸镁"],
    ["硝酸甘油", "硝酸甘油"],
    ["  ", ""],
  ])("%s → %s", (name, key) => expect(moleculeKey(name)).toBe(key));
});

describe("the ingredients of an entry or a line that lists none (before issue 10)", () => {
  it("an entry is its own one ingredient: generic name, INN key, ATC", () => {
    expect(drugIngredients(anAmlodipine())).toEqual([{ name: "氨氯地平", molecule: "amlodipine", atc: "C08CA01" }]);
    expect(drugIngredients(anAmlodipine({ ingredients: [] }))).toHaveLength(1);
  });
  it("a supply line signed before issue 10 (NULL) is its generic name and ATC", () => {
    expect(supplyIngredients(aSupplyLine({ ingredients: null }))).toEqual([{ name: "氨氯地平", molecule: "氨氯地平", atc: "C08CA01" }]);
  });
});

describe("safety-duplicate-ingredient", () => {
  const xiaokeSupply = (days: number) => supply({ drugCode: "T090-01", genericName: "消渴丸", atc: null, days, ingredients: [ing("格列本脲", "glibenclamide", "A10BB01")] });
  testScenarios([
    // patent medicines with western ingredients
    { name: "消渴丸 + 格列本脲 on one draft", change: [fresh, xiaoke, glibenclamide], expected: [dup(1)] },
    { name: "格列本脲 + 消渴丸 (either order)", change: [fresh, glibenclamide, xiaoke], expected: [dup(1)] },
    { name: "格列本脲 while 消渴丸 signed elsewhere covers the date (08-20 + 28 days)", change: [fresh, xiaokeSupply(28), glibenclamide], expected: [dup(0)] },
    { name: "…the day after that supply ended (08-20 + 12 days ends 08-31)", change: [fresh, xiaokeSupply(12), glibenclamide], expected: [] },
    // the refill grace window (renewal.ts, 7 days by default) is the other boundary: a supply
    // with 8 days left is duplicated, one with 7 days left and at least half used is being refilled
    { name: "…with 8 days left (08-20 + 20 days ends 09-08)", change: [fresh, xiaokeSupply(20), glibenclamide], expected: [dup(0)] },
    { name: "…with 7 days left, in the refill grace window", change: [fresh, xiaokeSupply(19), glibenclamide], expected: [] },
    // combinations
    { name: "缬沙坦氨氯地平 + 氨氯地平", change: [fresh, amlodipine, item(valsartanAmlodipine(), 1, "片")], expected: [dup(1)] },
    { name: "缬沙坦氢氯噻嗪 + 缬沙坦氨氯地平 share valsartan", change: [fresh, item(valsartanHctz(), 1, "片"), item(valsartanAmlodipine(), 1, "片")], expected: [dup(1)] },
    {
      name: "a combination in another institution's supply, its component on the draft",
      change: [fresh, supply({ genericName: "缬沙坦氢氯噻嗪", atc: "C09DA03", ingredients: [ing("缬沙坦", "valsartan", "C09CA03"), ing("氢氯噻嗪", "hydrochlorothiazide", "C03AA03")] }), item(anAmlodipine({ code: "W264-01", genericName: "氢氯噻嗪", innName: "Hydrochlorothiazide", atc: "C03AA03", strength: { value: 25, unit: "mg" }, maxDailyDose: null }), 25)],
      expected: [dup(0)],
    },
    // salts and enantiomers
    { name: "左氨氯地平 + 氨氯地平 (enantiomer, another ATC)", change: [fresh, amlodipine, item(DRUGS.levamlodipine(), 2.5)], expected: [dup(1)] },
    { name: "左氨氯地平 against an old supply line known only as 苯磺酸氨氯地平 (no ingredients, no ATC)", change: [fresh, supply({ genericName: "苯磺酸氨氯地平", atc: null, ingredients: null }), item(DRUGS.levamlodipine(), 2.5)], expected: [dup(0)] },
    { name: "酒石酸美托洛尔 + 琥珀酸美托洛尔 (two salts)", change: [fresh, item(metoprolol("Tartrate"), 47.5), item(metoprolol("Succinate", "缓释片"), 47.5)], expected: [dup(1)] },
    { name: "氯化钠 and 氯化钾 are not one molecule", change: [fresh, item(anAmlodipine({ code: "X-NACL", genericName: "氯化钠", innName: "Sodium Chloride", atc: null, maxDailyDose: null }), 1, "片"), item(anAmlodipine({ code: "X-KCL", genericName: "氯化钾", innName: "Potassium Chloride", atc: null, maxDailyDose: null }), 1, "片")], expected: [] },
    // two strengths for one dose
    { name: "阿托伐他汀 20 mg + 10 mg, both qd by mouth: one 30 mg dose, no duplicate", change: twoStrengths(), expected: [] },
    { name: "…but qd and qn: two doses, a duplicate", change: [...twoStrengths(), withItem(1, { frequency: "qn" })], expected: [dup(1)] },
    { name: "…the same strength twice: a duplicate", change: [fresh, item(atorvastatin(20), 20), item(atorvastatin(20, { code: "W240-20B" }), 20)], expected: [dup(1)] },
    { name: "…a plain and a modified-release form: a duplicate", change: [...twoStrengths(), withDrug("W240-10", atorvastatin(10, { form: "缓释片" }))], expected: [dup(1)] },
    { name: "…by two routes: a duplicate", change: [...twoStrengths(), withItem(1, { route: "sublingual" })], expected: [dup(1)] },
    { name: "…while the same drug signed elsewhere covers the date: each duplicates the supply", change: [...twoStrengths(), supply({ drugCode: "W240-20", genericName: "阿托伐他汀", atc: "C10AA05" })], expected: [dup(0), dup(1)] },
  ]);
});

describe("rx-dose-max-daily on two strengths taken as one dose (max 80 mg)", () => {
  const dose = (i: number) => ({ ruleId: "rx-dose-max-daily", severity: "error" as const, itemIndex: i, path: `items.${i}.dose` });
  const pair = (a: number, b: number) => [fresh, item(atorvastatin(a), a), item(atorvastatin(b), b)];
  testScenarios([
    { name: "40 mg + 20 mg = 60 mg", change: pair(40, 20), expected: [] },
    { name: "60 mg + 20 mg = 80 mg, exactly the maximum", change: pair(60, 20), expected: [] },
    { name: "60 mg + 40 mg = 100 mg, over: reported once, at the second item", change: pair(60, 40), expected: [dose(1)] },
    { name: "taken at two times (qd + qn) they are two doses, each under the maximum, and a duplicate", change: [...pair(60, 40), withItem(1, { frequency: "qn" })], expected: [dup(1)] },
  ]);
});

describe("safety-duplicate-class (ATC level 4 of each ingredient)", () => {
  const combinationSupply = (ingredients: Ingredient[] | null) => supply({ genericName: "缬沙坦氨氯地平", atc: "C09DB01", ingredients });
  testScenarios([
    { name: "a combination's component shares C08CA with a draft item", change: [fresh, item(felodipine(), 5), item(valsartanAmlodipine(), 1, "片")], expected: [cls(1)] },
    { name: "felodipine while 缬沙坦氨氯地平 signed elsewhere covers the date", change: [fresh, combinationSupply([ing("缬沙坦", "valsartan", "C09CA03"), ing("氨氯地平", "amlodipine", "C08CA01")]), item(felodipine(), 5)], expected: [cls(0)] },
    { name: "a line signed before issue 10 has only the combination's ATC (C09DB01): no C08CA pair", change: [fresh, combinationSupply(null), item(felodipine(), 5)], expected: [] },
    { name: "a shared ingredient is a duplicate, not also a class pair", change: [fresh, amlodipine, item(valsartanAmlodipine(), 1, "片")], expected: [dup(1)] },
    { name: "two strengths of one product are not a class pair either", change: twoStrengths(), expected: [] },
  ]);
});
