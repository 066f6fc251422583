import { describe, expect, it } from "vitest";
import { listedControlClass } from "../../../worker/rules/control-facts";
import type { DraftItem, RuleContext, RuleDrug } from "../../../worker/rules";
import { addItem, anAmlodipine, DRUGS, onlyItem, testScenarios, withDraft, withPatient, withPrescriber } from "./builders";

/**
 * Controlled drugs on this platform (issue 10, facts): the classes the 2024 adjustment of the
 * psychotropic list gave (国家药监局 公安部 国家卫生健康委 2024年第54号公告, in force 2024-07-01) and
 * the day limits of 处方管理办法 第二十三条. No new rule was needed; this table pins the coverage:
 * - 第二类精神药品 "一般每张处方不得超过7日常用量；对于慢性病或某些特殊情况的患者，处方用量可以适当
 *   延长，医师应当注明理由": the reason rule of 第十九条 (rx-days-reason) says the same for every
 *   normal prescription, so a class II item over 7 days needs the recorded reason, and an emergency
 *   one stays within 3 days (rx-days-emergency).
 * - 麻醉药品 and 第一类精神药品 are never written here (rx-controlled-online), whatever the days;
 *   since 2024-07-01 that includes 咪达唑仑 injection, while its tablets stay class II.
 * - Every special-management class is excluded from long prescriptions (ltrx-drug-excluded).
 */

/** 艾司唑仑片 1 mg (class II since the 2013 catalogue), 1 mg at night, a box of 20. */
const estazolam: RuleDrug = anAmlodipine({
  code: "W142-01",
  genericName: "艾司唑仑",
  innName: "Estazolam",
  strength: { value: 1, unit: "mg" },
  pack: { size: 20, unit: "片" },
  atc: "N05CD04",
  controlClass: "psychotropic_2",
  longRxEligible: false,
  conditions: [],
  minLevel: "primary",
  maxDailyDose: null,
});

/** 右美沙芬片 15 mg: class II since 2024-07-01 (2024年第54号公告), 15 mg tid, a box of 24. */
const dextromethorphan: RuleDrug = anAmlodipine({
  code: "W213-01",
  genericName: "右美沙芬",
  innName: "Dextromethorphan",
  strength: { value: 15, unit: "mg" },
  pack: { size: 24, unit: "片" },
  atc: "R05DA09",
  controlClass: "psychotropic_2",
  longRxEligible: false,
  conditions: [],
  minLevel: "primary",
  maxDailyDose: null,
});

/** 咪达唑仑: the 15 mg tablet stays class II, the injection is class I since 2024-07-01. */
const midazolamTablet: RuleDrug = anAmlodipine({
  code: "W149-01",
  genericName: "咪达唑仑",
  innName: "Midazolam",
  strength: { value: 15, unit: "mg" },
  pack: { size: 10, unit: "片" },
  atc: "N05CD08",
  controlClass: "psychotropic_2",
  longRxEligible: false,
  conditions: [],
  minLevel: "secondary",
  maxDailyDose: null,
});
const midazolamInjection: RuleDrug = {
  ...midazolamTablet,
  code: "W149-04",
  form: "注射液",
  strength: { value: 10, unit: "mg" },
  pack: { size: 1, unit: "支" },
  route: "iv",
  controlClass: "psychotropic_1",
};

/** A patient of 46: benzodiazepines are PIMs from 60, not what this table is about. */
const adult = withPatient({ birthDate: "1980-05-01" });
/** A primary-level prescriber and that patient. */
const primary = [withPrescriber({ institutionLevel: "primary" }), adult];
const county = withPrescriber({ institutionLevel: "secondary" });
/** `days` of estazolam 1 mg at night on a normal prescription, in `packages` boxes of 20. */
const estazolamFor = (days: number, packages = 1) => onlyItem(estazolam, { dose: { value: 1, unit: "mg" }, frequency: "qn", days, packages });
const reason = withDraft({ extendedReason: "慢性失眠，病情稳定，门诊随访" });
const emergency = (c: RuleContext) => void Object.assign(c.draft, { kind: "emergency" });

