import { describe } from "vitest";
import type { InstitutionLevel, RuleDrug } from "../../../worker/rules";
import { aMetformin, AMLODIPINE, anAmlodipine, addItem, aView, DRUGS, METFORMIN, testScenarios, withDrug, withItem, withDraft, withPrescriber } from "./builders";

/** Other long-prescription antihypertensives, each its own ATC level 4 so they add no class duplicate. */
function anotherAntihypertensive(code: string, genericName: string, atc: string, mg: number): RuleDrug {
  return anAmlodipine({ code, genericName, innName: null, atc, strength: { value: mg, unit: "mg" }, conditions: ["I10"], maxDailyDose: null });
}
const EXTRA = [
  // (not hydrochlorothiazide: the baseline patient's 磺胺 allergy makes it a safety-allergy-cross warning)
  anotherAntihypertensive("W172-01", "螺内酯", "C03DA01", 20),
  anotherAntihypertensive("W190-01", "依那普利", "C09AA02", 10),
  anotherAntihypertensive("W175-01", "美托洛尔", "C07AB02", 25),
  anotherAntihypertensive("W181-01", "缬沙坦", "C09CA03", 80),
];
/** 84 tablets of each extra drug: 3 boxes of 28. */
const withExtraItems = (n: number) => EXTRA.slice(0, n).map((d) => addItem(d, { dose: { value: d.strength.value, unit: "mg" } }));

describe("rx-diagnosis-required", () => {
  testScenarios([
    { name: "no diagnosis", change: withDraft({ diagnoses: [] }), expected: [{ ruleId: "rx-diagnosis-required", severity: "error", path: "diagnoses" }] },
    {
      name: "only blank codes",
      change: withDraft({ diagnoses: [{ icd10: "  ", name: "高血压" }] }),
      expected: [{ ruleId: "rx-diagnosis-required", severity: "error", path: "diagnoses" }],
    },
    { name: "one diagnosis is enough", change: (c) => void c.draft.diagnoses.splice(1), expected: [] },
  ]);
});

describe("rx-drug-unknown", () => {
  testScenarios([
    {
      name: "a code not in the formulary",
      change: withItem(1, { drugCode: "X-404" }),
      expected: [{ ruleId: "rx-drug-unknown", severity: "error", itemIndex: 1, path: "items.1.drugCode" }],
    },
    {
      name: "an Object.prototype name is no drug",
      change: withItem(0, { drugCode: "constructor" }),
      expected: [{ ruleId: "rx-drug-unknown", severity: "error", itemIndex: 0, path: "items.0.drugCode" }],
    },
  ]);
});

describe("rx-drug-inactive", () => {
  const inactive = { ruleId: "rx-drug-inactive", severity: "error", itemIndex: 1, path: "items.1.drugCode" } as const;
  testScenarios([
    { name: "suspended", change: withDrug(METFORMIN, aMetformin({ status: "suspended" })), expected: [inactive] },
    { name: "withdrawn", change: withDrug(METFORMIN, aMetformin({ status: "withdrawn" })), expected: [inactive] },
    {
      name: "not yet in effect on the prescription date",
      change: withDrug(METFORMIN, aMetformin({ effectiveFrom: "2026-10-01" }), { inEffect: false }),
      expected: [inactive],
    },
    { name: "active and in effect", change: withDrug(METFORMIN, aMetformin(), { inEffect: true }), expected: [] },
  ]);
});

describe("rx-drug-level", () => {
  const level = { ruleId: "rx-drug-level", severity: "error", itemIndex: 0, path: "items.0.drugCode" } as const;
  const atLevel = (level: InstitutionLevel) => withPrescriber({ institutionLevel: level });
  testScenarios([
    { name: "village doctor, drug from primary level", change: withDrug(AMLODIPINE, anAmlodipine({ minLevel: "primary" })), expected: [level] },
    { name: "village doctor, village drug", change: withDrug(AMLODIPINE, anAmlodipine({ minLevel: "village" })), expected: [] },
    { name: "primary doctor, primary drug", change: [atLevel("primary"), withDrug(AMLODIPINE, anAmlodipine({ minLevel: "primary" }))], expected: [] },
    { name: "primary doctor, secondary drug", change: [atLevel("primary"), withDrug(AMLODIPINE, anAmlodipine({ minLevel: "secondary" }))], expected: [level] },
    // (cardiology and endocrinology: the long prescription's specialty is judged per item, amlodipine's I10 and metformin's E11)
    { name: "secondary doctor, tertiary drug", change: [atLevel("secondary"), withDrug(AMLODIPINE, anAmlodipine({ minLevel: "tertiary" })), withPrescriber({ specialties: ["cardiology", "endocrinology"] })], expected: [level] },
    { name: "tertiary doctor, tertiary drug", change: [atLevel("tertiary"), withDrug(AMLODIPINE, anAmlodipine({ minLevel: "tertiary" })), withPrescriber({ specialties: ["cardiology", "endocrinology"] })], expected: [] },
  ]);
});

describe("rx-max-items", () => {
  testScenarios([
    { name: "5 items", change: withExtraItems(3), expected: [] },
    { name: "6 items", change: withExtraItems(4), expected: [{ ruleId: "rx-max-items", severity: "error", path: "items" }] },
  ]);
});

describe("rx-controlled-online", () => {
  const morphine = (overrides: Partial<RuleDrug> = {}) => addItem({ ...DRUGS.morphine(), ...overrides }, { dose: { value: 30, unit: "mg" }, packages: 9 });
  const online = { ruleId: "rx-controlled-online", severity: "error", itemIndex: 2, path: "items.2.drugCode" } as const;
  const excluded = { ruleId: "ltrx-drug-excluded", severity: "error", itemIndex: 2, path: "items.2.drugCode" } as const;
  testScenarios([
    { name: "narcotic on a long prescription", change: morphine(), expected: [online, excluded] },
    { name: "class I psychotropic", change: morphine({ controlClass: "psychotropic_1" }), expected: [online, excluded] },
    { name: "class II psychotropic may be prescribed online (not long)", change: morphine({ controlClass: "psychotropic_2" }), expected: [excluded] },
    {
      name: "narcotic on a 3-day normal prescription",
      change: [
        (c) => {
          c.draft.kind = "normal";
          c.draft.longTerm = undefined;
          c.formulary[DRUGS.morphine().code] = aView(DRUGS.morphine());
          c.draft.items = [{ drugCode: DRUGS.morphine().code, dose: { value: 30, unit: "mg" }, frequency: "bid", days: 3, packages: 1 }];
        },
      ],
      expected: [{ ruleId: "rx-controlled-online", severity: "error", itemIndex: 0, path: "items.0.drugCode" }],
    },
  ]);
});
