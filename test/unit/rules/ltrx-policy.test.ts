/**
 * Long prescriptions under the consortium's policy and per item (issue 10; worker/rules/
 * long-rx-policy.ts, chronic-infections.ts, ltrx.rules.ts). Baseline: a village doctor's
 * 12-week renewal of amlodipine (I10) and metformin (E11) for a stable patient.
 */
import { describe, expect, it } from "vitest";
import type { RuleContext, RuleDrug } from "../../../worker/rules";
import { antiviralKind, longRxBar } from "../../../worker/rules/long-rx-policy";
import { longRxExclusion } from "../../../worker/rules/exclusions";
import { aMetformin, anAmlodipine, addItem, DRUGS, METFORMIN, testScenarios, withDraft, withDrug, withItem, withPatient, withPolicy } from "./builders";

const onItem = (ruleId: string, i: number) => ({ ruleId, severity: "error" as const, itemIndex: i, path: `items.${i}.drugCode` });
const NATIONAL = { coldChainOnLongRx: false, antiviralsOnLongRx: false, refillGraceDays: 7 };
const condition = (icd10: string, stable = true, chronic = true) => (c: RuleContext) => void c.patient.conditions.push({ icd10, chronic, stable, diagnosedAt: "2024-01-01" });
const diagnosis = (icd10: string) => (c: RuleContext) => void c.draft.diagnoses.push({ icd10 });

/** An oral drug on the baseline's 84-day schedule: `dose` once a day, 28 per box, 3 boxes. */
function aDrug(overrides: Partial<RuleDrug>): RuleDrug {
  return anAmlodipine({ pack: { size: 28, unit: "片" }, maxDailyDose: null, ...overrides });
}

describe("cold-chain products (policy.coldChainOnLongRx)", () => {
  const insulin = (route: string) =>
    aDrug({ code: "W311-02", genericName: "精蛋白人胰岛素混合注射液(30R)", innName: "Isophane Protamine Biosynthetic Human Insulin (30R)", atc: "A10AD01", form: "注射液", route, storage: "cold_chain", longRxEligible: false, conditions: ["E10", "E11"], strength: { value: 300, unit: "IU" }, pack: { size: 1, unit: "支" } });
  const addInsulin = (route = "sc") => addItem(insulin(route), { dose: { value: 20, unit: "IU" }, route, packages: 6 });
  testScenarios([
    { name: "national default: a cold-chain entry marked eligible is excluded", change: withDrug(METFORMIN, aMetformin({ storage: "cold_chain" })), expected: [onItem("ltrx-drug-excluded", 1)] },
    { name: "consortium on: the same entry may be on a long prescription", change: [withPolicy({ coldChainOnLongRx: true }), withDrug(METFORMIN, aMetformin({ storage: "cold_chain" }))], expected: [] },
    { name: "national default: insulin (not markable eligible) is reported as excluded only", change: addInsulin(), expected: [onItem("ltrx-drug-excluded", 2)] },
    { name: "consortium on: insulin for home use with its chronic conditions counts as listed", change: [withPolicy({ coldChainOnLongRx: true }), addInsulin()], expected: [] },
    { name: "consortium on: a cold-chain infusion is still not listed", change: [withPolicy({ coldChainOnLongRx: true }), addInsulin("iv")], expected: [onItem("ltrx-drug-not-listed", 2)] },
    {
      name: "consortium on: frozen (special) storage stays excluded",
      change: [withPolicy({ coldChainOnLongRx: true }), withDrug(METFORMIN, aMetformin({ storage: "special" }))],
      expected: [onItem("ltrx-drug-excluded", 1)],
    },
  ]);
});

