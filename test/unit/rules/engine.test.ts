import { describe, expect, it } from "vitest";
import { ADDED_RULE_IDS, RULES, validateDraft } from "../../../worker/rules";
import type { Rule, RuleContext } from "../../../worker/rules";
import {
  aMetformin,
  AMLODIPINE,
  anAmlodipine,
  aRuleContext,
  aSupplyLine,
  addItem,
  type Change,
  DRUGS,
  located,
  METFORMIN,
  withDraft,
  withDrug,
  withItem,
  withPatient,
} from "./builders";

/** DOMAIN.md's rule catalogue, copied by hand: the public contract. */
const DOMAIN_RULE_IDS = [
  "rx-diagnosis-required",
  "rx-drug-unknown",
  "rx-drug-inactive",
  "rx-drug-level",
  "rx-max-items",
  "rx-days-emergency",
  "rx-days-reason",
  "rx-days-normal-max",
  "rx-quantity-excess",
  "rx-quantity-short",
  "rx-dose-max-daily",
  "rx-controlled-online",
  "ltrx-max-days",
  "ltrx-assessment-required",
  "ltrx-drug-excluded",
  "ltrx-drug-not-listed",
  "ltrx-condition-required",
  "ltrx-condition-unstable",
  "ltrx-prescriber-qualification",
  "ltrx-reassessment-due",
  "safety-allergy",
  "safety-interaction-major",
  "safety-interaction-moderate",
  "safety-duplicate-ingredient",
  "safety-duplicate-class",
] as const;

const WARNINGS = new Set(["rx-quantity-short", "safety-interaction-moderate", "safety-duplicate-class", "rx-quantity-unverifiable", "population-elderly-pim", "rx-frequency-label", "safety-allergy-cross",
  "population-renal-caution", "population-renal-stale", "population-pregnancy-caution", "population-lactation-caution"]);
const HAN = /[\u4e00-\u9fff]/;

describe("the catalogue", () => {
  it("has all 25 DOMAIN.md rule ids with their severities", () => {
    expect(DOMAIN_RULE_IDS).toHaveLength(25);
    const byId = new Map(RULES.map((r) => [r.id, r]));
    for (const id of DOMAIN_RULE_IDS) {
      expect(byId.get(id)?.severity, id).toBe(WARNINGS.has(id) ? "warning" : "error");
    }
  });

  it("keeps ids unique and kebab-case, and lists every addition with its severity", () => {
    const ids = RULES.map((r) => r.id);
    const byId = new Map(RULES.map((r) => [r.id, r]));
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)+$/);
    const added = ids.filter((id) => !(DOMAIN_RULE_IDS as readonly string[]).includes(id));
    expect(added.sort()).toEqual([...ADDED_RULE_IDS].sort());
    expect(ADDED_RULE_IDS).toEqual(
      expect.arrayContaining([
        "ltrx-first-issue-missing",
        "rx-dose-unit-mismatch",
        "rx-regimen-weekly",
        "antimicrobial-prescribing-right",
        "antimicrobial-special-outpatient",
        "population-age-restricted",
        "population-elderly-pim",
      ]),
    );
    for (const id of ADDED_RULE_IDS) expect(byId.get(id)?.severity, id).toBe(WARNINGS.has(id) ? "warning" : "error");
  });

  it("describes and sources every rule in Chinese", () => {
    for (const rule of RULES) {
      expect(rule.description, rule.id).toMatch(HAN);
      expect(rule.source, rule.id).toMatch(HAN);
      expect(["error", "warning"]).toContain(rule.severity);
    }
  });
});

describe("the baseline", () => {
  it("is a valid 12-week renewal with no findings at all", () => {
    const result = validateDraft(aRuleContext());
    expect(result).toEqual({ valid: true, findings: [], totals: { days: 84, packagesByItem: [3, 4] } });
  });
});

/** Felodipine 5 mg modified-release: another dihydropyridine (C08CA02) than the baseline's amlodipine. */
const FELODIPINE = anAmlodipine({ code: "W189-01", genericName: "非洛地平", innName: "Felodipine", form: "缓释片", atc: "C08CA02", conditions: ["I10"] });

