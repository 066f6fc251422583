import { describe } from "vitest";
import type { RuleContext, RuleDrug, Title } from "../../../worker/rules";
import { aMetformin, AMLODIPINE, anAmlodipine, addItem, DRUGS, METFORMIN, testScenarios, withDraft, withDrug, withItem, withPatient, withPrescriber } from "./builders";

/** The baseline's long-term details, marked as a first issue. */
const asFirstIssue = withDraft({ longTerm: { firstIssue: true, assessment: "病情稳定，评估可开具 12 周", patientConfirmed: true } });
const onItem = (ruleId: string, i: number) => ({ ruleId, severity: "error" as const, itemIndex: i, path: `items.${i}.drugCode` });

describe("ltrx-drug-excluded and ltrx-drug-not-listed", () => {
  const amoxicillin = addItem(DRUGS.amoxicillin(), { dose: { value: 0.5, unit: "g" }, frequency: "tid", packages: 21 });
  const tb = (c: RuleContext) => void c.patient.conditions.push({ icd10: "A15.0", chronic: true, stable: true, diagnosedAt: "2026-04-01" });
  const isoniazid: RuleDrug = anAmlodipine({
    code: "W060-01",
    genericName: "异烟肼",
    innName: "Isoniazid",
    strength: { value: 100, unit: "mg" },
    pack: { size: 100, unit: "片" },
    atc: "J04AC01",
    antimicrobial: "unrestricted",
    antiTb: true,
    conditions: ["A15", "A16"],
    maxDailyDose: { value: 300, unit: "mg" },
  });
  testScenarios([
    { name: "an unrestricted antimicrobial", change: amoxicillin, expected: [onItem("ltrx-drug-excluded", 2)] },
    { name: "an anti-TB antimicrobial for a patient with TB", change: [tb, addItem(isoniazid, { dose: { value: 300, unit: "mg" } , packages: 3 })], expected: [] },
    { name: "cold-chain storage", change: withDrug(METFORMIN, aMetformin({ storage: "cold_chain" })), expected: [onItem("ltrx-drug-excluded", 1)] },
    { name: "a medical toxic drug", change: withDrug(METFORMIN, aMetformin({ controlClass: "toxic" })), expected: [onItem("ltrx-drug-excluded", 1)] },
    { name: "a precursor chemical", change: withDrug(METFORMIN, aMetformin({ controlClass: "precursor" })), expected: [onItem("ltrx-drug-excluded", 1)] },
    { name: "excluded and unlisted: reported as excluded only", change: withDrug(METFORMIN, aMetformin({ controlClass: "radioactive", longRxEligible: false })), expected: [onItem("ltrx-drug-excluded", 1)] },
    { name: "not marked eligible", change: withDrug(AMLODIPINE, anAmlodipine({ longRxEligible: false })), expected: [onItem("ltrx-drug-not-listed", 0)] },
    {
      name: "a normal prescription may hold what a long one may not",
      change: (c) => {
        c.draft.kind = "normal";
        c.draft.longTerm = undefined;
        c.draft.extendedReason = "慢性病";
        for (const item of c.draft.items) Object.assign(item, { days: 7, packages: 1 });
        c.formulary[METFORMIN] = { drug: aMetformin({ storage: "cold_chain", longRxEligible: false }), inEffect: true, version: 1 };
      },
      expected: [],
    },
  ]);
});

describe("ltrx-condition-required and ltrx-condition-unstable", () => {
  const conditions = (list: RuleContext["patient"]["conditions"]) => withPatient({ conditions: list });
  const chronic = (icd10: string, stable = true) => ({ icd10, chronic: true, stable, diagnosedAt: "2019-01-01" });
  const diabetes = chronic("E11.9");
  testScenarios([
    { name: "no hypertension on record", change: conditions([diabetes]), expected: [onItem("ltrx-condition-required", 0)] },
    { name: "hypertension recorded as not chronic", change: conditions([diabetes, { ...chronic("I10"), chronic: false }]), expected: [onItem("ltrx-condition-required", 0)] },
    { name: "E11.9 matches E11; I25.1 matches I25", change: conditions([diabetes, chronic("I25.1")]), expected: [] },
    { name: "codes without dots match too", change: conditions([chronic("E119"), chronic("I10")]), expected: [] },
    {
      name: "a dotted prefix (E11.2) does not match E11.9",
      change: [withDrug(METFORMIN, aMetformin({ conditions: ["E11.2"] }))],
      expected: [onItem("ltrx-condition-required", 1)],
    },
    { name: "hypertension not stable", change: conditions([diabetes, chronic("I10", false)]), expected: [onItem("ltrx-condition-unstable", 0)] },
    // per item (issue 10): the amlodipine is written for the draft's I10, so a stable I20 on record does not make up for it
    {
      name: "per item: the diagnosed I10 is unstable, a stable I20 on record does not make up for it",
      change: conditions([diabetes, chronic("I10", false), chronic("I20")]),
      expected: [onItem("ltrx-condition-unstable", 0)],
    },
    {
      name: "an unlisted drug is not also judged on conditions",
      change: [conditions([diabetes]), withDrug(AMLODIPINE, anAmlodipine({ longRxEligible: false }))],
      expected: [onItem("ltrx-drug-not-listed", 0)],
    },
  ]);
});