describe("antivirals (policy.antiviralsOnLongRx)", () => {
  const hepatitisB = [condition("B18.1"), diagnosis("B18.1")];
  const entecavir = aDrug({ code: "W045-01", genericName: "恩替卡韦", innName: "Entecavir", strength: { value: 0.5, unit: "mg" }, atc: "J05AF10", conditions: ["B18.0", "B18.1"] });
  const hivClass = aDrug({ code: "W051-01", genericName: "艾滋病用药", innName: null, atc: null, conditions: ["B20", "B21", "B22", "B23", "B24", "Z21"] });
  const oseltamivir = aDrug({ code: "W044-01", genericName: "奥司他韦", innName: "Oseltamivir", atc: "J05AH02", antimicrobial: "unrestricted", longRxEligible: false, conditions: [], strength: { value: 75, unit: "mg" } });
  const addEntecavir = addItem(entecavir, { dose: { value: 0.5, unit: "mg" } });
  testScenarios([
    { name: "national default: entecavir for chronic hepatitis B is excluded", change: [...hepatitisB, addEntecavir], expected: [onItem("ltrx-drug-excluded", 2)] },
    { name: "consortium on: entecavir for a stable chronic hepatitis B", change: [withPolicy({ antiviralsOnLongRx: true }), ...hepatitisB, addEntecavir], expected: [] },
    {
      name: "consortium on: entecavir while the hepatitis B is not stable",
      change: [withPolicy({ antiviralsOnLongRx: true }), condition("B18.1", false), diagnosis("B18.1"), addEntecavir],
      expected: [onItem("ltrx-condition-unstable", 2)],
    },
    {
      name: "consortium on: the HIV class entry (no ATC) for a stable HIV infection",
      change: [withPolicy({ antiviralsOnLongRx: true }), condition("B20"), diagnosis("B20"), addItem(hivClass, { dose: { value: 5, unit: "mg" } })],
      expected: [],
    },
    { name: "national default: the HIV class entry is excluded", change: [condition("B20"), diagnosis("B20"), addItem(hivClass, { dose: { value: 5, unit: "mg" } })], expected: [onItem("ltrx-drug-excluded", 2)] },
    {
      name: "consortium on: an influenza antiviral stays excluded",
      change: [withPolicy({ antiviralsOnLongRx: true }), addItem(oseltamivir, { dose: { value: 75, unit: "mg" } })],
      expected: [onItem("ltrx-drug-excluded", 2)],
    },
  ]);

  it("classifies antivirals", () => {
    expect(antiviralKind(entecavir)).toBe("chronic");
    expect(antiviralKind(hivClass)).toBe("chronic");
    expect(antiviralKind(oseltamivir)).toBe("acute");
    expect(antiviralKind(aDrug({ atc: "J05AB01", antimicrobial: "unrestricted", conditions: [] }))).toBe("acute");
    expect(antiviralKind(anAmlodipine())).toBeNull();
    // an ungraded entry without ATC that also treats a non-viral condition is not taken for an antiviral
    expect(antiviralKind(aDrug({ atc: null, conditions: ["B18.1", "K74"] }))).toBeNull();
    expect(longRxBar(oseltamivir, { ...NATIONAL, antiviralsOnLongRx: true })).toContain("急性病毒感染");
  });
});

describe("antimicrobials for chronic bacterial and fungal infections (not only tuberculosis)", () => {
  const dapsone = (conditions: string[]) =>
    aDrug({ code: "W036-01", genericName: "氨苯砜", innName: "Dapsone", strength: { value: 50, unit: "mg" }, atc: "J04BA02", antimicrobial: "unrestricted", conditions });
  const leprosy = [condition("A30.1"), diagnosis("A30.1")];
  const doxycycline = (conditions: string[]) => ({ ...DRUGS.doxycycline(), longRxEligible: true, conditions, pack: { size: 28, unit: "片" } });
  const levofloxacin = (conditions: string[]) => ({ ...DRUGS.levofloxacin(), longRxEligible: true, conditions, pack: { size: 28, unit: "片" } });
  testScenarios([
    { name: "dapsone listed for leprosy (A30), patient with stable leprosy", change: [...leprosy, addItem(dapsone(["A30"]), { dose: { value: 50, unit: "mg" } })], expected: [] },
    { name: "dapsone without a chronic infection listed: excluded", change: [...leprosy, addItem(dapsone([]), { dose: { value: 50, unit: "mg" } })], expected: [onItem("ltrx-drug-excluded", 2)] },
    {
      name: "levofloxacin listed for chronic osteomyelitis (M86.4), patient with it, stable",
      change: [condition("M86.4"), diagnosis("M86.4"), addItem(levofloxacin(["M86.4"]), { dose: { value: 0.5, unit: "g" } })],
      expected: [],
    },
    {
      name: "levofloxacin listed for acute osteomyelitis (M86.1) only: excluded",
      change: [condition("M86.1"), diagnosis("M86.1"), addItem(levofloxacin(["M86.1"]), { dose: { value: 0.5, unit: "g" } })],
      expected: [onItem("ltrx-drug-excluded", 2)],
    },
    {
      name: "doxycycline listed for brucellosis (A23) and acne (L70), written for acne: only the chronic infection counts",
      change: [condition("L70.0"), diagnosis("L70.0"), addItem(doxycycline(["A23", "L70"]), { dose: { value: 0.1, unit: "g" } })],
      expected: [onItem("ltrx-condition-required", 2)],
    },
    {
      name: "doxycycline for chronic brucellosis",
      change: [condition("A23.9"), diagnosis("A23.9"), addItem(doxycycline(["A23", "L70"]), { dose: { value: 0.1, unit: "g" } })],
      expected: [],
    },
  ]);

  it("the formulary's national rule lets such an entry be marked eligible", () => {
    const e = { controlClass: null, antimicrobial: "unrestricted", antiTb: false, storage: "normal" };
    expect(longRxExclusion(e)).not.toBeNull();
    expect(longRxExclusion({ ...e, conditions: ["A30"] })).toBeNull();
    expect(longRxExclusion({ ...e, conditions: ["M86.4", "J18"] })).toBeNull();
    expect(longRxExclusion({ ...e, conditions: ["M86"] })).not.toBeNull();
  });
});