/** One context per rule in which that rule fires: every rule can speak, in Chinese, with a source. */
const FIRES: Record<string, Change[]> = {
  "rx-diagnosis-required": [withDraft({ diagnoses: [] })],
  "rx-drug-unknown": [withItem(0, { drugCode: "X-404" })],
  "rx-drug-inactive": [withDrug(METFORMIN, aMetformin({ status: "withdrawn" }))],
  "rx-drug-level": [withDrug(METFORMIN, aMetformin({ minLevel: "secondary" }))],
  "rx-max-items": [(c) => void c.draft.items.push(...c.draft.items, ...c.draft.items)],
  "rx-days-emergency": [withDraft({ kind: "emergency" })],
  "rx-days-reason": [withDraft({ kind: "normal" })],
  "rx-days-normal-max": [withDraft({ kind: "normal" })],
  "rx-quantity-excess": [withItem(0, { packages: 4 })],
  "rx-quantity-short": [withItem(0, { packages: 2 })],
  "rx-dose-max-daily": [withItem(0, { frequency: "tid" })],
  "rx-dose-unit-mismatch": [withItem(0, { dose: { value: 5, unit: "ml" } })],
  "rx-quantity-unverifiable": [addItem(DRUGS.ambroxolSolution(), { dose: { value: 30, unit: "mg" }, frequency: "tid", packages: 1 })],
  "rx-regimen-weekly": [addItem(DRUGS.methotrexate(), { dose: { value: 2.5, unit: "mg" }, packages: 6 })],
  "rx-dose-max-single": [withDrug(AMLODIPINE, anAmlodipine({ dosing: { maxSingleDose: { value: 2.5, unit: "mg" } } }))],
  "rx-frequency-label": [withItem(1, { frequency: "qid", dose: { value: 0.25, unit: "g" }, packages: 4 })],
  "rx-controlled-online": [addItem(DRUGS.morphine(), { dose: { value: 30, unit: "mg" }, packages: 9 })],
  "antimicrobial-prescribing-right": [addItem(DRUGS.moxifloxacin(), { dose: { value: 0.4, unit: "g" }, packages: 28 })],
  "antimicrobial-special-outpatient": [addItem(DRUGS.caspofungin(), { dose: { value: 50, unit: "mg" }, packages: 84 })],
  "population-age-restricted": [withPatient({ birthDate: "2010-01-01" }), addItem(DRUGS.levofloxacin(), { dose: { value: 0.5, unit: "g" }, packages: 21 })],
  "population-elderly-pim": [addItem(DRUGS.glibenclamide(), { dose: { value: 2.5, unit: "mg" }, packages: 1 })],
  "population-sex": [addItem(anAmlodipine({ code: "W271-01", genericName: "非那雄胺", atc: "G04CB01", maxDailyDose: null }), { dose: { value: 5, unit: "mg" } })],
  "population-renal": [withPatient({ egfr: { value: 25, on: "2026-08-20" } })],
  "population-renal-caution": [withPatient({ egfr: { value: 40, on: "2026-08-20" } })],
  "population-renal-stale": [withPatient({ egfr: { value: 25, on: "2025-01-20" } })],
  "population-pregnancy": [withPatient({ pregnancy: { status: "pregnant", on: "2026-08-01" } }), addItem(DRUGS.enalapril(), { dose: { value: 10, unit: "mg" }, packages: 6 })],
  "population-pregnancy-caution": [
    withPatient({ pregnancy: { status: "pregnant", on: "2026-08-01" } }),
    addItem(anAmlodipine({ code: "W468-01", genericName: "米索前列醇", atc: "A02BB01", strength: { value: 200, unit: "μg" }, maxDailyDose: null }), { dose: { value: 600, unit: "μg" } }),
  ],
  "population-lactation": [withPatient({ pregnancy: { status: "lactating", on: "2026-08-01" } }), addItem(DRUGS.levofloxacin(), { dose: { value: 0.5, unit: "g" }, packages: 21 })],
  "population-lactation-caution": [withPatient({ pregnancy: { status: "lactating", on: "2026-08-01" } }), addItem(DRUGS.enalapril(), { dose: { value: 10, unit: "mg" }, packages: 6 })],
  "ltrx-max-days": [withItem(0, { days: 85 })],
  "ltrx-assessment-required": [withDraft({ longTerm: undefined })],
  "ltrx-drug-excluded": [addItem(DRUGS.amoxicillin(), { dose: { value: 0.5, unit: "g" }, frequency: "tid", packages: 21 })],
  "ltrx-drug-not-listed": [withDrug(AMLODIPINE, anAmlodipine({ longRxEligible: false }))],
  "ltrx-condition-required": [withPatient({ conditions: [] })],
  "ltrx-condition-unstable": [
    (c) => {
      for (const x of c.patient.conditions) x.stable = false;
    },
  ],
  "ltrx-prescriber-qualification": [withDraft({ longTerm: { firstIssue: true, assessment: "评估稳定", patientConfirmed: true } })],
  "ltrx-reassessment-due": [(c) => void c.patient.events.push({ type: "goal_not_met", at: "2026-08-01" })],
  "ltrx-first-issue-missing": [{ lastLongPrescription: null }],
  "safety-allergy": [(c) => void c.patient.allergies.push({ substance: "二甲双胍", atcPrefix: null })],
  "safety-interaction-major": [
    addItem(DRUGS.enalapril(), { dose: { value: 10, unit: "mg" }, packages: 6 }),
    (c) => void c.activeSupply.push(aSupplyLine({ genericName: "沙库巴曲缬沙坦", atc: "C09DX04", startDate: "2026-08-20", days: 28 })),
  ],
  "safety-interaction-moderate": [(c) => void c.activeSupply.push(aSupplyLine({ genericName: "辛伐他汀", atc: "C10AA01", startDate: "2026-08-20", days: 28 }))],
  "safety-duplicate-ingredient": [{ activeSupply: [aSupplyLine({ startDate: "2026-08-20", days: 28 })] }],
  "safety-duplicate-class": [addItem(FELODIPINE, { dose: { value: 5, unit: "mg" } })],
  "safety-allergy-cross": [
    (c) => void c.patient.allergies.push({ substance: "青霉素", atcPrefix: null }),
    addItem(anAmlodipine({ code: "W010-01", genericName: "头孢呋辛酯", innName: "Cefuroxime Axetil", atc: "J01DC02", antimicrobial: "unrestricted", longRxEligible: false, maxDailyDose: null }), { dose: { value: 0.25, unit: "g" } }),
  ],
};

