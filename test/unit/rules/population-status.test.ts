import { describe, expect, it } from "vitest";
import { validateDraft } from "../../../worker/rules";
import type { RuleContext, RuleDrug } from "../../../worker/rules";
import { anAmlodipine, aRuleContext, DRUGS, onlyItem, testScenarios, withDraft, withPatient } from "./builders";

/*
 * Special populations from the patient record: renal function (eGFR), pregnancy and
 * lactation, sex, and the age of infants in months and days. The prescription date is the
 * baseline's 2026-09-01 (China); the baseline patient is a woman of 70 on metformin 0.5 g
 * bid (item 1) and amlodipine (item 0).
 */

/** A product with no maximum and no long-prescription listing, so only the rule under test speaks. */
function product(code: string, genericName: string, atc: string | null, overrides: Partial<RuleDrug> = {}): RuleDrug {
  return anAmlodipine({ code, genericName, innName: null, atc, longRxEligible: false, conditions: [], maxDailyDose: null, pack: { size: 100, unit: "片" }, ...overrides });
}

const egfr = (value: number, on = "2026-08-20") => withPatient({ egfr: { value, on } });
const status = (s: "pregnant" | "lactating", on = "2026-08-01") => withPatient({ pregnancy: { status: s, on } });
const born = (birthDate: string) => withPatient({ birthDate });
const male = withPatient({ gender: "male" });
const writtenAt = (w: string) => withDraft({ writtenAt: w });
/** A patient of 40: no elderly criteria. */
const adult = born("1986-05-05");

const at = (ruleId: string, severity: "error" | "warning", index = 0) => ({ ruleId, severity, itemIndex: index, path: `items.${index}.drugCode` }) as const;
const renal = (i = 0) => at("population-renal", "error", i);
const renalCaution = (i = 0) => at("population-renal-caution", "warning", i);
const renalStale = (i = 0) => at("population-renal-stale", "warning", i);
const pim = (i = 0) => at("population-elderly-pim", "warning", i);
const pregnancy = at("population-pregnancy", "error");
const pregnancyCaution = at("population-pregnancy-caution", "warning");
const lactation = at("population-lactation", "error");
const lactationCaution = at("population-lactation-caution", "warning");
const sex = at("population-sex", "error");
const ageRestricted = at("population-age-restricted", "error");

/** The baseline patient is allergic to 磺胺, which the allergy rules relate to sulfonylureas: not this file's concern. */
const noAllergies = withPatient({ allergies: [] });
const glibenclamide = onlyItem(DRUGS.glibenclamide(), { dose: { value: 2.5, unit: "mg" } });
/** 消渴丸: a Chinese patent medicine without an ATC code; 0.25 mg glibenclamide in each pill. */
const xiaokewan = onlyItem(
  product("T090-01", "消渴丸", null, {
    form: "丸剂",
    strength: { value: 0.25, unit: "g" },
    pack: { size: 120, unit: "丸" },
    ingredients: [{ name: "格列本脲", molecule: "glibenclamide", atc: "A10BB01" }],
  }),
  { dose: { value: 10, unit: "丸" }, frequency: "tid" },
);
const diclofenac = onlyItem(product("W079-01", "双氯芬酸钠", "M01AB05", { form: "肠溶片", strength: { value: 25, unit: "mg" } }), { dose: { value: 25, unit: "mg" }, frequency: "tid" });
const diclofenacGel = onlyItem(product("W079-09", "双氯芬酸钠", "M01AB05", { form: "凝胶", route: "topical", strength: { value: 1, unit: "%" }, pack: { size: 1, unit: "支" } }), {
  dose: { value: 1, unit: "支" },
  frequency: "prn",
});
const nitrofurantoin = onlyItem(product("W034-01", "呋喃妥因", "J01XE01", { form: "肠溶片", strength: { value: 50, unit: "mg" }, antimicrobial: "unrestricted" }), {
  dose: { value: 50, unit: "mg" },
  frequency: "qid",
});
const dabigatran = onlyItem(product("W297-01", "达比加群酯", "B01AE07", { form: "胶囊", strength: { value: 150, unit: "mg" }, pack: { size: 30, unit: "粒" } }), {
  dose: { value: 150, unit: "mg" },
  frequency: "bid",
});
const rivaroxaban = onlyItem(product("W298-01", "利伐沙班", "B01AF01", { strength: { value: 15, unit: "mg" }, pack: { size: 28, unit: "片" } }), { dose: { value: 15, unit: "mg" } });
const spironolactone = (mg: number) => onlyItem(product("W265-01", "螺内酯", "C03DA01", { strength: { value: 20, unit: "mg" } }), { dose: { value: mg, unit: "mg" } });
const gliclazide = onlyItem(product("W320-01", "格列齐特", "A10BB09", { strength: { value: 80, unit: "mg" } }), { dose: { value: 80, unit: "mg" }, frequency: "bid" });
const acarbose = onlyItem(product("W321-01", "阿卡波糖", "A10BF01", { strength: { value: 50, unit: "mg" } }), { dose: { value: 50, unit: "mg" }, frequency: "tid" });
const metforminWithoutAtc = onlyItem(product("W315-09", "二甲双胍缓释片", null, { form: "缓释片", strength: { value: 0.5, unit: "g" } }), { dose: { value: 0.5, unit: "g" } });