const daysReason = { ruleId: "rx-days-reason", severity: "error", path: "extendedReason" } as const;
const emergencyDays = { ruleId: "rx-days-emergency", severity: "error", itemIndex: 0, path: "items.0.days" } as const;
const online = { ruleId: "rx-controlled-online", severity: "error", itemIndex: 0, path: "items.0.drugCode" } as const;

describe("第二类精神药品: 7 days, longer only with a recorded reason (处方管理办法 第二十三条)", () => {
  testScenarios([
    { name: "estazolam 7 days: allowed", change: [...primary, estazolamFor(7)], expected: [] },
    { name: "estazolam 8 days without a reason: error", change: [...primary, estazolamFor(8)], expected: [daysReason] },
    { name: "estazolam 8 days with the reason recorded: allowed", change: [...primary, estazolamFor(8), reason], expected: [] },
    { name: "estazolam 14 days with the reason recorded: allowed", change: [...primary, estazolamFor(14), reason], expected: [] },
    { name: "emergency estazolam 3 days: allowed", change: [...primary, estazolamFor(3), emergency], expected: [] },
    { name: "emergency estazolam 4 days: error", change: [...primary, estazolamFor(4), emergency], expected: [emergencyDays] },
    {
      name: "dextromethorphan (class II since 2024-07-01) 7 days: allowed",
      change: [...primary, onlyItem(dextromethorphan, { dose: { value: 15, unit: "mg" }, frequency: "tid", days: 7, packages: 1 })],
      expected: [],
    },
    {
      name: "dextromethorphan 8 days without a reason: error",
      change: [...primary, onlyItem(dextromethorphan, { dose: { value: 15, unit: "mg" }, frequency: "tid", days: 8, packages: 1 })],
      expected: [daysReason],
    },
  ]);
});

describe("麻醉药品 and 第一类精神药品 are never written here; 咪达唑仑 by form since 2024-07-01", () => {
  testScenarios([
    {
      name: "midazolam tablets (class II) 3 days: allowed",
      change: [county, onlyItem(midazolamTablet, { dose: { value: 15, unit: "mg" }, frequency: "qn", days: 3, packages: 1 })],
      expected: [],
    },
    {
      name: "midazolam injection (class I): error, even for one day",
      change: [county, onlyItem(midazolamInjection, { dose: { value: 10, unit: "mg" }, frequency: "qd", route: "iv", days: 1, packages: 1 })],
      expected: [online],
    },
    {
      name: "morphine sustained release (narcotic): error",
      change: [county, onlyItem(DRUGS.morphine(), { dose: { value: 30, unit: "mg" }, frequency: "bid", days: 3, packages: 1 })],
      expected: [online],
    },
  ]);
});

/**
 * Entries imported before an adjustment keep their old class; the engine applies the lists in
 * force on the prescription date (worker/rules/control-facts.ts), the stricter class winning.
 */
const stale = (drug: RuleDrug, controlClass: string | null = null): RuleDrug => ({ ...drug, controlClass });
const writtenOn = (date: string) => withDraft({ writtenAt: `${date}T10:00:00+08:00` });
const tramadolCompound: RuleDrug = anAmlodipine({
  code: "IMP-0001",
  genericName: "氨酚曲马多",
  innName: "Paracetamol and Tramadol",
  strength: { value: 37.5, unit: "mg" },
  pack: { size: 10, unit: "片" },
  atc: "N02AJ13",
  controlClass: null,
  longRxEligible: false,
  conditions: [],
  maxDailyDose: null,
});
const oliceridine: RuleDrug = { ...midazolamInjection, code: "IMP-0002", genericName: "富马酸奥赛利定", innName: "Oliceridine", atc: "N02AX07", controlClass: null };
const longRx = { ruleId: "ltrx-drug-excluded", severity: "error", itemIndex: 2, path: "items.2.drugCode" } as const;
/** The baseline 12-week long prescription with one more item of `drug`, 84 days. */
const onLongRx = (drug: RuleDrug, item: Partial<DraftItem>) => addItem(drug, { days: 84, ...item });

