import { describe, expect, it } from "vitest";
import type { Interaction, RuleContext, SupplyLine } from "../../../worker/rules";
import { validateDraft } from "../../../worker/rules";
import { anAmlodipine, aRuleContext, aSupplyLine, addItem, DRUGS, testScenarios, withDraft, withPrescriber } from "./builders";

const onItem = (ruleId: string, i: number, severity: "error" | "warning" = "error") => ({ ruleId, severity, itemIndex: i, path: `items.${i}.drugCode` });
const allergy = (substance: string, atcPrefix: string | null = null) => (c: RuleContext) => void c.patient.allergies.push({ substance, atcPrefix });
/** Another institution's prescription still covering 2026-09-01 (08-20 … 09-16). */
const supply = (line: Partial<SupplyLine>) => (c: RuleContext) =>
  void c.activeSupply.push(aSupplyLine({ prescriptionId: "RX-20260820-0007", institutionId: "INST-TOWNSHIP-02", startDate: "2026-08-20", days: 28, ...line }));
const interaction = (ix: Omit<Interaction, "id" | "source" | "note">) => (c: RuleContext) =>
  void c.interactions.push({ id: `IX-${c.interactions.length}`, note: "测试相互作用", source: "测试", ...ix });

describe("safety-allergy", () => {
  testScenarios([
    { name: "the generic name", change: allergy("氨氯地平"), expected: [onItem("safety-allergy", 0)] },
    { name: "the INN, any case, padded", change: allergy("  AMLODIPINE "), expected: [onItem("safety-allergy", 0)] },
    { name: "a substance containing the name (盐酸二甲双胍)", change: allergy("盐酸二甲双胍"), expected: [onItem("safety-allergy", 1)] },
    { name: "a substance contained in the name (双胍)", change: allergy("双胍"), expected: [onItem("safety-allergy", 1)] },
    { name: "the class by ATC prefix", change: allergy("二氢吡啶类钙通道阻滞剂", "C08CA"), expected: [onItem("safety-allergy", 0)] },
    { name: "one character is too short to match by name", change: allergy("地"), expected: [] },
    { name: "a Latin fragment needs 4 letters: 'formin' matches Metformin", change: allergy("formin"), expected: [onItem("safety-allergy", 1)] },
    { name: "…but 'in' does not", change: allergy("in"), expected: [] },
    { name: "an unrelated class", change: allergy("青霉素", "J01C"), expected: [] },
  ]);
});

describe("safety-duplicate-ingredient", () => {
  testScenarios([
    { name: "the same drug twice", change: addItem(anAmlodipine()), expected: [onItem("safety-duplicate-ingredient", 2)] },
    {
      name: "a salt with another name but the same ATC",
      change: addItem(anAmlodipine({ code: "W185-09", genericName: "苯磺酸氨氯地平" })),
      expected: [onItem("safety-duplicate-ingredient", 2)],
    },
    {
      name: "the same generic name under another ATC",
      change: addItem(anAmlodipine({ code: "W185-10", atc: "C08CA99" })),
      expected: [onItem("safety-duplicate-ingredient", 2)],
    },
    { name: "another institution's supply covering the date", change: supply({}), expected: [onItem("safety-duplicate-ingredient", 0)] },
    { name: "a supply line without ATC, matched by name", change: supply({ drugCode: "X-1", atc: null }), expected: [onItem("safety-duplicate-ingredient", 0)] },
    {
      name: "a renewal on the renewed prescription's last day replaces its supply",
      change: withDraft({ writtenAt: "2026-08-31" }),
      expected: [],
    },
    // the grace window is policy.refillGraceDays (national default 7); boundaries in renewal.test.ts
    {
      name: "a renewal exactly 7 days before the renewed supply runs out (08-25) replaces it",
      change: withDraft({ writtenAt: "2026-08-25" }),
      expected: [],
    },
    {
      name: "a renewal 8 days before (08-24) is too early: duplicates",
      change: withDraft({ writtenAt: "2026-08-24" }),
      expected: [onItem("safety-duplicate-ingredient", 0), onItem("safety-duplicate-ingredient", 1)],
    },
    {
      name: "a first issue for the same condition and drugs in the grace window takes over the supply too",
      change: (c) => {
        withDraft({ writtenAt: "2026-08-31", longTerm: { firstIssue: true, assessment: "首次评估，病情稳定", patientConfirmed: true } })(c);
        withPrescriber({ title: "intermediate", institutionLevel: "primary" })(c);
      },
      expected: [],
    },
    { name: "a supply that ended the day before (baseline: 06-09 + 84 days)", change: withDraft({ writtenAt: "2026-09-01" }), expected: [] },
    { name: "a supply starting after the prescription date", change: supply({ startDate: "2026-09-02" }), expected: [] },
  ]);
});