describe("renal function: eGFR bands (ml/min/1.73m²) on the record, trusted 12 months", () => {
  testScenarios([
    { name: "no eGFR on record raises nothing", change: [], expected: [] },
    { name: "metformin at eGFR 25", change: egfr(25), expected: [renal(1)] },
    { name: "metformin at eGFR 29", change: egfr(29), expected: [renal(1)] },
    { name: "metformin at eGFR 30: do not start / reduce", change: egfr(30), expected: [renalCaution(1)] },
    { name: "metformin at eGFR 44", change: egfr(44), expected: [renalCaution(1)] },
    { name: "metformin at eGFR 45", change: egfr(45), expected: [] },
    { name: "metformin at eGFR 29.9 (a decimal)", change: egfr(29.9), expected: [renal(1)] },
    { name: "measured 12 months ago less one day (2025-09-02): trusted", change: egfr(25, "2025-09-02"), expected: [renal(1)] },
    { name: "measured 12 months ago to the day (2025-09-01): stale, re-test", change: egfr(25, "2025-09-01"), expected: [renalStale(1)] },
    { name: "measured 12 months and a day ago (2025-08-31): stale", change: egfr(25, "2025-08-31"), expected: [renalStale(1)] },
    { name: "a stale eGFR outside every band raises nothing", change: egfr(80, "2024-01-01"), expected: [] },
    { name: "a stale eGFR 40 asks for a re-test too", change: egfr(40, "2025-06-01"), expected: [renalStale(1)] },
    { name: "measured after the prescription date: not known when written", change: egfr(25, "2026-09-02"), expected: [] },
    {
      name: "the prescription date is a China date: 2026-08-31T16:30Z is 09-01, the anniversary",
      change: [writtenAt("2026-08-31T16:30:00Z"), egfr(25, "2025-09-01")],
      expected: [renalStale(1)],
    },
    { name: "2026-08-31T15:30Z is still 08-31 in Beijing: trusted", change: [writtenAt("2026-08-31T15:30:00Z"), egfr(25, "2025-09-01")], expected: [renal(1)] },
    { name: "metformin named, without an ATC code", change: [adult, egfr(25), metforminWithoutAtc], expected: [renal()] },
    { name: "glibenclamide at 70, eGFR 50: not recommended below 60, and a PIM", change: [noAllergies, egfr(50), glibenclamide], expected: [renalCaution(), pim()] },
    { name: "glibenclamide at 70, eGFR 60", change: [noAllergies, egfr(60), glibenclamide], expected: [pim()] },
    { name: "glibenclamide at 70, eGFR 29", change: [noAllergies, egfr(29), glibenclamide], expected: [renal(), pim()] },
    { name: "消渴丸 (glibenclamide inside) at 70, eGFR 29", change: [noAllergies, egfr(29), xiaokewan], expected: [renal(), pim()] },
    { name: "diclofenac at 40, eGFR 29", change: [adult, egfr(29), diclofenac], expected: [renal()] },
    { name: "diclofenac at 40, eGFR 30", change: [adult, egfr(30), diclofenac], expected: [] },
    { name: "diclofenac gel at 40, eGFR 15: a local route", change: [adult, egfr(15), diclofenacGel], expected: [] },
    { name: "nitrofurantoin at eGFR 44", change: [adult, egfr(44), nitrofurantoin], expected: [renal()] },
    { name: "nitrofurantoin at eGFR 45", change: [adult, egfr(45), nitrofurantoin], expected: [renalCaution()] },
    { name: "nitrofurantoin at eGFR 59", change: [adult, egfr(59), nitrofurantoin], expected: [renalCaution()] },
    { name: "nitrofurantoin at eGFR 60", change: [adult, egfr(60), nitrofurantoin], expected: [] },
    { name: "dabigatran at eGFR 29", change: [adult, egfr(29), dabigatran], expected: [renal()] },
    { name: "dabigatran at eGFR 30", change: [adult, egfr(30), dabigatran], expected: [renalCaution()] },
    { name: "dabigatran at eGFR 50", change: [adult, egfr(50), dabigatran], expected: [] },
    { name: "rivaroxaban at eGFR 14", change: [adult, egfr(14), rivaroxaban], expected: [renal()] },
    { name: "rivaroxaban at eGFR 15", change: [adult, egfr(15), rivaroxaban], expected: [renalCaution()] },
    { name: "rivaroxaban at eGFR 30", change: [adult, egfr(30), rivaroxaban], expected: [] },
    { name: "gliclazide at eGFR 29", change: [adult, noAllergies, egfr(29), gliclazide], expected: [renal()] },
    { name: "gliclazide at eGFR 30", change: [adult, noAllergies, egfr(30), gliclazide], expected: [] },
    { name: "acarbose at eGFR 24", change: [adult, egfr(24), acarbose], expected: [renal()] },
    { name: "acarbose at eGFR 25", change: [adult, egfr(25), acarbose], expected: [] },
    { name: "spironolactone at eGFR 29", change: [adult, egfr(29), spironolactone(20)], expected: [renal()] },
    { name: "spironolactone at eGFR 30", change: [adult, egfr(30), spironolactone(20)], expected: [] },
  ]);

  it("names the value, its date, the threshold and the source", () => {
    const [finding] = validateDraft(aRuleContext(egfr(25))).findings;
    expect(finding?.message).toContain("eGFR 25 ml/min/1.73m²（2026-08-20 测定）");
    expect(finding?.message).toContain("低于 30");
    expect(finding?.message).toContain("二甲双胍临床应用专家共识");
  });
});