describe("the 2023/2024 adjustments reach entries imported with an older class", () => {
  testScenarios([
    {
      name: "midazolam injection still marked class II, written 2024-07-01: class I, error",
      change: [county, writtenOn("2024-07-01"), onlyItem(stale(midazolamInjection, "psychotropic_2"), { dose: { value: 10, unit: "mg" }, route: "iv", days: 1, packages: 1 })],
      expected: [online],
    },
    {
      name: "the same on 2024-06-30, before the adjustment: class II, allowed",
      change: [county, writtenOn("2024-06-30"), onlyItem(stale(midazolamInjection, "psychotropic_2"), { dose: { value: 10, unit: "mg" }, route: "iv", days: 1, packages: 1 })],
      expected: [],
    },
    {
      name: "midazolam tablets imported with no class: class II, allowed on a 3-day prescription",
      change: [county, onlyItem(stale(midazolamTablet), { dose: { value: 15, unit: "mg" }, frequency: "qn", days: 3, packages: 1 })],
      expected: [],
    },
    {
      name: "oliceridine imported with no class: a narcotic since 2023-07-01, error",
      change: [county, onlyItem(oliceridine, { dose: { value: 10, unit: "mg" }, route: "iv", days: 1, packages: 1 })],
      expected: [online],
    },
    {
      name: "dextromethorphan imported with no class on a long prescription: class II, excluded",
      change: [onLongRx({ ...stale(dextromethorphan), minLevel: "village" }, { dose: { value: 15, unit: "mg" }, frequency: "tid", packages: 11 })],
      expected: [longRx],
    },
    {
      name: "compound tramadol (氨酚曲马多) imported with no class on a long prescription: class II since 2023-07-01, excluded",
      change: [onLongRx(tramadolCompound, { dose: { value: 37.5, unit: "mg" }, frequency: "tid", packages: 26 })],
      expected: [longRx],
    },
    {
      name: "a stricter class on the entry is kept (dextromethorphan marked class I stays class I)",
      change: [adult, county, onlyItem(stale(dextromethorphan, "psychotropic_1"), { dose: { value: 15, unit: "mg" }, frequency: "tid", days: 3, packages: 1 })],
      expected: [online],
    },
  ]);
});

describe("listedControlClass: which entries the adjustments reach", () => {
  const product = (genericName: string, form = "片剂", ingredients: RuleDrug["ingredients"] = []): RuleDrug =>
    anAmlodipine({ genericName, innName: null, form, ingredients, controlClass: null });
  it.each([
    ["氢溴酸右美沙芬 片剂 on 2024-07-01", product("氢溴酸右美沙芬"), "2024-07-01", "psychotropic_2"],
    ["氢溴酸右美沙芬 片剂 on 2024-06-30", product("氢溴酸右美沙芬"), "2024-06-30", null],
    ["复方氢溴酸右美沙芬糖浆 (compounds of 右美沙芬 are not listed)", product("复方氢溴酸右美沙芬", "糖浆剂"), "2026-09-01", null],
    ["a dextromethorphan compound by its ingredients", product("美敏伪麻", "口服溶液剂", [
      { name: "右美沙芬", molecule: "dextromethorphan" },
      { name: "伪麻黄碱", molecule: "pseudoephedrine" },
    ]), "2026-09-01", null],
    ["复方地芬诺酯片 (2024: compounds class II)", product("复方地芬诺酯"), "2026-09-01", "psychotropic_2"],
    ["咪达唑仑注射液", product("咪达唑仑", "注射液"), "2026-09-01", "psychotropic_1"],
    ["咪达唑仑片", product("马来酸咪达唑仑"), "2026-09-01", "psychotropic_2"],
    ["氨酚曲马多片 on 2023-07-01", product("氨酚曲马多"), "2023-07-01", "psychotropic_2"],
    ["氨酚曲马多片 on 2023-06-30", product("氨酚曲马多"), "2023-06-30", null],
    ["奥赛利定注射液", product("富马酸奥赛利定", "注射液"), "2026-09-01", "narcotic"],
    ["吡仑帕奈片", product("吡仑帕奈"), "2026-09-01", "psychotropic_2"],
    ["瑞马唑仑 is not 咪达唑仑", product("苯磺酸瑞马唑仑", "注射用无菌粉末"), "2026-09-01", null],
    ["阿扑吗啡 is not on this table", product("盐酸阿扑吗啡", "注射液"), "2026-09-01", null],
  ] as const)("%s", (_name, drug, date, expected) => {
    expect(listedControlClass(drug, date)).toBe(expected);
  });
});
