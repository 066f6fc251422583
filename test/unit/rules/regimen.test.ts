import { describe, expect, it } from "vitest";
import { validateDraft } from "../../../worker/rules";
import type { DraftItem, RuleDrug } from "../../../worker/rules";
import { weeklyOnlyFact } from "../../../worker/rules/regimen.rules";
import { aRuleContext, anAmlodipine, DRUGS, onlyItem, testScenarios } from "./builders";

const weekly = { ruleId: "rx-regimen-weekly", severity: "error", itemIndex: 0, path: "items.0.frequency" } as const;
const maxDaily = { ruleId: "rx-dose-max-daily", severity: "error", itemIndex: 0, path: "items.0.dose" } as const;

/** One item for 7 days (no reason needed), with the packages the regimen needs. */
const item = (drug: RuleDrug, patch: Partial<DraftItem>) => onlyItem(drug, { days: 7, ...patch });

const methotrexate = DRUGS.methotrexate();
const alendronate = DRUGS.alendronate();
const alendronate10: RuleDrug = { ...DRUGS.alendronate(), code: "W346-02", strength: { value: 10, unit: "mg" }, pack: { size: 7, unit: "片" }, maxDailyDose: { value: 10, unit: "mg" } };
const risedronate = (mg: number): RuleDrug =>
  anAmlodipine({
    code: `W-RIS-${mg}`,
    genericName: "利塞膦酸钠",
    strength: { value: mg, unit: "mg" },
    pack: { size: 4, unit: "片" },
    atc: "M05BA07",
    longRxEligible: false,
    conditions: [],
    maxDailyDose: { value: mg, unit: "mg" },
  });
const methotrexateInjection: RuleDrug = { ...methotrexate, code: "W365-03", form: "注射液", strength: { value: 50, unit: "mg" }, pack: { size: 1, unit: "支" }, route: "im" };

describe("rx-regimen-weekly: once-weekly products on any other frequency", () => {
  testScenarios([
    { name: "methotrexate 7.5 mg weekly: 3 tablets, one bottle of 16", change: item(methotrexate, { dose: { value: 7.5, unit: "mg" }, frequency: "qw" }), expected: [] },
    { name: "methotrexate 2.5 mg daily is an error, not 'a weekly 17.5 mg'", change: item(methotrexate, { dose: { value: 2.5, unit: "mg" } }), expected: [weekly] },
    { name: "methotrexate 2.5 mg every night", change: item(methotrexate, { dose: { value: 2.5, unit: "mg" }, frequency: "qn" }), expected: [weekly] },
    { name: "methotrexate 2.5 mg tid", change: item(methotrexate, { dose: { value: 2.5, unit: "mg" }, frequency: "tid", packages: 2 }), expected: [weekly] },
    { name: "methotrexate as needed", change: item(methotrexate, { dose: { value: 7.5, unit: "mg" }, frequency: "prn", packages: 4 }), expected: [weekly] },
    {
      name: "methotrexate coded L04AX03 under another name is matched by its ATC code",
      change: item({ ...methotrexate, genericName: "甲氨蝶呤钠", atc: "L04AX03" }, { dose: { value: 2.5, unit: "mg" } }),
      expected: [weekly],
    },
    { name: "a methotrexate injection is not the oral weekly product", change: item(methotrexateInjection, { dose: { value: 50, unit: "mg" }, days: 1 }), expected: [] },
    { name: "alendronate 70 mg weekly", change: item(alendronate, { dose: { value: 70, unit: "mg" }, frequency: "qw" }), expected: [] },
    { name: "alendronate 70 mg daily: the schedule, not the dose, is wrong", change: item(alendronate, { dose: { value: 70, unit: "mg" }, packages: 2 }), expected: [weekly] },
    { name: "alendronate 70 mg, two tablets weekly: 140 mg on its day", change: item(alendronate, { dose: { value: 140, unit: "mg" }, frequency: "qw" }), expected: [maxDaily] },
    { name: "alendronate 10 mg daily is the daily product", change: item(alendronate10, { dose: { value: 10, unit: "mg" } }), expected: [] },
    { name: "risedronate 35 mg daily", change: item(risedronate(35), { dose: { value: 35, unit: "mg" }, packages: 2 }), expected: [weekly] },
    { name: "risedronate 35 mg weekly", change: item(risedronate(35), { dose: { value: 35, unit: "mg" }, frequency: "qw" }), expected: [] },
    { name: "risedronate 5 mg daily is the daily product", change: item(risedronate(5), { dose: { value: 5, unit: "mg" }, packages: 2 }), expected: [] },
    { name: "a strength written in g matches: alendronate 0.07 g", change: item({ ...alendronate, strength: { value: 0.07, unit: "g" } }, { dose: { value: 70, unit: "mg" }, packages: 2 }), expected: [weekly] },
  ]);

  it("says how many times a week the patient would take it, and cites the label", () => {
    const [finding] = validateDraft(aRuleContext(item(methotrexate, { dose: { value: 2.5, unit: "mg" } }))).findings;
    expect(finding?.message).toContain("每周 7 次");
    expect(finding?.message).toContain("甲氨蝶呤片说明书");
  });

  it("knows its facts by ATC code, name, route and strength", () => {
    expect(weeklyOnlyFact(methotrexate)?.id).toBe("methotrexate-oral");
    expect(weeklyOnlyFact(alendronate)?.id).toBe("alendronate-70");
    expect(weeklyOnlyFact(alendronate10)).toBeUndefined();
    expect(weeklyOnlyFact(methotrexateInjection)).toBeUndefined();
    expect(weeklyOnlyFact(anAmlodipine())).toBeUndefined();
  });
});