const enalapril = onlyItem(DRUGS.enalapril(), { dose: { value: 10, unit: "mg" } });
/** Rosuvastatin, without the baseline's atorvastatin from another institution (a duplicate class otherwise). */
const statin = (c: RuleContext) => {
  c.activeSupply = [];
  onlyItem(product("W202-01", "瑞舒伐他汀", "C10AA07", { strength: { value: 10, unit: "mg" } }), { dose: { value: 10, unit: "mg" } })(c);
};
const levofloxacin = onlyItem(DRUGS.levofloxacin(), { dose: { value: 0.5, unit: "g" } });
const levofloxacinEyeDrops = onlyItem(
  product("W030-05", "左氧氟沙星", "J01MA12", { form: "滴眼剂", route: "ophthalmic", strength: { value: 0.3, unit: "%" }, pack: { size: 1, unit: "支" }, antimicrobial: "unrestricted" }),
  { dose: { value: 1, unit: "支" }, frequency: "prn" },
);
const doxycycline = onlyItem(DRUGS.doxycycline(), { dose: { value: 0.1, unit: "g" }, frequency: "bid" });
const misoprostol = onlyItem(product("W468-01", "米索前列醇", null, { strength: { value: 200, unit: "μg" }, pack: { size: 3, unit: "片" } }), { dose: { value: 600, unit: "μg" }, days: 1 });
const adapaleneGel = onlyItem(product("X-ADA-01", "阿达帕林", "D10AD03", { form: "凝胶", route: "topical", strength: { value: 0.1, unit: "%" }, pack: { size: 1, unit: "支" } }), {
  dose: { value: 1, unit: "支" },
  frequency: "prn",
});
const warfarin = onlyItem(product("W295-01", "华法林", "B01AA03", { strength: { value: 2.5, unit: "mg" } }), { dose: { value: 2.5, unit: "mg" } });
const methotrexate = onlyItem(DRUGS.methotrexate(), { dose: { value: 7.5, unit: "mg" }, frequency: "qw", days: 7 });
/** A woman of 31. */
const young = born("1995-05-05");

