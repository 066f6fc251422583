import { describe, expect, it } from "vitest";
import type { DraftItem, RuleContext } from "../../../worker/rules";
import { convert, normalizeUnit, supplyPlan } from "../../../worker/rules";
import { amountPerDose, dailyAmount, daysCovered, unitsPerDose } from "../../../worker/rules/quantity";
import { aMetformin, AMLODIPINE, METFORMIN, anAmlodipine, anItem, addItem, DRUGS, onlyItem, type Scenario, testScenarios, withDrug, withItem } from "./builders";

const at = (i: number, ruleId: string, field: string, severity: "error" | "warning" = "error") => ({
  ruleId,
  severity,
  itemIndex: i,
  path: `items.${i}.${field}`,
});
const excess = (i: number) => at(i, "rx-quantity-excess", "packages");
const short = (i: number) => at(i, "rx-quantity-short", "packages", "warning");
const maxDaily = (i: number) => at(i, "rx-dose-max-daily", "dose");
const mismatch = (i: number) => at(i, "rx-dose-unit-mismatch", "dose");


describe("rx-quantity-excess and rx-quantity-short", () => {
  testScenarios([
    { name: "amlodipine 84 tablets in 3 boxes of 28: exactly enough", change: withItem(0, { packages: 3 }), expected: [] },
    { name: "one box more than needed", change: withItem(0, { packages: 4 }), expected: [excess(0)] },
    { name: "one box less (56 of 84)", change: withItem(0, { packages: 2 }), expected: [short(0)] },
    { name: "metformin 168 tablets need 3.5 → 4 boxes of 48", change: withItem(1, { packages: 4 }), expected: [] },
    { name: "metformin 5 boxes", change: withItem(1, { packages: 5 }), expected: [excess(1)] },
    { name: "metformin 3 boxes (144 of 168)", change: withItem(1, { packages: 3 }), expected: [short(1)] },
    { name: "a box of exactly 84", change: [withDrug(AMLODIPINE, anAmlodipine({ pack: { size: 84, unit: "片" } })), withItem(0, { packages: 1 })], expected: [] },
    { name: "one unit short (box of 83)", change: [withDrug(AMLODIPINE, anAmlodipine({ pack: { size: 83, unit: "片" } })), withItem(0, { packages: 1 })], expected: [short(0)] },
    { name: "3 boxes of 42 where 2 suffice", change: withDrug(AMLODIPINE, anAmlodipine({ pack: { size: 42, unit: "片" } })), expected: [excess(0)] },
    { name: "half a tablet a day: 42 tablets, 2 boxes", change: withItem(0, { dose: { value: 2.5, unit: "mg" }, packages: 2 }), expected: [] },
  ]);
});

describe("qw: one dose on days 1, 8, 15 …; the dose is taken whole on its day, never averaged", () => {
  const alendronate = DRUGS.alendronate();
  const osteoporosis = (c: RuleContext) => void c.patient.conditions.push({ icd10: "M81.0", chronic: true, stable: true, diagnosedAt: "2024-01-10" });
  const weekly = (item: Partial<DraftItem>) => [osteoporosis, addItem(alendronate, { dose: { value: 70, unit: "mg" }, frequency: "qw", ...item })];
  testScenarios([
    { name: "70 mg weekly for 84 days: 12 tablets, 3 boxes of 4; 70 mg on its day equals the maximum", change: weekly({ packages: 3 }), expected: [] },
    { name: "4 boxes", change: weekly({ packages: 4 }), expected: [excess(2)] },
    { name: "2 boxes", change: weekly({ packages: 2 }), expected: [short(2)] },
    { name: "140 mg weekly is 140 mg on its day (not '20 mg/day')", change: weekly({ dose: { value: 140, unit: "mg" }, packages: 6 }), expected: [maxDaily(2)] },
    {
      name: "a weekly amlodipine 35 mg is 35 mg on its day, above the 10 mg daily maximum (an average would pass it at 5 mg)",
      change: withItem(0, { dose: { value: 35, unit: "mg" }, frequency: "qw", packages: 3 }),
      expected: [maxDaily(0)],
    },
  ]);
});

