/**
 * Allergies (issue 10): a free-text recorded substance maps to ingredient classes
 * (allergy-facts.ts); an ingredient of the class is an error (safety-allergy), one of a
 * cross-reacting class a warning (safety-allergy-cross).
 */
import { describe, expect, it } from "vitest";
import type { DraftItem, Ingredient, RuleContext, RuleDrug } from "../../../worker/rules";
import { validateDraft } from "../../../worker/rules";
import { allergyClasses } from "../../../worker/rules/allergy.rules";
import { anAmlodipine, aRuleContext, addItem, DRUGS, testScenarios } from "./builders";

const onItem = (ruleId: string, i: number, severity: "error" | "warning" = "error") => ({ ruleId, severity, itemIndex: i, path: `items.${i}.drugCode` });
const allergic = (i: number) => onItem("safety-allergy", i);
const cross = (i: number) => onItem("safety-allergy-cross", i, "warning");
const ing = (name: string, molecule: string, atc: string | null = null): Ingredient => ({ name, molecule, atc });

/** A normal 3-day prescription with no items, for a patient of 46 whose only allergy is `substance`. */
const allergyTo =
  (substance: string, atcPrefix: string | null = null) =>
  (c: RuleContext) => {
    Object.assign(c.draft, { kind: "normal", longTerm: undefined, items: [] });
    c.patient.birthDate = "1980-03-14";
    c.patient.allergies = [{ substance, atcPrefix }];
    c.activeSupply = [];
  };
const item = (drug: RuleDrug, dose: number, unit = "g", extra: Partial<DraftItem> = {}) => addItem(drug, { dose: { value: dose, unit }, days: 3, packages: 1, ...extra });

const antibiotic = (code: string, genericName: string, innName: string, atc: string, extra: Partial<RuleDrug> = {}) =>
  anAmlodipine({ code, genericName, innName, atc, form: "胶囊", strength: { value: 0.25, unit: "g" }, pack: { size: 24, unit: "粒" }, antimicrobial: "unrestricted", longRxEligible: false, conditions: [], maxDailyDose: null, ...extra });
const amoxicillin = item(DRUGS.amoxicillin(), 0.5);
const amoxClav = item(antibiotic("W007-01", "阿莫西林克拉维酸钾", "Amoxicillin and Clavulanate Potassium", "J01CR02", { ingredients: [ing("阿莫西林", "amoxicillin", "J01CA04"), ing("克拉维酸钾", "clavulanate")] }), 0.5);
const cefuroxime = item(antibiotic("W010-01", "头孢呋辛酯", "Cefuroxime Axetil", "J01DC02"), 0.25);
const cefalexin = item(antibiotic("W009-01", "头孢氨苄", "Cefalexin", "J01DB01"), 0.5);
const azithromycin = item(antibiotic("W017-01", "阿奇霉素", "Azithromycin", "J01FA10"), 0.5);
const smzTmp = item(antibiotic("W026-01", "复方磺胺甲噁唑", "Compound Sulfamethoxazole", "J01EE01", { ingredients: [ing("磺胺甲噁唑", "sulfamethoxazole", "J01EC01"), ing("甲氧苄啶", "trimethoprim", "J01EA01")] }), 2, "片");
const silverSulfadiazine = item(antibiotic("W436-01", "磺胺嘧啶银", "Sulfadiazine Silver", "D06BA01", { form: "乳膏", route: "topical", antimicrobial: null, strength: { value: 1, unit: "%" }, pack: { size: 1, unit: "支" } }), 1, "支", { packages: 3 });
const furosemide = item(anAmlodipine({ code: "W265-01", genericName: "呋塞米", innName: "Furosemide", atc: "C03CA01", strength: { value: 20, unit: "mg" }, maxDailyDose: null }), 20, "mg");
const hctz = item(anAmlodipine({ code: "W264-01", genericName: "氢氯噻嗪", innName: "Hydrochlorothiazide", atc: "C03AA03", strength: { value: 25, unit: "mg" }, maxDailyDose: null }), 25, "mg");
const xiaokeWan = item(anAmlodipine({ code: "T090-01", genericName: "消渴丸", innName: null, atc: null, form: "丸剂", strength: { value: 2.5, unit: "g" }, pack: { size: 120, unit: "丸" }, maxDailyDose: null, ingredients: [ing("格列本脲", "glibenclamide", "A10BB01")] }), 10, "丸");
const aspirin = item(anAmlodipine({ code: "W203-01", genericName: "阿司匹林", innName: "Aspirin", atc: "B01AC06", form: "肠溶片", strength: { value: 100, unit: "mg" }, maxDailyDose: null }), 100, "mg");
const ibuprofen = item(anAmlodipine({ code: "W079-01", genericName: "布洛芬", innName: "Ibuprofen", atc: "M01AE01", form: "缓释胶囊", strength: { value: 0.3, unit: "g" }, maxDailyDose: null }), 0.3, "g", { frequency: "bid" });
const paracetamol = item(anAmlodipine({ code: "W076-01", genericName: "对乙酰氨基酚", innName: "Paracetamol", atc: "N02BE01", strength: { value: 0.5, unit: "g" }, maxDailyDose: null }), 0.5);
const levofloxacin = item(antibiotic("W036-01", "左氧氟沙星", "Levofloxacin", "J01MA12", { form: "片剂", pack: { size: 10, unit: "片" } }), 0.5, "g");
const doxycycline = item(antibiotic("W021-01", "多西环素", "Doxycycline", "J01AA02", { form: "片剂", strength: { value: 0.1, unit: "g" }, pack: { size: 12, unit: "片" } }), 0.1);

