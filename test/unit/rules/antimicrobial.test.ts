import { describe } from "vitest";
import type { InstitutionLevel, RuleContext, RuleDrug, Title } from "../../../worker/rules";
import { anAmlodipine, DRUGS, onlyItem, testScenarios } from "./builders";

/**
 * Antimicrobial prescribing rights (抗菌药物临床应用管理办法 第二十四条、第二十八条): one normal
 * 3-day prescription of one antimicrobial, by a prescriber of the given title and level.
 */
const by = (title: Title, institutionLevel: InstitutionLevel) => (c: RuleContext) => void Object.assign(c.prescriber, { title, institutionLevel });
const right = { ruleId: "antimicrobial-prescribing-right", severity: "error", itemIndex: 0, path: "items.0.drugCode" } as const;
const special = { ruleId: "antimicrobial-special-outpatient", severity: "error", itemIndex: 0, path: "items.0.drugCode" } as const;

/** 0.25 g capsules, 0.5 g tid for 3 days: 18 capsules, one box of 24. */
const amoxicillin = onlyItem(DRUGS.amoxicillin(), { dose: { value: 0.5, unit: "g" }, frequency: "tid" });
/** 0.4 g once a day for 3 days: one box of 3. */
const moxifloxacin = onlyItem(DRUGS.moxifloxacin(), { dose: { value: 0.4, unit: "g" } });
/** 50 mg a day for 3 days: 3 vials. */
const caspofungin = (drug: RuleDrug = DRUGS.caspofungin()) => onlyItem(drug, { dose: { value: 50, unit: "mg" }, packages: 3 });

const isoniazid: RuleDrug = anAmlodipine({
  code: "W060-01",
  genericName: "异烟肼",
  innName: "Isoniazid",
  strength: { value: 100, unit: "mg" },
  pack: { size: 100, unit: "片" },
  atc: "J04AC01",
  antimicrobial: "restricted",
  antiTb: true,
  longRxEligible: false,
  conditions: [],
  maxDailyDose: { value: 300, unit: "mg" },
});

/** Levofloxacin eye drops (0.3%, one bottle), graded restricted by the row they share with the tablets. */
const levofloxacinEyeDrops: RuleDrug = anAmlodipine({
  code: "W030-05",
  genericName: "左氧氟沙星",
  innName: "Levofloxacin",
  form: "滴眼剂",
  strength: { value: 0.3, unit: "%" },
  pack: { size: 1, unit: "支" },
  route: "ophthalmic",
  atc: "S01AE05",
  antimicrobial: "restricted",
  longRxEligible: false,
  conditions: [],
  maxDailyDose: null,
});

describe("antimicrobial-prescribing-right: grade against title (第二十四条) and village clinics", () => {
  testScenarios([
    { name: "unrestricted by a junior village doctor", change: [by("junior", "village"), amoxicillin], expected: [] },
    { name: "restricted by a junior doctor at a township centre", change: [by("junior", "primary"), moxifloxacin], expected: [right] },
    { name: "restricted by an intermediate doctor at a township centre (the boundary title)", change: [by("intermediate", "primary"), moxifloxacin], expected: [] },
    { name: "restricted by an intermediate doctor at a village clinic", change: [by("intermediate", "village"), moxifloxacin], expected: [right] },
    { name: "restricted by a junior village doctor: one finding naming both gaps", change: [by("junior", "village"), moxifloxacin], expected: [right] },
    { name: "restricted by an associate senior doctor at a county hospital", change: [by("associate_senior", "secondary"), moxifloxacin], expected: [] },
    { name: "restricted by a senior doctor at a city hospital", change: [by("senior", "tertiary"), moxifloxacin], expected: [] },
    {
      name: "anti-TB drugs are outside the 办法 (第二条): isoniazid by a junior village doctor",
      change: [by("junior", "village"), onlyItem(isoniazid, { dose: { value: 300, unit: "mg" } })],
      expected: [],
    },
    {
      name: "locally acting forms are not graded: levofloxacin eye drops by a junior village doctor",
      change: [by("junior", "village"), onlyItem(levofloxacinEyeDrops, { dose: { value: 1, unit: "支" }, frequency: "prn" })],
      expected: [],
    },
    { name: "not an antimicrobial", change: by("junior", "village"), expected: [] },
  ]);
});

describe("antimicrobial-special-outpatient: the special grade is never used in outpatient care (第二十八条)", () => {
  testScenarios([
    { name: "by a senior doctor at a city hospital", change: [by("senior", "tertiary"), caspofungin()], expected: [special] },
    { name: "by a junior village doctor: one finding, not also a title gap", change: [by("junior", "village"), caspofungin()], expected: [special] },
    { name: "a grade the engine cannot read counts as special", change: [by("senior", "tertiary"), caspofungin(DRUGS.caspofungin({ antimicrobial: "grade-x" }))], expected: [special] },
  ]);
});
