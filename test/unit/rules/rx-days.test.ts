import { describe } from "vitest";
import type { PrescriptionKind, RuleContext } from "../../../worker/rules";
import { testScenarios, withItem, withDraft } from "./builders";

/**
 * Both baseline items for `days`, with exactly enough packages: amlodipine 1 a day from
 * boxes of 28, metformin 2 a day from boxes of 48.
 */
function forDays(days: number, kind?: PrescriptionKind): (c: RuleContext) => void {
  return (c) => {
    if (kind) c.draft.kind = kind;
    if (kind && kind !== "long_term") c.draft.longTerm = undefined;
    withItem(0, { days, packages: Math.ceil(days / 28) })(c);
    withItem(1, { days, packages: Math.ceil((2 * days) / 48) })(c);
  };
}
const reason = (text: string) => withDraft({ extendedReason: text });

const both = (ruleId: string, field = "days") =>
  [0, 1].map((i) => ({ ruleId, severity: "error" as const, itemIndex: i, path: `items.${i}.${field}` }));

describe("rx-days-emergency", () => {
  testScenarios([
    { name: "3 days", change: forDays(3, "emergency"), expected: [] },
    { name: "4 days", change: forDays(4, "emergency"), expected: both("rx-days-emergency") },
    {
      name: "only the item over 3 days",
      change: [forDays(3, "emergency"), withItem(1, { days: 4 })],
      expected: [{ ruleId: "rx-days-emergency", severity: "error", itemIndex: 1, path: "items.1.days" }],
    },
    { name: "a recorded reason does not lift the emergency limit", change: [forDays(4, "emergency"), reason("患者行动不便")], expected: both("rx-days-emergency") },
  ]);
});

describe("rx-days-reason", () => {
  const noReason = { ruleId: "rx-days-reason", severity: "error", path: "extendedReason" } as const;
  testScenarios([
    { name: "7 days without a reason", change: forDays(7, "normal"), expected: [] },
    { name: "8 days without a reason", change: forDays(8, "normal"), expected: [noReason] },
    { name: "8 days with a blank reason", change: [forDays(8, "normal"), reason("   ")], expected: [noReason] },
    { name: "8 days with a reason", change: [forDays(8, "normal"), reason("慢性病，行动不便复诊困难")], expected: [] },
    { name: "prescription days are the longest item's", change: [forDays(7, "normal"), withItem(1, { days: 8 })], expected: [noReason] },
  ]);
});

describe("rx-days-normal-max", () => {
  const why = reason("慢性病稳定期");
  testScenarios([
    { name: "28 days with a reason", change: [forDays(28, "normal"), why], expected: [] },
    { name: "29 days with a reason", change: [forDays(29, "normal"), why], expected: both("rx-days-normal-max") },
    {
      name: "29 days without a reason breaks both rules",
      change: forDays(29, "normal"),
      expected: [...both("rx-days-normal-max"), { ruleId: "rx-days-reason", severity: "error", path: "extendedReason" }],
    },
    { name: "a long prescription is not held to normal limits", change: forDays(28), expected: [] },
  ]);
});

describe("ltrx-max-days", () => {
  testScenarios([
    { name: "84 days", change: forDays(84), expected: [] },
    { name: "85 days", change: forDays(85), expected: both("ltrx-max-days") },
    { name: "85 days on one item", change: [withItem(1, { days: 85 })], expected: [{ ruleId: "ltrx-max-days", severity: "error", itemIndex: 1, path: "items.1.days" }] },
  ]);
});

describe("ltrx-assessment-required", () => {
  const unconfirmed = (c: RuleContext) => {
    if (c.draft.longTerm) c.draft.longTerm.patientConfirmed = false;
  };
  const blankAssessment = (c: RuleContext) => {
    if (c.draft.longTerm) c.draft.longTerm.assessment = " ";
  };
  const noLongTerm = withDraft({ longTerm: undefined });
  const required = (path: string) => ({ ruleId: "ltrx-assessment-required", severity: "error" as const, path });
  // Without longTerm the draft counts as a first issue, which this junior doctor may not write.
  const qualification = { ruleId: "ltrx-prescriber-qualification", severity: "error" } as const;
  testScenarios([
    { name: "28 days, not confirmed", change: [forDays(28), unconfirmed], expected: [] },
    { name: "29 days, not confirmed", change: [forDays(29), unconfirmed], expected: [required("longTerm.patientConfirmed")] },
    { name: "6 weeks, not confirmed", change: [forDays(42), unconfirmed], expected: [required("longTerm.patientConfirmed")] },
    { name: "12 weeks, blank assessment", change: blankAssessment, expected: [required("longTerm.assessment")] },
    { name: "12 weeks, neither", change: [blankAssessment, unconfirmed], expected: [required("longTerm.assessment")] },
    { name: "12 weeks, no longTerm at all", change: noLongTerm, expected: [required("longTerm"), qualification] },
    // a first issue needs the assessment and confirmation whatever its days (issue 10)
    { name: "4 weeks, no longTerm at all", change: [forDays(28), noLongTerm], expected: [required("longTerm"), qualification] },
  ]);
});
