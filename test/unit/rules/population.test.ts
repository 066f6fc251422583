import { describe, expect, it } from "vitest";
import { validateDraft } from "../../../worker/rules";
import type { RuleContext, RuleDrug } from "../../../worker/rules";
import { anAmlodipine, aRuleContext, DRUGS, onlyItem, testScenarios, withDraft, withPatient } from "./builders";

/** The prescription date is the baseline's 2026-09-01 (China) unless a case writes another. */
const born = (birthDate: string) => withPatient({ birthDate });
const writtenAt = (w: string) => withDraft({ writtenAt: w });
const ageRestricted = { ruleId: "population-age-restricted", severity: "error", itemIndex: 0, path: "items.0.drugCode" } as const;
const pim = { ruleId: "population-elderly-pim", severity: "warning", itemIndex: 0, path: "items.0.drugCode" } as const;

/** 0.5 g once a day for 3 days: one box of 4. */
const levofloxacin = onlyItem(DRUGS.levofloxacin(), { dose: { value: 0.5, unit: "g" } });
/** 0.1 g twice a day for 3 days: one box of 10. */
const doxycycline = onlyItem(DRUGS.doxycycline(), { dose: { value: 0.1, unit: "g" }, frequency: "bid" });

const levofloxacinEyeDrops: RuleDrug = anAmlodipine({
  code: "W030-05",
  genericName: "左氧氟沙星",
  form: "滴眼剂",
  strength: { value: 0.3, unit: "%" },
  pack: { size: 1, unit: "支" },
  route: "ophthalmic",
  atc: "J01MA12", // as the seeded row shares the tablets' code; the route decides
  antimicrobial: "unrestricted",
  longRxEligible: false,
  conditions: [],
  maxDailyDose: null,
});

describe("population-age-restricted: fluoroquinolones (J01MA) from 18, tetracyclines (J01AA) from 8", () => {
  testScenarios([
    { name: "levofloxacin on the 18th birthday", change: [born("2008-09-01"), levofloxacin], expected: [] },
    { name: "levofloxacin the day before the 18th birthday", change: [born("2008-09-02"), levofloxacin], expected: [ageRestricted] },
    { name: "levofloxacin at 5", change: [born("2021-03-10"), levofloxacin], expected: [ageRestricted] },
    { name: "levofloxacin for the baseline's 70-year-old", change: levofloxacin, expected: [] },
    {
      name: "the 18th birthday in China time: 2026-08-31T16:30Z is 09-01 00:30 in Beijing",
      change: [born("2008-09-01"), writtenAt("2026-08-31T16:30:00Z"), levofloxacin],
      expected: [],
    },
    {
      name: "2026-08-31T15:30Z is still 08-31 in Beijing: 17",
      change: [born("2008-09-01"), writtenAt("2026-08-31T15:30:00Z"), levofloxacin],
      expected: [ageRestricted],
    },
    { name: "an offset-less date-time is China time: 2026-08-31T23:59:59 is 17", change: [born("2008-09-01"), writtenAt("2026-08-31T23:59:59"), levofloxacin], expected: [ageRestricted] },
    { name: "born 29 February: 17 on 28 February of a common year", change: [born("2008-02-29"), writtenAt("2026-02-28"), levofloxacin], expected: [ageRestricted] },
    { name: "born 29 February: 18 on 1 March", change: [born("2008-02-29"), writtenAt("2026-03-01"), levofloxacin], expected: [] },
    { name: "doxycycline on the 8th birthday", change: [born("2018-09-01"), doxycycline], expected: [] },
    { name: "doxycycline the day before the 8th birthday", change: [born("2018-09-02"), doxycycline], expected: [ageRestricted] },
    { name: "doxycycline at 12 (a tetracycline is not a quinolone)", change: [born("2014-01-01"), doxycycline], expected: [] },
    {
      name: "levofloxacin eye drops for a 5-year-old: a local route",
      change: [born("2021-03-10"), onlyItem(levofloxacinEyeDrops, { dose: { value: 1, unit: "支" }, frequency: "prn" })],
      expected: [],
    },
    { name: "a birth date the engine cannot read says nothing", change: [born("unknown"), levofloxacin], expected: [] },
  ]);
});

describe("population-elderly-pim: from 60 (老年人权益保障法第二条), warnings", () => {
  /** 2.5 mg once a day for 3 days: one bottle of 100. */
  // without the baseline's 磺胺 allergy, which the allergy rules relate to sulfonylureas (not this file's concern)
  const glibenclamide = (c: RuleContext) => {
    c.patient.allergies = [];
    onlyItem(DRUGS.glibenclamide(), { dose: { value: 2.5, unit: "mg" } })(c);
  };
  const chlorphenamine = onlyItem(DRUGS.chlorphenamine(), { dose: { value: 4, unit: "mg" }, frequency: "tid" });
  testScenarios([
    { name: "glibenclamide at 70", change: glibenclamide, expected: [pim] },
    { name: "glibenclamide on the 60th birthday", change: [born("1966-09-01"), glibenclamide], expected: [pim] },
    { name: "glibenclamide the day before the 60th birthday", change: [born("1966-09-02"), glibenclamide], expected: [] },
    { name: "glibenclamide at 45", change: [born("1981-05-05"), glibenclamide], expected: [] },
    { name: "chlorphenamine (first-generation antihistamine) at 70", change: chlorphenamine, expected: [pim] },
    { name: "amlodipine and metformin at 70 are not on the list", change: [], expected: [] },
    {
      name: "glibenclamide on a long prescription at 70: a warning, still valid",
      change: (c: RuleContext) => {
        c.patient.allergies = [];
        c.formulary["W316-01"] = { drug: DRUGS.glibenclamide(), inEffect: true, version: 1 };
        c.draft.items.push({ drugCode: "W316-01", dose: { value: 2.5, unit: "mg" }, frequency: "qd", days: 84, packages: 1 });
      },
      expected: [{ ...pim, itemIndex: 2, path: "items.2.drugCode" }],
    },
  ]);

  it("names the patient's age, the criteria and the risk", () => {
    const [finding] = validateDraft(aRuleContext(glibenclamide)).findings;
    expect(finding?.message).toContain("患者 70 岁");
    expect(finding?.message).toContain("中国老年人潜在不适当用药判断标准（2017年版）");
    expect(finding?.message).toContain("低血糖");
    expect(finding?.source).toContain("老年人权益保障法");
  });
});