describe("every rule", () => {
  it("has a context in which it fires", () => {
    expect(Object.keys(FIRES).sort()).toEqual(RULES.map((r) => r.id).sort());
  });

  it.each(RULES.map((r) => [r.id, r] as [string, Rule]))("%s reports a Chinese message, its severity and source", (id, rule) => {
    const ctx = aRuleContext(...(FIRES[id] ?? []));
    const findings = validateDraft(ctx).findings.filter((f) => f.ruleId === id);
    expect(findings.length).toBeGreaterThan(0);
    for (const f of findings) {
      expect(f.message).toMatch(HAN);
      expect(f.severity).toBe(rule.severity);
      expect(f.source).toBe(rule.source);
    }
  });

  it("never changes the context it reads", () => {
    for (const changes of Object.values(FIRES)) {
      const ctx = aRuleContext(...changes);
      const before = structuredClone(ctx);
      validateDraft(ctx);
      expect(ctx).toEqual(before);
    }
  });
});

describe("validateDraft", () => {
  it("returns every finding together: a draft breaking 5 rules gets all 5", () => {
    const ctx = aRuleContext(
      withDraft({ diagnoses: [] }),
      withItem(0, { days: 85, packages: 4 }),
      withDrug(METFORMIN, aMetformin({ status: "suspended" })),
      (c) => void c.patient.allergies.push({ substance: "Metformin", atcPrefix: null }),
      { lastLongPrescription: null },
      // a "renewal" with nothing on record is judged as a first issue too: an intermediate title passes that
      (c) => void Object.assign(c.prescriber, { title: "intermediate" }),
    );
    const result = validateDraft(ctx);
    expect(result.valid).toBe(false);
    expect(located(result.findings)).toEqual([
      { ruleId: "rx-diagnosis-required", severity: "error", path: "diagnoses" },
      { ruleId: "rx-drug-inactive", severity: "error", itemIndex: 1, path: "items.1.drugCode" },
      { ruleId: "ltrx-max-days", severity: "error", itemIndex: 0, path: "items.0.days" },
      { ruleId: "ltrx-first-issue-missing", severity: "error", path: "longTerm.firstIssue" },
      { ruleId: "safety-allergy", severity: "error", itemIndex: 1, path: "items.1.drugCode" },
    ]);
  });

  it("sorts errors first, then catalogue order, then item order", () => {
    const ctx = aRuleContext(
      addItem(FELODIPINE, { dose: { value: 5, unit: "mg" } }), // safety-duplicate-class (warning) at 2
      withItem(1, { packages: 3 }), // rx-quantity-short (warning) at 1
      withItem(2, { days: 85, packages: 4 }), // ltrx-max-days at 2
      withItem(0, { days: 85, packages: 4 }), // ltrx-max-days at 0
      { lastLongPrescription: null }, // ltrx-first-issue-missing (prescription level)
      (c) => void Object.assign(c.prescriber, { title: "intermediate" }), // …and no first-issue title finding
      (c) => void c.patient.allergies.push({ substance: "二甲双胍", atcPrefix: null }), // safety-allergy at 1
    );
    expect(located(validateDraft(ctx).findings)).toEqual([
      { ruleId: "ltrx-max-days", severity: "error", itemIndex: 0, path: "items.0.days" },
      { ruleId: "ltrx-max-days", severity: "error", itemIndex: 2, path: "items.2.days" },
      { ruleId: "ltrx-first-issue-missing", severity: "error", path: "longTerm.firstIssue" },
      { ruleId: "safety-allergy", severity: "error", itemIndex: 1, path: "items.1.drugCode" },
      { ruleId: "rx-quantity-short", severity: "warning", itemIndex: 1, path: "items.1.packages" },
      { ruleId: "safety-duplicate-class", severity: "warning", itemIndex: 2, path: "items.2.drugCode" },
    ]);
  });

  it("puts a rule's prescription-level findings before its item findings, otherwise keeping its order", () => {
    const rule: Rule = {
      id: "test-order",
      severity: "error",
      source: "测试",
      description: "测试",
      check: () => [
        { itemIndex: 1, message: "b" },
        { message: "p" },
        { itemIndex: 0, message: "a1" },
        { itemIndex: 0, message: "a2" },
      ],
    };
    expect(validateDraft(aRuleContext(), [rule]).findings.map((f) => f.message)).toEqual(["p", "a1", "a2", "b"]);
  });

  it("is valid with warnings only", () => {
    const result = validateDraft(aRuleContext(withItem(0, { packages: 2 })));
    expect(result.valid).toBe(true);
    expect(result.findings.map((f) => f.severity)).toEqual(["warning"]);
  });

  it("runs only the rules it is given", () => {
    const ctx = aRuleContext(withDraft({ diagnoses: [] }), withItem(0, { days: 85, packages: 4 }));
    const only = RULES.filter((r) => r.id === "ltrx-max-days");
    expect(validateDraft(ctx, only).findings.map((f) => f.ruleId)).toEqual(["ltrx-max-days"]);
  });

  it("totals the longest item's days and the packages each item needs, null when not computable", () => {
    const ctx: RuleContext = aRuleContext(
      withItem(0, { days: 30, packages: 2 }),
      addItem(DRUGS.amoxicillin(), { drugCode: "X-404" }),
      addItem(DRUGS.ambroxolSolution(), { dose: { value: 30, unit: "mg" }, frequency: "tid", packages: 1 }),
      addItem(DRUGS.levothyroxine(), { dose: { value: 5, unit: "IU" } }),
    );
    expect(validateDraft(ctx).totals).toEqual({ days: 84, packagesByItem: [2, 4, null, null, null] });
    expect(validateDraft(aRuleContext({}, withDraft({ items: [] }))).totals).toEqual({ days: 0, packagesByItem: [] });
  });
});

