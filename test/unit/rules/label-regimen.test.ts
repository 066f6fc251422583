/**
 * Issue 10, regimens: the label's maximum single dose (rx-dose-max-single, error) and the
 * schedules the label of a form gives (rx-frequency-label, warning). Facts: label-facts.ts;
 * an entry's own dosing wins over them.
 */
import { describe, expect, it } from "vitest";
import type { DraftItem, RuleContext, RuleDrug } from "../../../worker/rules";
import { labelFactOf, releaseOf } from "../../../worker/rules/label-facts";
import { AMLODIPINE, anAmlodipine, METFORMIN, aMetformin, onlyItem, testScenarios, withDrug, withItem } from "./builders";

const at = (i: number, ruleId: string, field: string, severity: "error" | "warning" = "error") => ({ ruleId, severity, itemIndex: i, path: `items.${i}.${field}` });
const maxSingle = (i = 0) => at(i, "rx-dose-max-single", "dose");
const maxDaily = (i = 0) => at(i, "rx-dose-max-daily", "dose");
const frequency = (i = 0) => at(i, "rx-frequency-label", "frequency", "warning");

function aProduct(overrides: Partial<RuleDrug>): RuleDrug {
  return anAmlodipine({ longRxEligible: false, conditions: [], maxDailyDose: null, pack: { size: 100, unit: "片" }, ...overrides });
}

const nifedipine = (form: string, mg: number) =>
  aProduct({ code: `NIF-${mg}`, genericName: "硝苯地平", form, strength: { value: mg, unit: "mg" }, atc: "C08CA05", maxDailyDose: { value: 120, unit: "mg" } });
const paracetamolTablet = () =>
  aProduct({ code: "W076-02", genericName: "对乙酰氨基酚", form: "片剂", strength: { value: 0.5, unit: "g" }, atc: null, maxDailyDose: { value: 2, unit: "g" } });
/** 对乙酰氨基酚口服溶液 100ml:2.4g (24 mg/ml). */
const paracetamolSolution = () =>
  aProduct({
    code: "W076-03",
    genericName: "对乙酰氨基酚",
    form: "口服溶液剂",
    strength: { value: 2.4, unit: "g" },
    pack: { size: 1, unit: "瓶" },
    atc: null,
    dosing: { containerVolume: { value: 100, unit: "ml" } },
  });
const captopril = () => aProduct({ code: "W173-02", genericName: "卡托普利", strength: { value: 25, unit: "mg" }, atc: "C09AA01" });
const metoprololER = () => aProduct({ code: "W162-03", genericName: "美托洛尔", form: "缓释片(琥珀酸盐)", strength: { value: 47.5, unit: "mg" }, atc: "C07AB02" });
const metforminER = () => aMetformin({ form: "缓释片" });

/** One product on a normal prescription for a 35-year-old (the elderly criteria are another table). */
const adult = (c: RuleContext) => {
  c.patient.birthDate = "1991-05-01";
};
const one = (drug: RuleDrug, item: Partial<DraftItem>) => [onlyItem(drug, { packages: 1, ...item }), adult];
const mg = (value: number) => ({ value, unit: "mg" });

describe("rx-dose-max-single", () => {
  testScenarios([
    { name: "对乙酰氨基酚 1 g prn (2 tablets): exactly the 1 g single maximum", change: one(paracetamolTablet(), { dose: { value: 2, unit: "片" }, frequency: "prn" }), expected: [] },
    { name: "1.5 g prn: above the single maximum, within the daily one", change: one(paracetamolTablet(), { dose: { value: 1.5, unit: "g" }, frequency: "prn", packages: 1 }), expected: [maxSingle()] },
    { name: "0.5 g qid: 2 g a day, single dose fine", change: one(paracetamolTablet(), { dose: { value: 0.5, unit: "g" }, frequency: "qid" }), expected: [] },
    { name: "oral solution 41 ml = 984 mg: below 1 g", change: one(paracetamolSolution(), { dose: { value: 41, unit: "ml" }, frequency: "prn", days: 1 }), expected: [] },
    { name: "oral solution 42 ml = 1008 mg: above 1 g", change: one(paracetamolSolution(), { dose: { value: 42, unit: "ml" }, frequency: "prn", days: 1 }), expected: [maxSingle()] },
    { name: "硝苯地平片 30 mg tid: single and daily at their maxima", change: one(nifedipine("片剂", 10), { dose: mg(30), frequency: "tid" }), expected: [] },
    { name: "硝苯地平片 40 mg tid: single above 30 mg, daily 120 mg at the maximum", change: one(nifedipine("片剂", 10), { dose: mg(40), frequency: "tid" }), expected: [maxSingle()] },
    { name: "硝苯地平片 40 mg qid: both maxima", change: one(nifedipine("片剂", 10), { dose: mg(40), frequency: "qid", packages: 1 }), expected: [maxSingle(), maxDaily()] },
    { name: "the controlled-release form has no single-dose fact", change: one(nifedipine("控释片", 30), { dose: mg(60), frequency: "qd" }), expected: [] },
    {
      name: "the entry's own maxSingleDose wins: amlodipine 10 mg against 5 mg",
      change: [withDrug(AMLODIPINE, anAmlodipine({ dosing: { maxSingleDose: mg(5) } })), withItem(0, { dose: mg(10), packages: 6 })],
      expected: [maxSingle()],
    },
    {
      name: "a single maximum the dose unit cannot reach is a unit mismatch",
      change: one(aProduct({ code: "X-1", genericName: "某药", dosing: { maxSingleDose: { value: 5, unit: "ml" } } }), { dose: mg(5), frequency: "qd" }),
      expected: [at(0, "rx-dose-unit-mismatch", "dose")],
    },
  ]);
});

