/**
 * Issue 10, units: oral liquids, drops and suspensions dosed in ml, drops or mg against their
 * concentration, with packages counted from the bottle's volume; inhalers in puffs against the
 * actuations in one device; patches per patch (a multi-day patch by its wear time); topical
 * forms in 适量 with no arithmetic. Each table walks a boundary: exactly enough / one unit
 * over, exactly the maximum / just above.
 */
import { describe, expect, it } from "vitest";
import type { DraftItem, RuleContext, RuleDrug } from "../../../worker/rules";
import { supplyPlan } from "../../../worker/rules";
import { amountPerDose, unitsPerDose } from "../../../worker/rules/quantity";
import { anAmlodipine, anItem, DRUGS, onlyItem, testScenarios } from "./builders";

const at = (i: number, ruleId: string, field: string, severity: "error" | "warning" = "error") => ({ ruleId, severity, itemIndex: i, path: `items.${i}.${field}` });
const excess = at(0, "rx-quantity-excess", "packages");
const short = at(0, "rx-quantity-short", "packages", "warning");
const maxDaily = at(0, "rx-dose-max-daily", "dose");
const mismatch = at(0, "rx-dose-unit-mismatch", "dose");
const unverifiable = at(0, "rx-quantity-unverifiable", "packages", "warning");

/** A non-chronic product on a normal prescription, built on the amlodipine fixture. */
function aProduct(overrides: Partial<RuleDrug>): RuleDrug {
  return anAmlodipine({ longRxEligible: false, conditions: [], maxDailyDose: null, ...overrides });
}

/** 布洛芬混悬液 100ml:2g as the NEML seed stores it: 2 g per bottle, the bottle's volume in dosing (20 mg/ml). */
const ibuprofenBottle = (dosing: RuleDrug["dosing"] = { containerVolume: { value: 100, unit: "ml" } }) =>
  aProduct({
    code: "W078-09",
    genericName: "布洛芬",
    innName: "Ibuprofen",
    form: "混悬液",
    strength: { value: 2, unit: "g" },
    pack: { size: 1, unit: "瓶" },
    atc: "M01AE01",
    maxDailyDose: { value: 2400, unit: "mg" },
    dosing,
  });

/** 阿莫西林干混悬剂 in a bottle of 1.5 g, reconstituted to 125 mg per 5 ml (so 60 ml a bottle). */
const amoxicillinSuspension = () =>
  aProduct({
    code: "W006-90",
    genericName: "阿莫西林",
    form: "干混悬剂",
    strength: { value: 1.5, unit: "g" },
    pack: { size: 1, unit: "瓶" },
    atc: "J01CA04",
    antimicrobial: "unrestricted",
    maxDailyDose: { value: 4, unit: "g" },
    dosing: { concentration: { amount: { value: 125, unit: "mg" }, per: { value: 5, unit: "ml" } } },
  });

/** 西替利嗪滴剂 10 mg/ml, 10 ml a bottle, 20 drops per ml (max 10 mg a day). */
const cetirizineDrops = (dosing: RuleDrug["dosing"] = { containerVolume: { value: 10, unit: "ml" }, dropsPerMl: 20 }) =>
  aProduct({
    code: "W352-03",
    genericName: "西替利嗪",
    form: "滴剂",
    strength: { value: 10, unit: "mg/ml" },
    pack: { size: 1, unit: "瓶" },
    atc: "R06AE07",
    maxDailyDose: { value: 10, unit: "mg" },
    dosing,
  });

/** 沙丁胺醇吸入气雾剂 200 揿，每揿 100µg: one device (支); fixture maximum 8 puffs (800 µg) a day. */
const salbutamolInhaler = () =>
  aProduct({
    code: "W217-01",
    genericName: "沙丁胺醇",
    form: "吸入气雾剂",
    strength: { value: 100, unit: "µg" },
    pack: { size: 1, unit: "支" },
    route: "inhalation",
    atc: "R03AC02",
    maxDailyDose: { value: 800, unit: "µg" },
    dosing: { actuations: 200 },
  });

/** 芬太尼透皮贴剂 4.2 mg (25 µg/h), 5 patches a box, each worn 72 hours. */
const fentanylPatch = () =>
  aProduct({
    code: "W071-90",
    genericName: "芬太尼",
    form: "贴剂",
    strength: { value: 4.2, unit: "mg" },
    pack: { size: 5, unit: "贴" },
    route: "transdermal",
    atc: "N02AB03",
    dosing: { patchHours: 72 },
  });