describe("ltrx-prescriber-qualification", () => {
  const qualification = [{ ruleId: "ltrx-prescriber-qualification", severity: "error" as const }];
  // per item (issue 10): the specialty is judged against the diagnosis each item's drug treats
  const specialty = (...items: number[]) => items.map((i) => onItem("ltrx-prescriber-qualification", i));
  const doctor = (title: Title, level: RuleContext["prescriber"]["institutionLevel"], specialties: string[]) => (c: RuleContext) => {
    Object.assign(c.prescriber, { title, institutionLevel: level, specialties });
  };
  const firstIssue = asFirstIssue;
  testScenarios([
    { name: "renewal: junior village doctor", change: doctor("junior", "village", ["general_practice"]), expected: [] },
    { name: "renewal: junior primary doctor of any specialty", change: doctor("junior", "primary", ["pediatrics"]), expected: [] },
    { name: "renewal: junior internist at a secondary hospital (related to I10 and E11)", change: doctor("junior", "secondary", ["internal_medicine"]), expected: [] },
    { name: "renewal: junior cardiologist at a secondary hospital: the amlodipine, not the metformin", change: doctor("junior", "secondary", ["cardiology"]), expected: specialty(1) },
    { name: "renewal: endocrinologist at a tertiary hospital: the metformin, not the amlodipine", change: doctor("senior", "tertiary", ["endocrinology"]), expected: specialty(0) },
    { name: "renewal: cardiologist and endocrinologist at a tertiary hospital", change: doctor("senior", "tertiary", ["cardiology", "endocrinology"]), expected: [] },
    { name: "renewal: ophthalmologist at a secondary hospital", change: doctor("senior", "secondary", ["ophthalmology"]), expected: specialty(0, 1) },
    { name: "first issue: junior village doctor", change: [firstIssue, doctor("junior", "village", ["general_practice"])], expected: qualification },
    { name: "first issue: intermediate village doctor", change: [firstIssue, doctor("intermediate", "village", ["general_practice"])], expected: [] },
    { name: "first issue: associate senior, primary level, unrelated specialty", change: [firstIssue, doctor("associate_senior", "primary", ["dermatology"])], expected: [] },
    { name: "first issue: intermediate cardiologist, secondary: the metformin is not cardiology's", change: [firstIssue, doctor("intermediate", "secondary", ["cardiology"])], expected: specialty(1) },
    {
      name: "first issue: intermediate cardiologist, secondary, amlodipine only",
      change: [firstIssue, doctor("intermediate", "secondary", ["cardiology"]), (c) => void c.draft.items.splice(1, 1)],
      expected: [],
    },
    { name: "first issue: intermediate ophthalmologist, secondary", change: [firstIssue, doctor("intermediate", "secondary", ["ophthalmology"])], expected: specialty(0, 1) },
    { name: "first issue: junior cardiologist, tertiary: the title, and the metformin", change: [firstIssue, doctor("junior", "tertiary", ["cardiology"])], expected: [...qualification, ...specialty(1)] },
    {
      name: "related specialty follows the draft's diagnoses, not the patient's",
      change: [doctor("senior", "tertiary", ["endocrinology"]), withDraft({ diagnoses: [{ icd10: "I10" }] })],
      // the amlodipine's I10 is not endocrinology's; the metformin treats no diagnosis of this draft
      expected: specialty(0, 1),
    },
  ]);
});

describe("ltrx-reassessment-due", () => {
  const event = (type: "admission" | "new_condition" | "goal_not_met", at: string) => (c: RuleContext) => void c.patient.events.push({ type, at });
  const due = [{ ruleId: "ltrx-reassessment-due", severity: "error" as const, path: "longTerm.firstIssue" }];
  const asFirstIssueByIntermediate = [asFirstIssue, withPrescriber({ title: "intermediate" })];
  testScenarios([
    { name: "admitted since the last long prescription", change: event("admission", "2026-07-01"), expected: due },
    { name: "a new condition", change: event("new_condition", "2026-08-20T08:00:00+08:00"), expected: due },
    { name: "goals not met on the prescription date", change: event("goal_not_met", "2026-09-01"), expected: due },
    { name: "an event the day after this prescription", change: event("admission", "2026-09-02"), expected: [] },
    { name: "a bare date on the last prescription's day is not after it", change: event("admission", "2026-06-09"), expected: [] },
    { name: "a time later that same day is", change: event("admission", "2026-06-09T15:00:00+08:00"), expected: due },
    { name: "before the last long prescription", change: event("admission", "2026-06-01"), expected: [] },
    { name: "written as a first issue, the re-assessment is done", change: [event("admission", "2026-07-01"), ...asFirstIssueByIntermediate], expected: [] },
  ]);
});

describe("ltrx-first-issue-missing", () => {
  const noHistory = { lastLongPrescription: null };
  testScenarios([
    {
      name: "a renewal with no earlier long prescription (for the same condition and drugs): the junior doctor is judged as for a first issue too",
      change: noHistory,
      expected: [
        { ruleId: "ltrx-first-issue-missing", severity: "error", path: "longTerm.firstIssue" },
        { ruleId: "ltrx-prescriber-qualification", severity: "error" },
      ],
    },
    {
      name: "a first issue needs none",
      change: [noHistory, asFirstIssue, withPrescriber({ title: "intermediate" })],
      expected: [],
    },
    {
      name: "not a long prescription",
      change: [noHistory, withDraft({ kind: "normal", extendedReason: "慢性病" }), withItem(0, { days: 7, packages: 1 }), withItem(1, { days: 7, packages: 1 })],
      expected: [],
    },
  ]);
});