describe("allergyClasses: what a recorded substance names", () => {
  it.each([
    ["青霉素", ["penicillins"]],
    ["青霉素皮试阳性", ["penicillins"]],
    ["阿莫西林", ["penicillins"]],
    ["Penicillin", ["penicillins"]],
    ["头孢", ["cephalosporins"]],
    ["头孢克洛", ["cephalosporins"]],
    ["磺胺", ["sulfonamide-antibiotics"]],
    ["复方新诺明", ["sulfonamide-antibiotics"]],
    ["阿司匹林", ["nsaids"]],
    ["布洛芬", ["nsaids"]],
    ["左氧氟沙星", ["quinolones"]],
    ["呋塞米", []],
    ["海鲜", []],
    ["", []],
  ])("%s → %j", (substance, ids) => expect(allergyClasses(substance).map((c) => c.id)).toEqual(ids));
});

describe("safety-allergy and safety-allergy-cross", () => {
  testScenarios([
    // penicillins
    { name: "青霉素 → amoxicillin (class)", change: [allergyTo("青霉素"), amoxicillin], expected: [allergic(0)] },
    { name: "青霉素 → amoxicillin-clavulanate (an ingredient of a combination)", change: [allergyTo("青霉素"), amoxClav], expected: [allergic(0)] },
    { name: "阿莫西林 → amoxicillin-clavulanate", change: [allergyTo("阿莫西林"), amoxClav], expected: [allergic(0)] },
    { name: "青霉素 → cefuroxime: cross-reactivity, a warning", change: [allergyTo("青霉素"), cefuroxime], expected: [cross(0)] },
    { name: "青霉素 → azithromycin: no finding", change: [allergyTo("青霉素"), azithromycin], expected: [] },
    { name: "a recorded ATC prefix J01C is still honoured", change: [allergyTo("过敏药物（见病历）", "J01C"), amoxicillin], expected: [allergic(0)] },
    // cephalosporins
    { name: "头孢 → cefalexin (class)", change: [allergyTo("头孢"), cefalexin], expected: [allergic(0)] },
    { name: "头孢克洛 → cefuroxime (same class)", change: [allergyTo("头孢克洛"), cefuroxime], expected: [allergic(0)] },
    { name: "头孢 → amoxicillin: cross-reactivity, a warning", change: [allergyTo("头孢"), amoxicillin], expected: [cross(0)] },
    { name: "allergic to both: the error only", change: [allergyTo("青霉素"), (c) => void c.patient.allergies.push({ substance: "头孢", atcPrefix: null }), cefuroxime], expected: [allergic(0)] },
    // sulfonamides
    { name: "磺胺 → SMZ-TMP (sulfamethoxazole)", change: [allergyTo("磺胺"), smzTmp], expected: [allergic(0)] },
    { name: "磺胺 → silver sulfadiazine cream (local, still an allergy)", change: [allergyTo("磺胺"), silverSulfadiazine], expected: [allergic(0)] },
    { name: "磺胺 → furosemide: a warning, no error (no structural cross-reactivity)", change: [allergyTo("磺胺"), furosemide], expected: [cross(0)] },
    { name: "磺胺 → hydrochlorothiazide: a warning", change: [allergyTo("磺胺"), hctz], expected: [cross(0)] },
    { name: "磺胺 → 消渴丸 (glibenclamide, a sulfonylurea): a warning", change: [allergyTo("磺胺"), xiaokeWan], expected: [cross(0)] },
    { name: "呋塞米 → hydrochlorothiazide: no class is recorded by a non-antibiotic", change: [allergyTo("呋塞米"), hctz], expected: [] },
    // aspirin and NSAIDs
    { name: "阿司匹林 → aspirin", change: [allergyTo("阿司匹林"), aspirin], expected: [allergic(0)] },
    { name: "阿司匹林 → ibuprofen (label: contraindicated after aspirin/NSAID reactions)", change: [allergyTo("阿司匹林"), ibuprofen], expected: [allergic(0)] },
    { name: "阿司匹林 → paracetamol: no finding", change: [allergyTo("阿司匹林"), paracetamol], expected: [] },
    // other classes
    { name: "喹诺酮 → levofloxacin", change: [allergyTo("喹诺酮类"), levofloxacin], expected: [allergic(0)] },
    { name: "四环素 → doxycycline", change: [allergyTo("四环素"), doxycycline], expected: [allergic(0)] },
    // by name, as before
    { name: "消渴丸's ingredient by name: 格列本脲", change: [allergyTo("格列本脲"), xiaokeWan], expected: [allergic(0)] },
    { name: "an unrelated substance", change: [allergyTo("花粉"), amoxicillin, cefuroxime], expected: [] },
  ]);

  it("names the ingredient and class, and cites the cross-reactivity source", () => {
    const error = validateDraft(aRuleContext(allergyTo("青霉素"), amoxClav)).findings[0];
    expect(error?.message).toBe("阿莫西林克拉维酸钾胶囊 0.25g（所含阿莫西林属青霉素类）：患者有“青霉素”过敏史");
    const warning = validateDraft(aRuleContext(allergyTo("青霉素"), cefuroxime)).findings[0];
    expect(warning?.ruleId).toBe("safety-allergy-cross");
    expect(warning?.message).toContain("属头孢菌素类");
    expect(warning?.message).toContain("β内酰胺类抗菌药物皮肤试验指导原则（2021年版）");
  });
});