describe("per item: the condition each item is for, chronic and stable", () => {
  const conditions = (list: RuleContext["patient"]["conditions"]) => withPatient({ conditions: list });
  const c = (icd10: string, stable = true, chronic = true) => ({ icd10, chronic, stable, diagnosedAt: "2019-01-01" });
  testScenarios([
    { name: "unstable diabetes: only the metformin", change: conditions([c("I10"), c("E11.9", false)]), expected: [onItem("ltrx-condition-unstable", 1)] },
    { name: "unstable hypertension: only the amlodipine", change: conditions([c("I10", false), c("E11.9")]), expected: [onItem("ltrx-condition-unstable", 0)] },
    {
      name: "the draft names I20 (stable) only for the amlodipine; I10 unstable on record is not what it is for",
      change: [conditions([c("I10", false), c("I20"), c("E11.9")]), withDraft({ diagnoses: [{ icd10: "I20.9" }, { icd10: "E11.9" }] })],
      expected: [],
    },
    {
      name: "the draft names both I10 (unstable) and I20 (stable): the amlodipine is for both, one unstable",
      change: [conditions([c("I10", false), c("I20"), c("E11.9")]), withDraft({ diagnoses: [{ icd10: "I10" }, { icd10: "I20.9" }, { icd10: "E11.9" }] })],
      expected: [onItem("ltrx-condition-unstable", 0)],
    },
    {
      name: "the diagnosed I10 is on record but not chronic, although I25 is: required",
      change: conditions([c("I10", true, false), c("I25.1"), c("E11.9")]),
      expected: [onItem("ltrx-condition-required", 0)],
    },
    { name: "the draft names no condition of the amlodipine: every one on record it treats (I10 stable)", change: withDraft({ diagnoses: [{ icd10: "E11.9" }] }), expected: [] },
  ]);
});

describe("the assessment before every first long prescription", () => {
  const short = [withItem(0, { days: 28, packages: 1 }), withItem(1, { days: 28, packages: 2 })];
  const lt = (firstIssue: boolean, assessment: string, patientConfirmed: boolean) => withDraft({ longTerm: { firstIssue, assessment, patientConfirmed } });
  const intermediate = (c: RuleContext) => void Object.assign(c.prescriber, { title: "intermediate" });
  const required = (path: string) => [{ ruleId: "ltrx-assessment-required", severity: "error" as const, path }];
  testScenarios([
    { name: "a 28-day renewal needs none", change: [...short, lt(false, "", false)], expected: [] },
    { name: "a 29-day renewal needs both", change: [...short, withItem(0, { days: 29, packages: 2 }), lt(false, "", false)], expected: required("longTerm.assessment") },
    { name: "a 28-day first issue without an assessment", change: [...short, intermediate, lt(true, " ", true)], expected: required("longTerm.assessment") },
    { name: "a 28-day first issue without the patient's confirmation", change: [...short, intermediate, lt(true, "首次评估：病情稳定", false)], expected: required("longTerm.patientConfirmed") },
    { name: "a 28-day first issue with both", change: [...short, intermediate, lt(true, "首次评估：病情稳定", true)], expected: [] },
    { name: "a long prescription without longTerm is a first issue", change: [...short, intermediate, withDraft({ longTerm: undefined })], expected: required("longTerm") },
  ]);
});