/** A plaster changed daily (贴膏剂), 6 a box. */
const dailyPlaster = () =>
  aProduct({ code: "T283-90", genericName: "云南白药", form: "贴膏剂", strength: { value: 1, unit: "贴" }, pack: { size: 6, unit: "贴" }, route: "topical", atc: null });

/** 红霉素软膏 1%, one tube, 外用适量. */
const erythromycinOintment = (dosing: RuleDrug["dosing"] = { topical: true }) =>
  aProduct({ code: "W020-12", genericName: "红霉素", form: "软膏剂", strength: { value: 1, unit: "%" }, pack: { size: 1, unit: "支" }, route: "topical", atc: "D06AX", dosing });

/**
 * A normal prescription of one product for a 35-year-old (the baseline patient is 70, and the
 * elderly criteria are not what these tables test), with a reason for more than 7 days.
 */
const adult = (c: RuleContext) => {
  c.patient.birthDate = "1991-05-01";
  c.draft.extendedReason = "慢性病，延长用量";
};
/** 左氧氟沙星滴眼液 0.5%, one 5 ml bottle (支), no dosing recorded. */
const eyeDrops = (overrides: Partial<RuleDrug> = {}) =>
  aProduct({ code: "W451-01", genericName: "左氧氟沙星", form: "滴眼剂", strength: { value: 0.5, unit: "%" }, pack: { size: 1, unit: "支" }, route: "ophthalmic", atc: "S01AE05", ...overrides });

const rx = (drug: RuleDrug, item: Partial<DraftItem>) => [onlyItem(drug, item), adult];
const ml = (value: number) => ({ value, unit: "ml" });

describe("oral liquids: ml against the bottle's volume, mg against the concentration", () => {
  testScenarios([
    { name: "布洛芬 10 ml tid × 3 days = 90 ml: one 100 ml bottle", change: rx(ibuprofenBottle(), { dose: ml(10), frequency: "tid" }), expected: [] },
    { name: "two bottles for 90 ml", change: rx(ibuprofenBottle(), { dose: ml(10), frequency: "tid", packages: 2 }), expected: [excess] },
    { name: "10 ml tid × 4 days = 120 ml: one bottle is short", change: rx(ibuprofenBottle(), { dose: ml(10), frequency: "tid", days: 4 }), expected: [short] },
    { name: "10 ml tid × 4 days: two bottles", change: rx(ibuprofenBottle(), { dose: ml(10), frequency: "tid", days: 4, packages: 2 }), expected: [] },
    { name: "200 mg (= 10 ml at 20 mg/ml) tid × 3 days: one bottle", change: rx(ibuprofenBottle(), { dose: { value: 200, unit: "mg" }, frequency: "tid" }), expected: [] },
    { name: "毫升 is ml", change: rx(ibuprofenBottle(), { dose: { value: 10, unit: "毫升" }, frequency: "tid" }), expected: [] },
    { name: "30 ml qid = 600 mg × 4 = 2400 mg: exactly the maximum", change: rx(ibuprofenBottle(), { dose: ml(30), frequency: "qid", packages: 4 }), expected: [] },
    { name: "30.5 ml qid = 2440 mg: above the maximum", change: rx(ibuprofenBottle(), { dose: ml(30.5), frequency: "qid", packages: 4 }), expected: [maxDaily] },
    { name: "a bottle of unrecorded volume: ml still cannot be checked", change: rx(ibuprofenBottle(null), { dose: ml(10), frequency: "tid" }), expected: [mismatch] },
    {
      name: "the concentration alone (20 mg per ml) gives the bottle's volume (2 g / 20 mg/ml = 100 ml)",
      change: rx(ibuprofenBottle({ concentration: { amount: { value: 20, unit: "mg" }, per: ml(1) } }), { dose: ml(10), frequency: "tid", days: 4, packages: 2 }),
      expected: [],
    },
  ]);
});

describe("a reconstituted suspension: 125 mg per 5 ml, 60 ml a bottle", () => {
  testScenarios([
    { name: "5 ml tid × 4 days = 60 ml: exactly one bottle", change: rx(amoxicillinSuspension(), { dose: ml(5), frequency: "tid", days: 4 }), expected: [] },
    { name: "5 ml tid × 5 days = 75 ml: one bottle is short", change: rx(amoxicillinSuspension(), { dose: ml(5), frequency: "tid", days: 5 }), expected: [short] },
    { name: "250 mg (= 10 ml) tid × 7 days = 210 ml: 4 bottles", change: rx(amoxicillinSuspension(), { dose: { value: 250, unit: "mg" }, frequency: "tid", days: 7, packages: 4 }), expected: [] },
    { name: "250 mg tid × 7 days, 5 bottles", change: rx(amoxicillinSuspension(), { dose: { value: 250, unit: "mg" }, frequency: "tid", days: 7, packages: 5 }), expected: [excess] },
  ]);
});