describe("prn: supply up to three doses a day, never short; max daily holds the single dose", () => {
  const prn = (item: Partial<DraftItem>) => withItem(0, { frequency: "prn", ...item });
  testScenarios([
    { name: "3 boxes (fewer than the ceiling) is not short", change: prn({ packages: 3 }), expected: [] },
    { name: "9 boxes: 84 days × 3 a day", change: prn({ packages: 9 }), expected: [] },
    { name: "10 boxes", change: prn({ packages: 10 }), expected: [excess(0)] },
    { name: "10 mg single dose equals the daily maximum", change: prn({ dose: { value: 10, unit: "mg" }, packages: 3 }), expected: [] },
    { name: "15 mg single dose is above it", change: prn({ dose: { value: 15, unit: "mg" }, packages: 3 }), expected: [maxDaily(0)] },
  ]);
});

describe("rx-dose-max-daily", () => {
  const cases: Scenario[] = [
    { name: "amlodipine 10 mg a day equals the maximum", change: withItem(0, { dose: { value: 10, unit: "mg" }, packages: 6 }), expected: [] },
    { name: "amlodipine 5 mg tid is 15 mg", change: withItem(0, { frequency: "tid", packages: 9 }), expected: [maxDaily(0)] },
    { name: "amlodipine 2 tablets bid is 20 mg", change: withItem(0, { dose: { value: 2, unit: "片" }, frequency: "bid", packages: 12 }), expected: [maxDaily(0)] },
    {
      name: "metformin 0.85 g tid = 2550 mg exactly (float-safe)",
      change: withItem(1, { dose: { value: 0.85, unit: "g" }, frequency: "tid", packages: 9 }),
      expected: [],
    },
    { name: "metformin 1 g tid = 3000 mg", change: withItem(1, { dose: { value: 1, unit: "g" }, frequency: "tid", packages: 11 }), expected: [maxDaily(1)] },
    {
      // qid is also not a schedule of plain metformin tablets (label: 1–3 times a day; issue 10 rx-frequency-label)
      name: "metformin 850 mg qid = 3400 mg",
      change: withItem(1, { dose: { value: 850, unit: "mg" }, frequency: "qid", packages: 12 }),
      expected: [maxDaily(1), at(1, "rx-frequency-label", "frequency", "warning")],
    },
    { name: "no maximum recorded", change: [withDrug(METFORMIN, aMetformin({ maxDailyDose: null })), withItem(1, { dose: { value: 1, unit: "g" }, frequency: "tid", packages: 11 })], expected: [] },
  ];
  testScenarios(cases);
});

/** A 35-year-old: NSAIDs are on the elderly criteria (population-elderly-pim), not what these tables test. */
const adult = (c: RuleContext) => void Object.assign(c.patient, { birthDate: "1991-05-01" });