describe("rx-frequency-label", () => {
  testScenarios([
    { name: "硝苯地平片 tid (the label's schedule)", change: one(nifedipine("片剂", 10), { dose: mg(10), frequency: "tid" }), expected: [] },
    { name: "硝苯地平片 qid (label: up to 3–4 times a day)", change: one(nifedipine("片剂", 10), { dose: mg(10), frequency: "qid" }), expected: [] },
    { name: "硝苯地平片 qd: a plain tablet labelled tid written once a day", change: one(nifedipine("片剂", 10), { dose: mg(10), frequency: "qd" }), expected: [frequency()] },
    { name: "硝苯地平片 qn counts as once a day", change: one(nifedipine("片剂", 10), { dose: mg(10), frequency: "qn" }), expected: [frequency()] },
    { name: "硝苯地平片 bid", change: one(nifedipine("片剂", 10), { dose: mg(10), frequency: "bid" }), expected: [frequency()] },
    { name: "硝苯地平片 prn is not a schedule", change: one(nifedipine("片剂", 10), { dose: mg(10), frequency: "prn" }), expected: [] },
    { name: "硝苯地平控释片 qd", change: one(nifedipine("控释片", 30), { dose: mg(30), frequency: "qd" }), expected: [] },
    { name: "硝苯地平控释片 bid", change: one(nifedipine("控释片", 30), { dose: mg(30), frequency: "bid" }), expected: [frequency()] },
    { name: "硝苯地平控释片 tid: a once-daily form three times a day", change: one(nifedipine("控释片", 30), { dose: mg(30), frequency: "tid" }), expected: [frequency()] },
    { name: "硝苯地平缓释片 bid", change: one(nifedipine("缓释片", 20), { dose: mg(20), frequency: "bid" }), expected: [] },
    { name: "硝苯地平缓释片 tid", change: one(nifedipine("缓释片", 20), { dose: mg(20), frequency: "tid" }), expected: [frequency()] },
    { name: "二甲双胍缓释片 qn (with the evening meal)", change: [withDrug(METFORMIN, metforminER()), withItem(1, { frequency: "qn", packages: 2 })], expected: [] },
    { name: "二甲双胍缓释片 tid", change: [withDrug(METFORMIN, metforminER()), withItem(1, { frequency: "tid", packages: 6 })], expected: [frequency(1)] },
    { name: "二甲双胍片 tid (plain: 1–3 times a day)", change: withItem(1, { frequency: "tid", packages: 6 }), expected: [] },
    { name: "二甲双胍片 qid", change: withItem(1, { frequency: "qid", packages: 7 }), expected: [frequency(1)] },
    { name: "卡托普利片 qd", change: one(captopril(), { dose: mg(25), frequency: "qd" }), expected: [frequency()] },
    { name: "卡托普利片 bid", change: one(captopril(), { dose: mg(25), frequency: "bid" }), expected: [] },
    { name: "琥珀酸美托洛尔缓释片 qd", change: one(metoprololER(), { dose: mg(47.5), frequency: "qd" }), expected: [] },
    { name: "琥珀酸美托洛尔缓释片 bid", change: one(metoprololER(), { dose: mg(47.5), frequency: "bid" }), expected: [frequency()] },
    {
      name: "the entry's own labelFrequencies win: amlodipine labelled qd, written bid",
      change: [withDrug(AMLODIPINE, anAmlodipine({ dosing: { labelFrequencies: ["qd"] } })), withItem(0, { dose: mg(2.5), frequency: "bid", packages: 3 })],
      expected: [frequency()],
    },
    {
      name: "matched by name when the entry has no ATC code",
      change: one(aProduct({ code: "NIF-X", genericName: "硝苯地平", form: "片剂", strength: mg(10), atc: null }), { dose: mg(10), frequency: "qd" }),
      expected: [frequency()],
    },
    {
      name: "an injection of the molecule is not an oral form",
      change: one(aProduct({ code: "NIF-IV", genericName: "硝苯地平", form: "注射液", strength: mg(10), atc: "C08CA05", route: "iv", pack: { size: 1, unit: "支" } }), { dose: mg(10), frequency: "qd", packages: 3 }),
      expected: [],
    },
  ]);
});

describe("label-facts.ts", () => {
  it("reads the release type from the dose form", () => {
    expect(["片剂", "缓释片", "控释片", "肠溶片", "缓释胶囊", "缓释片(琥珀酸盐)"].map(releaseOf)).toEqual(["plain", "modified", "controlled", "plain", "modified", "modified"]);
  });

  it("matches the most specific release first", () => {
    expect(labelFactOf({ atc: "C08CA05", genericName: "硝苯地平", form: "控释片", route: "oral" })?.id).toBe("nifedipine-controlled");
    expect(labelFactOf({ atc: "C08CA05", genericName: "硝苯地平", form: "缓释片", route: "oral" })?.id).toBe("nifedipine-modified");
    expect(labelFactOf({ atc: "C07AB02", genericName: "美托洛尔", form: "控释片", route: "oral" })?.id).toBe("metoprolol-succinate-modified");
    expect(labelFactOf({ atc: "C07AB02", genericName: "美托洛尔", form: "片剂", route: "oral" })).toBeUndefined();
  });
});