describe("drops: 20 drops a ml of 10 mg/ml", () => {
  testScenarios([
    { name: "10 滴 qd = 0.5 ml = 5 mg; 7 days = 3.5 ml of a 10 ml bottle", change: rx(cetirizineDrops(), { dose: { value: 10, unit: "滴" }, frequency: "qd", days: 7 }), expected: [] },
    { name: "20 滴 qd = 10 mg: exactly the maximum", change: rx(cetirizineDrops(), { dose: { value: 20, unit: "滴" }, frequency: "qd", days: 7, packages: 1 }), expected: [] },
    { name: "21 滴 qd = 10.5 mg: above it", change: rx(cetirizineDrops(), { dose: { value: 21, unit: "滴" }, frequency: "qd", days: 7, packages: 1 }), expected: [maxDaily] },
    { name: "a mg/ml strength in bottles of a recorded volume is no longer unverifiable", change: rx(cetirizineDrops(), { dose: { value: 5, unit: "mg" }, frequency: "qd", days: 7 }), expected: [] },
    { name: "20 滴 qd × 11 days = 11 ml: one bottle is short", change: rx(cetirizineDrops(), { dose: { value: 20, unit: "滴" }, frequency: "qd", days: 11 }), expected: [short] },
    { name: "drops without drops per ml cannot be counted", change: rx(cetirizineDrops({ containerVolume: ml(10) }), { dose: { value: 10, unit: "滴" }, frequency: "qd" }), expected: [mismatch] },
    { name: "without the bottle's volume the quantity stays unverifiable", change: rx(cetirizineDrops({ dropsPerMl: 20 }), { dose: { value: 10, unit: "滴" }, frequency: "qd" }), expected: [unverifiable] },
  ]);
});

describe("inhalers: puffs against 200 actuations a device", () => {
  const puffs = (value: number, unit = "揿") => ({ value, unit });
  testScenarios([
    { name: "2 揿 qid × 25 days = 200 puffs: exactly one device", change: rx(salbutamolInhaler(), { dose: puffs(2), frequency: "qid", days: 25 }), expected: [] },
    { name: "two devices for 200 puffs", change: rx(salbutamolInhaler(), { dose: puffs(2), frequency: "qid", days: 25, packages: 2 }), expected: [excess] },
    { name: "2 揿 qid × 26 days = 208 puffs: one device is short", change: rx(salbutamolInhaler(), { dose: puffs(2), frequency: "qid", days: 26 }), expected: [short] },
    { name: "208 puffs, two devices", change: rx(salbutamolInhaler(), { dose: puffs(2), frequency: "qid", days: 26, packages: 2 }), expected: [] },
    { name: "喷 and 吸 are puffs too", change: rx(salbutamolInhaler(), { dose: puffs(2, "喷"), frequency: "qid", days: 25 }), expected: [] },
    { name: "200 µg = 2 puffs of 100 µg", change: rx(salbutamolInhaler(), { dose: { value: 200, unit: "µg" }, frequency: "qid", days: 25 }), expected: [] },
    { name: "2 揿 qid = 800 µg a day: exactly the maximum", change: rx(salbutamolInhaler(), { dose: puffs(2), frequency: "qid", days: 7 }), expected: [] },
    { name: "3 揿 qid = 1200 µg a day: above it", change: rx(salbutamolInhaler(), { dose: puffs(3), frequency: "qid", days: 7 }), expected: [maxDaily] },
    { name: "prn 2 揿 for 28 days: up to 168 puffs, one device", change: rx(salbutamolInhaler(), { dose: puffs(2), frequency: "prn", days: 28 }), expected: [] },
    { name: "a puff of a tablet is a unit mismatch", change: rx(anAmlodipine(), { dose: puffs(1), frequency: "qd" }), expected: [mismatch] },
  ]);
});