describe("safety-duplicate-class", () => {
  // levamlodipine is amlodipine's enantiomer: a duplicate ingredient now (ingredients.test.ts), not a class pair
  const felodipine = addItem(anAmlodipine({ code: "W189-01", genericName: "非洛地平", innName: "Felodipine", form: "缓释片", atc: "C08CA02" }), { dose: { value: 5, unit: "mg" } });
  testScenarios([
    { name: "two dihydropyridines (C08CA) on the draft", change: felodipine, expected: [onItem("safety-duplicate-class", 2, "warning")] },
    { name: "a dihydropyridine in another institution's supply", change: supply({ genericName: "硝苯地平", atc: "C08CA05" }), expected: [onItem("safety-duplicate-class", 0, "warning")] },
    { name: "same level 3 (C08C), another level 4", change: supply({ genericName: "维拉帕米", atc: "C08DA01" }), expected: [] },
    { name: "no ATC, no class", change: supply({ genericName: "硝苯地平", atc: null }), expected: [] },
  ]);
});

describe("safety-interaction-major and -moderate", () => {
  const enalapril = addItem(DRUGS.enalapril(), { dose: { value: 10, unit: "mg" }, packages: 6 });
  const arni = supply({ genericName: "沙库巴曲缬沙坦", atc: "C09DX04" });
  const simvastatin = supply({ genericName: "辛伐他汀", atc: "C10AA01" });
  testScenarios([
    { name: "an item and a covering supply, major", change: [enalapril, arni], expected: [onItem("safety-interaction-major", 2)] },
    { name: "an item and a covering supply, moderate (ATC side on the item)", change: simvastatin, expected: [onItem("safety-interaction-moderate", 0, "warning")] },
    {
      name: "a locally acting item (eye drops) takes no part in systemic interactions",
      change: [
        simvastatin,
        (c) => void Object.assign(c.formulary["W185-01"]?.drug ?? {}, { route: "ophthalmic" }),
        (c) => void Object.assign(c.draft.items[0] ?? {}, { route: "ophthalmic" }),
      ],
      expected: [],
    },
    {
      name: "two items, reported at the later one",
      change: [
        (c) => void c.patient.conditions.push({ icd10: "E78.0", chronic: true, stable: true, diagnosedAt: "2021-01-01" }),
        addItem(anAmlodipine({ code: "W240-05", genericName: "辛伐他汀", innName: "Simvastatin", strength: { value: 20, unit: "mg" }, atc: "C10AA01", conditions: ["E78"], maxDailyDose: { value: 40, unit: "mg" } }), { dose: { value: 20, unit: "mg" } }),
      ],
      // …and simvastatin shares C10AA with the baseline's atorvastatin supply.
      expected: [onItem("safety-interaction-moderate", 2, "warning"), onItem("safety-duplicate-class", 2, "warning")],
    },
    {
      name: "the same pair listed twice, either way round, is reported once",
      change: [simvastatin, interaction({ a: { name: "氨氯地平" }, b: { atcPrefix: "C10AA01" }, severity: "moderate" })],
      expected: [onItem("safety-interaction-moderate", 0, "warning")],
    },
    {
      name: "a pair with a major and a moderate interaction is reported as major only",
      change: [simvastatin, interaction({ a: { atcPrefix: "C10AA01" }, b: { name: "氨氯地平" }, severity: "major" })],
      expected: [onItem("safety-interaction-major", 0)],
    },
    {
      name: "a class-wide side matches every covering supply of the class, one finding per pair",
      change: [simvastatin, interaction({ a: { atcPrefix: "C10AA" }, b: { name: "氨氯地平" }, severity: "major" })],
      expected: [onItem("safety-interaction-major", 0), onItem("safety-interaction-major", 0)],
    },
    { name: "two supply lines interact: not this draft's doing", change: [arni, supply({ genericName: "依那普利", atc: "C09AA02" })], expected: [] },
    { name: "a supply that no longer covers the date", change: [enalapril, supply({ genericName: "沙库巴曲缬沙坦", atc: "C09DX04", startDate: "2026-08-01", days: 31 })], expected: [] },
    { name: "a side with neither ATC nor name matches nothing", change: [simvastatin, (c) => {
    c.interactions = [{ id: "IX-EMPTY", a: {}, b: {}, severity: "major", note: "空", source: "测试" }];
  }], expected: [] },
  ]);
});

describe("safety messages", () => {
  it("name the other institution and prescription, and the interaction's own source", () => {
    const ctx = aRuleContext(supply({ genericName: "辛伐他汀", atc: "C10AA01" }));
    const [finding] = validateDraft(ctx).findings;
    expect(finding?.message).toContain("INST-TOWNSHIP-02");
    expect(finding?.message).toContain("RX-20260820-0007");
    expect(finding?.message).toContain("辛伐他汀片说明书");
    expect(finding?.message).toContain("氨氯地平片 5mg");
  });

  it("name the other item of an item pair", () => {
    const ctx = aRuleContext(addItem(anAmlodipine()));
    expect(validateDraft(ctx).findings[0]?.message).toBe("氨氯地平片 5mg：与第 1 项（氨氯地平片 5mg）成分重复（氨氯地平）");
  });
});