describe("the issue's scenarios", () => {
  const ids = (ctx: RuleContext) => validateDraft(ctx).findings.map((f) => f.ruleId);

  it("a village doctor's 12-week metformin + amlodipine renewal for a stable patient is valid", () => {
    expect(validateDraft(aRuleContext()).valid).toBe(true);
  });

  it("the same by a junior doctor as a first issue needs a better qualified prescriber", () => {
    const ctx = aRuleContext(withDraft({ longTerm: { firstIssue: true, assessment: "病情稳定，评估可开具 12 周", patientConfirmed: true } }));
    expect(ctx.prescriber.title).toBe("junior");
    expect(ids(ctx)).toEqual(["ltrx-prescriber-qualification"]);
  });

  it("13 weeks is over the 12-week maximum", () => {
    const ctx = aRuleContext(withItem(0, { days: 91, packages: 4 }), withItem(1, { days: 91, packages: 4 }));
    expect(ids(ctx)).toEqual(["ltrx-max-days", "ltrx-max-days"]);
  });

  it("6 weeks without the patient's confirmation needs the assessment confirmed", () => {
    const unconfirmed = withDraft({ longTerm: { firstIssue: false, assessment: "病情稳定", patientConfirmed: false } });
    const ctx = aRuleContext(withItem(0, { days: 42, packages: 2 }), withItem(1, { days: 42, packages: 2 }), unconfirmed);
    expect(ids(ctx)).toEqual(["ltrx-assessment-required"]);
  });

  it("adding amoxicillin (antimicrobial, unrestricted) is excluded from a long prescription", () => {
    const ctx = aRuleContext(addItem(DRUGS.amoxicillin(), { dose: { value: 0.5, unit: "g" }, frequency: "tid", packages: 21 }));
    expect(ids(ctx)).toEqual(["ltrx-drug-excluded"]);
  });

  it("amlodipine while another institution's amlodipine still covers the date duplicates the ingredient", () => {
    const ctx = aRuleContext((c) => {
      c.activeSupply.push(aSupplyLine({ prescriptionId: "RX-20260820-0007", institutionId: "INST-TOWNSHIP-02", startDate: "2026-08-20", days: 28 }));
    });
    const findings = validateDraft(ctx).findings;
    expect(located(findings)).toEqual([{ ruleId: "safety-duplicate-ingredient", severity: "error", itemIndex: 0, path: "items.0.drugCode" }]);
    expect(findings[0]?.message).toContain("INST-TOWNSHIP-02");
    expect(findings[0]?.message).toContain("RX-20260820-0007");
    expect(findings[0]?.message).toContain("2026-09-16");
  });
});