describe("unit conversion on the prescription", () => {
  const dose = (value: number, unit: string, packages = 3) => withItem(0, { dose: { value, unit }, packages });
  testScenarios([
    { name: "0.005 g", change: dose(0.005, "g"), expected: [] },
    { name: "5000 µg (micro sign)", change: dose(5000, "µg"), expected: [] },
    { name: "5000 μg (Greek mu)", change: dose(5000, "μg"), expected: [] },
    { name: "5000 ug", change: dose(5000, "ug"), expected: [] },
    { name: "1 片", change: dose(1, "片"), expected: [] },
    { name: "1 粒 for a tablet", change: dose(1, "粒"), expected: [] },
    { name: "5 ml for a tablet", change: dose(5, "ml"), expected: [mismatch(0)] },
    { name: "5 IU for a tablet", change: dose(5, "IU"), expected: [mismatch(0)] },
    { name: "1 瓶 for a tablet", change: dose(1, "瓶"), expected: [mismatch(0)] },
    {
      name: "a max-dose unit of another dimension blocks the dose check only",
      change: withDrug(AMLODIPINE, anAmlodipine({ maxDailyDose: { value: 10, unit: "mmol" } })),
      expected: [mismatch(0)],
    },
    {
      name: "mg/ml with the pack in ml: 200 mg = 10 ml, tid for 3 days = 90 ml, one 100 ml bottle",
      change: [onlyItem(DRUGS.ibuprofenSuspension(), { dose: { value: 200, unit: "mg" }, frequency: "tid" }), adult],
      expected: [],
    },
    {
      name: "mg/ml, two bottles",
      change: [onlyItem(DRUGS.ibuprofenSuspension(), { dose: { value: 200, unit: "mg" }, frequency: "tid", packages: 2 }), adult],
      expected: [excess(0)],
    },
    {
      name: "mg/ml, dose in ml: 40 ml qid = 3200 mg",
      change: [onlyItem(DRUGS.ibuprofenSuspension(), { dose: { value: 40, unit: "ml" }, frequency: "qid", packages: 5 }), adult],
      expected: [maxDaily(0)],
    },
    {
      name: "mg/ml in bottles of unrecorded volume",
      change: onlyItem(DRUGS.ambroxolSolution(), { dose: { value: 30, unit: "mg" }, frequency: "tid" }),
      expected: [at(0, "rx-quantity-unverifiable", "packages", "warning")],
    },
    {
      name: "mg/ml counted in bottles: the amount per dose is unknown",
      change: onlyItem(DRUGS.ambroxolSolution(), { dose: { value: 1, unit: "瓶" }, frequency: "qd", packages: 3 }),
      expected: [mismatch(0)],
    },
    { name: "万U: 100000 U is one vial of 10 万U", change: onlyItem(DRUGS.urokinase(), { dose: { value: 100_000, unit: "U" }, frequency: "qd", days: 1 }), expected: [] },
    { name: "万U written as 万单位", change: onlyItem(DRUGS.urokinase(), { dose: { value: 10, unit: "万单位" }, frequency: "qd", days: 1 }), expected: [] },
    { name: "万U, two vials for one", change: onlyItem(DRUGS.urokinase(), { dose: { value: 10, unit: "万U" }, frequency: "qd", days: 1, packages: 2 }), expected: [excess(0)] },
  ]);
});

describe("IU, U and 单位 are one unit of activity (万 = ×10 000)", () => {
  /** Urokinase labelled in international units, with a fixture maximum of 150 万IU a day to exercise the dose check. */
  const urokinaseIU = () => DRUGS.urokinase({ strength: { value: 10, unit: "万IU" }, maxDailyDose: { value: 150, unit: "万IU" } });
  const vials = (dose: { value: number; unit: string }, packages: number) => onlyItem(urokinaseIU(), { dose, frequency: "qd", days: 1, packages });
  testScenarios([
    { name: "10 万IU against a 10 万U vial", change: onlyItem(DRUGS.urokinase(), { dose: { value: 10, unit: "万IU" }, frequency: "qd", days: 1 }), expected: [] },
    { name: "100 万单位 against 10 万IU vials: 10 vials", change: vials({ value: 100, unit: "万单位" }, 10), expected: [] },
    { name: "100 万单位, 11 vials: one vial too many", change: vials({ value: 100, unit: "万单位" }, 11), expected: [excess(0)] },
    { name: "100 万单位, 9 vials: short", change: vials({ value: 100, unit: "万单位" }, 9), expected: [short(0)] },
    { name: "1 500 000 U: exactly the 150 万IU maximum", change: vials({ value: 1_500_000, unit: "U" }, 15), expected: [] },
    { name: "1 500 001 单位: above the 150 万IU maximum", change: vials({ value: 1_500_001, unit: "单位" }, 16), expected: [maxDaily(0)] },
    { name: "160 万国际单位: above it", change: vials({ value: 160, unit: "万国际单位" }, 16), expected: [maxDaily(0)] },
    { name: "units are not mass: 5 单位 of a 5 mg tablet is still a mismatch", change: withItem(0, { dose: { value: 5, unit: "单位" } }), expected: [mismatch(0)] },
  ]);
});