describe("patches: per patch; a 72-hour patch is changed every 3 days", () => {
  const patch = (value = 1, unit = "贴") => ({ value, unit });
  testScenarios([
    { name: "72 h patch × 15 days = 5 patches: one box of 5", change: rx(fentanylPatch(), { dose: patch(), frequency: "qd", days: 15 }), expected: [] },
    { name: "16 days = 6 patches: one box is short", change: rx(fentanylPatch(), { dose: patch(), frequency: "qd", days: 16 }), expected: [short] },
    { name: "15 days, two boxes", change: rx(fentanylPatch(), { dose: patch(), frequency: "qd", days: 15, packages: 2 }), expected: [excess] },
    { name: "a daily plaster × 6 days: one box of 6", change: rx(dailyPlaster(), { dose: patch(), frequency: "qd", days: 6 }), expected: [] },
    { name: "1 张 is one patch", change: rx(dailyPlaster(), { dose: patch(1, "张"), frequency: "qd", days: 7 }), expected: [short] },
    { name: "a daily plaster × 7 days: two boxes", change: rx(dailyPlaster(), { dose: patch(), frequency: "qd", days: 7, packages: 2 }), expected: [] },
  ]);
});

describe("topical 适量: no dose arithmetic, no noise", () => {
  const suitable = { value: 1, unit: "适量" };
  testScenarios([
    { name: "红霉素软膏 适量 bid × 7 days, one tube", change: rx(erythromycinOintment(), { dose: suitable, frequency: "bid", days: 7 }), expected: [] },
    { name: "three tubes: the quantity is the doctor's judgement", change: rx(erythromycinOintment(), { dose: suitable, frequency: "bid", days: 7, packages: 3 }), expected: [] },
    { name: "a topical entry with a dose that cannot be counted (1 次)", change: rx(erythromycinOintment(), { dose: { value: 1, unit: "次" }, frequency: "bid", days: 7 }), expected: [] },
    { name: "适量 of a topical-route entry without dosing", change: rx(erythromycinOintment(null), { dose: suitable, frequency: "bid", days: 7 }), expected: [] },
    { name: "适量 of an oral tablet is a unit mismatch", change: rx(anAmlodipine(), { dose: suitable, frequency: "qd" }), expected: [mismatch] },
    { name: "eye drops 1 滴 tid (a bottle of unrecorded volume): no arithmetic", change: rx(eyeDrops(), { dose: { value: 1, unit: "滴" }, frequency: "tid", days: 7 }), expected: [] },
    { name: "a nasal spray 2 喷 bid without actuations recorded", change: rx(eyeDrops({ route: "nasal", form: "鼻喷雾剂" }), { dose: { value: 2, unit: "喷" }, frequency: "bid", days: 7 }), expected: [] },
    {
      name: "eye drops with drops per ml and volume are counted: 2 滴 qid × 28 days = 224 drops = 11.2 ml of a 5 ml bottle",
      change: rx(eyeDrops({ dosing: { dropsPerMl: 20, containerVolume: ml(5) } }), { dose: { value: 2, unit: "滴" }, frequency: "qid", days: 28 }),
      expected: [short],
    },
    { name: "1 mg of eye drops is still a unit mismatch", change: rx(eyeDrops(), { dose: { value: 1, unit: "mg" }, frequency: "tid", days: 7 }), expected: [mismatch] },
  ]);
});

describe("quantity.ts with dosing", () => {
  it("turns ml, drops and mg into bottles and amounts", () => {
    expect(unitsPerDose(ml(10), ibuprofenBottle())).toEqual({ units: 0.1 });
    expect(amountPerDose(ml(10), ibuprofenBottle())).toEqual({ value: 0.2, unit: "g" });
    expect(unitsPerDose({ value: 250, unit: "mg" }, amoxicillinSuspension())).toEqual({ units: 10 / 60 });
    expect(amountPerDose({ value: 20, unit: "滴" }, cetirizineDrops())).toEqual({ value: 10, unit: "mg" });
    expect(unitsPerDose({ value: 2, unit: "揿" }, salbutamolInhaler())).toEqual({ units: 0.01 });
    expect(amountPerDose({ value: 2, unit: "揿" }, salbutamolInhaler())).toEqual({ value: 200, unit: "µg" });
  });

  it("counts a multi-day patch by its wear time and leaves 适量 unmeasured", () => {
    expect(supplyPlan(anItem({ dose: { value: 1, unit: "贴" }, days: 30, packages: 2 }), fentanylPatch())).toMatchObject({ plan: { doses: 10, packagesNeeded: 2 } });
    expect(supplyPlan(anItem({ dose: { value: 1, unit: "适量" } }), erythromycinOintment())).toEqual({ unmeasured: true });
  });

  it("keeps the existing per-ml pack and mg/g rules", () => {
    expect(unitsPerDose({ value: 200, unit: "mg" }, DRUGS.ibuprofenSuspension())).toEqual({ units: 10 });
    expect(unitsPerDose({ value: 30, unit: "mg" }, DRUGS.ambroxolSolution())).toEqual({ problem: "container" });
  });
});
