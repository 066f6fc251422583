/**
 * Renewals, refills and routes (issue 10; worker/rules/renewal.ts, safety.rules.ts).
 * Baseline: a renewal on 2026-09-01 of the long prescription RX-20260609-0001 (06-09, 84
 * days: its supply covers 06-09 … 08-31 and runs out on 09-01). "N days left" on a date =
 * the days from that date to the day the supply runs out (1 on its last day).
 */
import { describe } from "vitest";
import type { RuleContext } from "../../../worker/rules";
import { anAmlodipine, aSupplyLine, onlyItem, testScenarios, withDraft, withPolicy, withPrescriber } from "./builders";

const onItem = (ruleId: string, i: number, severity: "error" | "warning" = "error") => ({ ruleId, severity, itemIndex: i, path: `items.${i}.drugCode` });
const duplicates = [onItem("safety-duplicate-ingredient", 0), onItem("safety-duplicate-ingredient", 1)];
const on = (writtenAt: string) => withDraft({ writtenAt });
const firstIssue = [
  withDraft({ longTerm: { firstIssue: true, assessment: "住院后重新评估：血压、血糖控制达标，方案调整后稳定", patientConfirmed: true } }),
  withPrescriber({ title: "intermediate" }),
];
const event = (type: "admission" | "new_condition" | "goal_not_met", at: string) => (c: RuleContext) => void c.patient.events.push({ type, at });

describe("a long-prescription renewal and the supply it renews (grace window: policy.refillGraceDays)", () => {
  testScenarios([
    { name: "on the renewed supply's last day (1 day left)", change: on("2026-08-31"), expected: [] },
    { name: "7 days left (08-25): at the national default window", change: on("2026-08-25"), expected: [] },
    { name: "8 days left (08-24): before the window, a duplicate", change: on("2026-08-24"), expected: duplicates },
    { name: "a consortium window of 10 days: 10 days left (08-22)", change: [withPolicy({ refillGraceDays: 10 }), on("2026-08-22")], expected: [] },
    { name: "a consortium window of 10 days: 11 days left (08-21)", change: [withPolicy({ refillGraceDays: 10 }), on("2026-08-21")], expected: duplicates },
    { name: "a window of 0 days: even the last day duplicates", change: [withPolicy({ refillGraceDays: 0 }), on("2026-08-31")], expected: duplicates },
    {
      name: "the window is the renewed prescription's: another institution's amlodipine with 7 days left still counts as a refill only if half used",
      change: [on("2026-08-25"), (c) => void c.activeSupply.push(aSupplyLine({ prescriptionId: "RX-20260820-0007", institutionId: "INST-TOWNSHIP-02", startDate: "2026-08-20", days: 12 }))],
      // 08-20 + 12 days runs out 09-01: 7 days left of 12, fewer than half used
      expected: [onItem("safety-duplicate-ingredient", 0)],
    },
  ]);
});

describe("a first issue that a re-assessment made necessary replaces the supply it re-assesses", () => {
  const admitted = event("admission", "2026-07-01");
  testScenarios([
    { name: "admitted 07-01, re-assessed first issue on 08-01 with 31 days left: no duplicate", change: [admitted, ...firstIssue, on("2026-08-01")], expected: [] },
    {
      name: "no trigger: a first issue on 08-01 is no replacement, a duplicate",
      change: [...firstIssue, on("2026-08-01")],
      expected: duplicates,
    },
    {
      name: "no trigger: a first issue inside the window (08-25) takes over like a renewal",
      change: [...firstIssue, on("2026-08-25")],
      expected: [],
    },
    {
      name: "admitted, but written as a renewal on 08-01: re-assessment due, and the supply is duplicated",
      change: [admitted, on("2026-08-01")],
      expected: [{ ruleId: "ltrx-reassessment-due", severity: "error", path: "longTerm.firstIssue" }, ...duplicates],
    },
    {
      name: "the trigger after the draft's date does not count (admission 08-02, first issue 08-01)",
      change: [event("admission", "2026-08-02"), ...firstIssue, on("2026-08-01")],
      expected: duplicates,
    },
  ]);
});

describe("a normal refill of the same drug a few days early (any prescription)", () => {
  // amlodipine 5 mg qd for 7 days, one box of 28; the baseline's long-prescription supply ended 08-31
  const refill = onlyItem(anAmlodipine(), { days: 7, packages: 1 });
  const earlier = (startDate: string, days: number) => (c: RuleContext) =>
    void c.activeSupply.push(aSupplyLine({ prescriptionId: "RX-EARLIER", institutionId: "INST-TOWNSHIP-02", startDate, days }));
  testScenarios([
    { name: "28-day supply, 7 days left (from 08-11)", change: [refill, earlier("2026-08-11", 28)], expected: [] },
    { name: "28-day supply, 8 days left (from 08-12): a duplicate", change: [refill, earlier("2026-08-12", 28)], expected: [onItem("safety-duplicate-ingredient", 0)] },
    { name: "28-day supply, 1 day left (from 08-05)", change: [refill, earlier("2026-08-05", 28)], expected: [] },
    { name: "7-day supply, 3 days left (from 08-28): more than half used", change: [refill, earlier("2026-08-28", 7)], expected: [] },
    { name: "7-day supply, 4 days left (from 08-29): less than half used, a duplicate", change: [refill, earlier("2026-08-29", 7)], expected: [onItem("safety-duplicate-ingredient", 0)] },
    { name: "written the day the earlier one was (7 of 7 days left): a duplicate", change: [refill, earlier("2026-09-01", 7)], expected: [onItem("safety-duplicate-ingredient", 0)] },
    {
      name: "a consortium window of 3 days: 4 days left of 28 is a duplicate",
      change: [refill, withPolicy({ refillGraceDays: 3 }), earlier("2026-08-08", 28)],
      expected: [onItem("safety-duplicate-ingredient", 0)],
    },
  ]);
});

describe("routes: a locally acting supply or item raises no systemic interaction", () => {
  // simvastatin × amlodipine is a moderate interaction in the baseline table
  const simvastatin = (route: string | null) => (c: RuleContext) =>
    void c.activeSupply.push(
      aSupplyLine({ prescriptionId: "RX-20260820-0007", institutionId: "INST-TOWNSHIP-02", drugCode: "W240-05", genericName: "辛伐他汀", atc: "C10AA01", route, startDate: "2026-08-20", days: 28 }),
    );
  const moderate = [onItem("safety-interaction-moderate", 0, "warning")];
  testScenarios([
    { name: "an oral supply line", change: simvastatin("oral"), expected: moderate },
    { name: "a supply line signed before routes were kept (null): taken as systemic", change: simvastatin(null), expected: moderate },
    { name: "a topical supply line", change: simvastatin("topical"), expected: [] },
    { name: "an ophthalmic supply line", change: simvastatin("ophthalmic"), expected: [] },
    { name: "a transdermal supply line acts systemically", change: simvastatin("transdermal"), expected: moderate },
    {
      name: "the draft item's prescribed route (ophthalmic) wins over its entry's (oral)",
      change: [simvastatin("oral"), (c) => void Object.assign(c.draft.items[0] ?? {}, { route: "ophthalmic" })],
      expected: [],
    },
  ]);
});