describe("quantity.ts", () => {
  const amlodipine = anAmlodipine();
  const levothyroxine = DRUGS.levothyroxine();

  it("normalises the spellings doctors use", () => {
    expect(["ug", "μg", "µg", "mcg", "微克", " UG "].map(normalizeUnit)).toEqual(["µg", "µg", "µg", "µg", "µg", "µg"]);
    expect(["单位", "万单位", "国际单位", "iu", "mL", "克"].map(normalizeUnit)).toEqual(["U", "万U", "IU", "IU", "ml", "g"]);
    expect(normalizeUnit("片")).toBe("片");
  });

  it("converts within a dimension only", () => {
    expect(convert({ value: 0.5, unit: "g" }, "mg")).toBe(500);
    expect(convert({ value: 2550, unit: "mg" }, "g")).toBe(2.55);
    expect(convert({ value: 50, unit: "µg" }, "mg")).toBeCloseTo(0.05, 12);
    expect(convert({ value: 10, unit: "万U" }, "U")).toBe(100_000);
    expect(convert({ value: 2.5, unit: "万IU" }, "IU")).toBe(25_000);
    expect(convert({ value: 1, unit: "IU" }, "U")).toBe(1);
    expect(convert({ value: 3, unit: "万IU" }, "单位")).toBe(30_000);
    expect(convert({ value: 400, unit: "国际单位" }, "万U")).toBe(0.04);
    expect(convert({ value: 1, unit: "IU" }, "mg")).toBeNull();
    expect(convert({ value: 1, unit: "mg" }, "ml")).toBeNull();
    expect(convert({ value: 1, unit: "片" }, "mg")).toBeNull();
  });

  it("counts dispensing units per dose", () => {
    expect(unitsPerDose({ value: 0.1, unit: "mg" }, levothyroxine)).toEqual({ units: 2 });
    expect(unitsPerDose({ value: 25, unit: "ug" }, levothyroxine)).toEqual({ units: 0.5 });
    expect(unitsPerDose({ value: 2, unit: "片" }, amlodipine)).toEqual({ units: 2 });
    expect(unitsPerDose({ value: 1, unit: "袋" }, { strength: { value: 10, unit: "g" }, pack: { size: 9, unit: "包" } })).toEqual({ units: 1 });
    expect(unitsPerDose({ value: 1, unit: "支" }, amlodipine)).toEqual({ problem: "unit" });
    // An inhaler counted in actuations: 揿 counts only when it is the pack's own unit.
    const inhaler = { strength: { value: 100, unit: "µg" }, pack: { size: 200, unit: "揿" } };
    expect(unitsPerDose({ value: 2, unit: "揿" }, inhaler)).toEqual({ units: 2 });
    expect(unitsPerDose({ value: 200, unit: "µg" }, inhaler)).toEqual({ units: 2 });
    expect(unitsPerDose({ value: 2, unit: "揿" }, { ...inhaler, pack: { size: 1, unit: "支" } })).toEqual({ problem: "unit" });
    // A 10 ml ampoule stored as its amount: a dose in ml says nothing about mg.
    expect(unitsPerDose({ value: 10, unit: "ml" }, { strength: { value: 10, unit: "mg" }, pack: { size: 1, unit: "支" } })).toEqual({ problem: "unit" });
    // 中成药 measured by volume per bottle (每瓶装100ml).
    expect(unitsPerDose({ value: 10, unit: "ml" }, { strength: { value: 100, unit: "ml" }, pack: { size: 1, unit: "瓶" } })).toEqual({ units: 0.1 });
  });

  it("turns a per-ml concentration into volume", () => {
    const suspension = DRUGS.ibuprofenSuspension();
    expect(unitsPerDose({ value: 200, unit: "mg" }, suspension)).toEqual({ units: 10 });
    expect(unitsPerDose({ value: 0.2, unit: "g" }, suspension)).toEqual({ units: 10 });
    expect(unitsPerDose({ value: 5, unit: "ml" }, suspension)).toEqual({ units: 5 });
    expect(unitsPerDose({ value: 30, unit: "mg" }, DRUGS.ambroxolSolution())).toEqual({ problem: "container" });
    expect(unitsPerDose({ value: 30, unit: "IU" }, DRUGS.ambroxolSolution())).toEqual({ problem: "unit" });
    expect(amountPerDose({ value: 10, unit: "ml" }, suspension)).toEqual({ value: 200, unit: "mg" });
    expect(amountPerDose({ value: 1, unit: "瓶" }, DRUGS.ambroxolSolution())).toBeNull();
    expect(unitsPerDose({ value: 1, unit: "g" }, { strength: { value: 2, unit: "%" }, pack: { size: 1, unit: "支" } })).toEqual({ problem: "unit" });
  });

  it("does not guess whether a mass dose of a mg/g ointment is drug or preparation", () => {
    const ointment = { strength: { value: 10, unit: "mg/g" }, pack: { size: 10, unit: "g" } };
    expect(unitsPerDose({ value: 1, unit: "g" }, ointment)).toEqual({ units: 1 });
    expect(unitsPerDose({ value: 5, unit: "mg" }, ointment)).toEqual({ problem: "unit" });
    expect(amountPerDose({ value: 1, unit: "g" }, ointment)).toBeNull();
    expect(amountPerDose({ value: 1, unit: "支" }, { ...ointment, pack: { size: 1, unit: "支" } })).toBeNull();
  });

  it("plans whole doses and whole packages without float noise", () => {
    const weekly = supplyPlan(anItem({ dose: { value: 70, unit: "mg" }, frequency: "qw", days: 10, packages: 1 }), DRUGS.alendronate());
    expect(weekly).toEqual({ plan: { perDose: 1, dosesPerDay: 1 / 7, doses: 2, unitsNeeded: 2, packagesNeeded: 1, unitsDispensed: 4 } });
    const metformin = supplyPlan(anItem({ dose: { value: 0.85, unit: "g" }, frequency: "tid", days: 84, packages: 9 }), aMetformin());
    expect(metformin).toEqual({ plan: { perDose: 1.7, dosesPerDay: 3, doses: 252, unitsNeeded: 428.4, packagesNeeded: 9, unitsDispensed: 432 } });
    const tenths = supplyPlan(anItem({ dose: { value: 0.1, unit: "g" }, days: 84 }), { strength: { value: 1, unit: "g" }, pack: { size: 28, unit: "片" } });
    expect("plan" in tenths && tenths.plan.packagesNeeded).toBe(1);
    expect(supplyPlan(anItem({ frequency: "prn", days: 7 }), amlodipine)).toMatchObject({ plan: { doses: 21, packagesNeeded: 1 } });
    expect(supplyPlan(anItem(), { ...amlodipine, pack: { size: 0, unit: "片" } })).toEqual({ problem: "container" });
  });

  it("computes the daily amount in the maximum's unit", () => {
    expect(dailyAmount(anItem({ dose: { value: 70, unit: "mg" }, frequency: "qw" }), DRUGS.alendronate(), "mg")).toBe(70);
    expect(dailyAmount(anItem({ dose: { value: 2, unit: "片" }, frequency: "bid" }), amlodipine, "mg")).toBe(20);
    expect(dailyAmount(anItem({ dose: { value: 15, unit: "mg" }, frequency: "prn" }), amlodipine, "mg")).toBe(15);
    expect(dailyAmount(anItem({ dose: { value: 0.5, unit: "g" }, frequency: "bid" }), aMetformin(), "mg")).toBe(1000);
    expect(dailyAmount(anItem({ dose: { value: 5, unit: "ml" } }), amlodipine, "mg")).toBeNull();
  });

  it("says how many days the dispensed units last", () => {
    const plan = (item: Partial<DraftItem>) => {
      const r = supplyPlan(anItem(item), amlodipine);
      if (!("plan" in r)) throw new Error("no plan");
      return r.plan;
    };
    expect(daysCovered(plan({ packages: 2 }))).toBe(56);
    expect(daysCovered(plan({ packages: 1, frequency: "bid" }))).toBe(14);
    expect(daysCovered(plan({ packages: 1, frequency: "qw" }))).toBe(196);
  });
});