describe("pregnancy and lactation: the label's 【禁忌】 and 【孕妇及哺乳期妇女用药】", () => {
  testScenarios([
    { name: "enalapril, no status on record", change: [young, enalapril], expected: [] },
    { name: "enalapril, pregnant", change: [young, status("pregnant"), enalapril], expected: [pregnancy] },
    { name: "enalapril, lactating: not recommended", change: [young, status("lactating"), enalapril], expected: [lactationCaution] },
    { name: "enalapril for a man whose record somehow holds a status: nothing", change: [young, male, status("pregnant"), enalapril], expected: [] },
    { name: "rosuvastatin, pregnant", change: [young, status("pregnant"), statin], expected: [pregnancy] },
    { name: "rosuvastatin, lactating", change: [young, status("lactating"), statin], expected: [lactation] },
    { name: "levofloxacin, pregnant", change: [young, status("pregnant"), levofloxacin], expected: [pregnancy] },
    { name: "levofloxacin, lactating", change: [young, status("lactating"), levofloxacin], expected: [lactation] },
    { name: "levofloxacin eye drops, pregnant: a local route", change: [young, status("pregnant"), levofloxacinEyeDrops], expected: [] },
    { name: "doxycycline, pregnant", change: [young, status("pregnant"), doxycycline], expected: [pregnancy] },
    { name: "doxycycline, lactating: stop breastfeeding", change: [young, status("lactating"), doxycycline], expected: [lactationCaution] },
    { name: "misoprostol (no ATC), pregnant: confirm it is a termination", change: [young, status("pregnant"), misoprostol], expected: [pregnancyCaution] },
    { name: "adapalene gel, pregnant: retinoids are contraindicated on the skin too", change: [young, status("pregnant"), adapaleneGel], expected: [pregnancy] },
    { name: "warfarin, pregnant", change: [young, status("pregnant"), warfarin], expected: [pregnancy] },
    { name: "warfarin, lactating", change: [young, status("lactating"), warfarin], expected: [lactationCaution] },
    { name: "methotrexate weekly, lactating", change: [young, status("lactating"), methotrexate], expected: [lactation] },
    { name: "pregnant recorded 293 days ago: still believed", change: [young, status("pregnant", "2025-11-12"), enalapril], expected: [pregnancy] },
    { name: "pregnant recorded 294 days (42 weeks) ago: over", change: [young, status("pregnant", "2025-11-11"), enalapril], expected: [] },
    { name: "lactating recorded 729 days ago: still believed", change: [young, status("lactating", "2024-09-02"), statin], expected: [lactation] },
    { name: "lactating recorded 730 days ago: over", change: [young, status("lactating", "2024-09-01"), statin], expected: [] },
    { name: "recorded after the prescription date", change: [young, status("pregnant", "2026-09-02"), enalapril], expected: [] },
  ]);

  it("names the status, its date and the label", () => {
    const [finding] = validateDraft(aRuleContext(young, status("pregnant"), enalapril)).findings;
    expect(finding?.message).toContain("患者妊娠期（2026-08-01 记录）");
    expect(finding?.message).toContain("孕妇禁用");
    expect(finding?.message).toContain("【孕妇及哺乳期妇女用药】");
  });
});

const finasteride = onlyItem(product("W271-01", "非那雄胺", "G04CB01", { strength: { value: 5, unit: "mg" } }), { dose: { value: 5, unit: "mg" } });
const clotrimazoleVaginal = onlyItem(product("W470-01", "克霉唑", "G01AF02", { form: "阴道片", route: "vaginal", strength: { value: 0.5, unit: "g" }, pack: { size: 1, unit: "片" } }), {
  dose: { value: 0.5, unit: "g" },
  frequency: "qn",
  days: 1,
});

describe("sex: only where the label or the route leaves no doubt", () => {
  testScenarios([
    { name: "finasteride for a woman", change: [young, finasteride], expected: [sex] },
    { name: "finasteride for a man", change: [young, male, finasteride], expected: [] },
    { name: "a vaginal tablet for a man", change: [young, male, clotrimazoleVaginal], expected: [sex] },
    { name: "a vaginal tablet for a woman", change: [young, clotrimazoleVaginal], expected: [] },
    { name: "a pregnant woman's record and finasteride: one finding, the sex one", change: [young, status("pregnant"), finasteride], expected: [sex] },
  ]);
});

const smzTmp = onlyItem(product("W026-01", "复方磺胺甲噁唑", "J01EE01", { strength: { value: 0.48, unit: "g" }, antimicrobial: "unrestricted" }), { dose: { value: 0.48, unit: "g" }, frequency: "bid" });
const codeine = onlyItem(product("W212-01", "可待因", "R05DA04", { strength: { value: 15, unit: "mg" } }), { dose: { value: 15, unit: "mg" }, frequency: "tid" });

describe("infants and children: age in years, months or days on the prescription's China date", () => {
  testScenarios([
    { name: "SMZ-TMP for a 29-day-old (under 2 months)", change: [noAllergies, born("2026-08-03"), smzTmp], expected: [ageRestricted] },
    { name: "SMZ-TMP the day before 2 months (born 2026-07-02)", change: [noAllergies, born("2026-07-02"), smzTmp], expected: [ageRestricted] },
    { name: "SMZ-TMP at 2 months to the day (born 2026-07-01)", change: [noAllergies, born("2026-07-01"), smzTmp], expected: [] },
    { name: "nitrofurantoin at 27 days: a neonate", change: [born("2026-08-05"), nitrofurantoin], expected: [ageRestricted] },
    { name: "nitrofurantoin at 28 days: the neonatal period is over", change: [born("2026-08-04"), nitrofurantoin], expected: [] },
    { name: "nitrofurantoin for a 29-day-old", change: [born("2026-08-03"), nitrofurantoin], expected: [] },
    { name: "doxycycline for an 11-month-old", change: [born("2025-09-15"), doxycycline], expected: [ageRestricted] },
    { name: "codeine the day before the 12th birthday", change: [born("2014-09-02"), codeine], expected: [ageRestricted] },
    { name: "codeine on the 12th birthday", change: [born("2014-09-01"), codeine], expected: [] },
    { name: "an imported levofloxacin without an ATC code at 10, by its name", change: [born("2016-01-01"), onlyItem(product("X-LVX-01", "左氧氟沙星", null, { strength: { value: 0.5, unit: "g" } }), { dose: { value: 0.5, unit: "g" } })], expected: [ageRestricted] },
    { name: "amlodipine and metformin for an 11-month-old: no age fact", change: [born("2025-09-15")], expected: [] },
  ]);

  it.each([
    ["an 11-month-old", "2025-09-15", doxycycline, "患者 11月"],
    ["a 29-day-old", "2026-08-03", smzTmp, "患者 29天"],
    ["a 5-year-old", "2021-03-10", doxycycline, "患者 5岁"],
  ])("states the age of %s as the prescription does", (_who, birthDate, item, text) => {
    const [finding] = validateDraft(aRuleContext(noAllergies, born(birthDate), item as (c: RuleContext) => void)).findings;
    expect(finding?.message).toContain(text);
  });
});

const lorazepam = onlyItem(product("W141-01", "劳拉西泮", "N05BA06", { strength: { value: 0.5, unit: "mg" } }), { dose: { value: 0.5, unit: "mg" }, frequency: "qn" });
const digoxin = (mg: number) => onlyItem(product("W169-01", "地高辛", "C01AA05", { strength: { value: 0.25, unit: "mg" } }), { dose: { value: mg, unit: "mg" } });
const nifedipine = onlyItem(product("W154-01", "硝苯地平", "C08CA05", { strength: { value: 10, unit: "mg" } }), { dose: { value: 10, unit: "mg" }, frequency: "tid" });
const nifedipineSr = onlyItem(product("W154-02", "硝苯地平", "C08CA05", { form: "缓释片", strength: { value: 20, unit: "mg" } }), { dose: { value: 20, unit: "mg" }, frequency: "bid" });

describe("older people: more of the Chinese criteria (2017), graded, always warnings", () => {
  testScenarios([
    { name: "lorazepam at 70", change: lorazepam, expected: [pim()] },
    { name: "lorazepam at 59", change: [born("1967-05-05"), lorazepam], expected: [] },
    { name: "digoxin 0.125 mg a day at 70: within the criteria's limit", change: digoxin(0.125), expected: [] },
    { name: "digoxin 0.25 mg a day at 70", change: digoxin(0.25), expected: [pim()] },
    { name: "spironolactone 20 mg a day at 70", change: spironolactone(20), expected: [] },
    { name: "spironolactone 40 mg a day at 70", change: spironolactone(40), expected: [pim()] },
    { name: "nifedipine immediate-release at 70", change: nifedipine, expected: [pim()] },
    { name: "nifedipine sustained-release at 70", change: nifedipineSr, expected: [] },
    { name: "消渴丸 (glibenclamide inside) at 70", change: [noAllergies, xiaokewan], expected: [pim()] },
    { name: "an imported lorazepam without an ATC code, by its name", change: onlyItem(product("X-LZP-01", "劳拉西泮", null, { strength: { value: 0.5, unit: "mg" } }), { dose: { value: 0.5, unit: "mg" }, frequency: "qn" }), expected: [pim()] },
  ]);

  it("names the grade", () => {
    const [finding] = validateDraft(aRuleContext(lorazepam)).findings;
    expect(finding?.message).toContain("（高风险）");
  });
});
