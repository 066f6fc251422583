import { describe, expect, it } from "vitest";
import { ageInYears, chinaDateOf, happenedAfter, instantOf } from "../../../worker/rules/dates";
import type { RuleContext } from "../../../worker/rules";
import { aSupplyLine, testScenarios, withDraft } from "./builders";

describe("dates.ts: China time (UTC+8)", () => {
  it.each([
    ["2026-10-12", "2026-10-12"],
    ["2026-10-12T23:30:00+08:00", "2026-10-12"],
    ["2026-10-12T15:30:00Z", "2026-10-12"],
    ["2026-10-12T15:59:59.999Z", "2026-10-12"],
    ["2026-10-12T16:00:00Z", "2026-10-13"],
    ["2026-10-12T16:00:00.000Z", "2026-10-13"],
    ["2026-10-12T23:30:00", "2026-10-12"],
    ["2026-10-13T00:10", "2026-10-13"],
    ["2026-10-12T12:00:00-05:00", "2026-10-13"],
    ["2026-12-31T16:00:00Z", "2027-01-01"],
  ])("the China date of %s is %s", (input, date) => {
    expect(chinaDateOf(input)).toBe(date);
  });

  it("reads an offset-less date-time as China time", () => {
    expect(instantOf("2026-10-12T23:30:00")).toBe(Date.parse("2026-10-12T15:30:00Z"));
    expect(instantOf("2026-10-12T23:30:00+08:00")).toBe(Date.parse("2026-10-12T15:30:00Z"));
    expect(instantOf("2026-10-12")).toBeNaN();
  });

  it.each([
    // an admission at 2026-10-12T23:30+08:00 = 2026-10-12T15:30Z
    ["2026-10-12T23:30:00+08:00", "2026-10-12T15:00:00Z", true],
    ["2026-10-12T23:30:00+08:00", "2026-10-12T15:30:00Z", false],
    ["2026-10-12T23:30:00+08:00", "2026-10-12T23:00:00", true],
    ["2026-10-12T23:30:00", "2026-10-12T15:45:00Z", false],
    // a bare date against a date-time: China dates, the same day is not after
    ["2026-10-13", "2026-10-12T16:30:00Z", false],
    ["2026-10-13", "2026-10-12T15:30:00Z", true],
    ["2026-10-12T16:30:00Z", "2026-10-12", true],
    ["2026-10-12T15:30:00Z", "2026-10-12", false],
    ["2026-10-12", "2026-10-12", false],
  ] as const)("%s happened after %s: %s", (a, b, after) => {
    expect(happenedAfter(a, b)).toBe(after);
  });

  it.each([
    ["1956-03-14", "2026-03-13", 69],
    ["1956-03-14", "2026-03-14", 70],
    ["2008-02-29", "2026-02-28", 17],
    ["2008-02-29", "2026-03-01", 18],
    ["2008-02-29", "2028-02-29", 20],
    ["2026-09-01", "2026-09-01", 0],
  ])("born %s, on %s: %i", (birth, date, age) => {
    expect(ageInYears(birth, date)).toBe(age);
  });

  it("has no age for a date it cannot read", () => {
    expect(ageInYears("unknown", "2026-09-01")).toBeNaN();
  });
});

describe("the prescription date is the China date of writtenAt (active supply)", () => {
  /**
   * Another doctor's amlodipine covering 2026-08-04 … 2026-08-31 as the only supply, with no
   * refill grace window (renewal.ts): on its last day it would otherwise count as refilled, and
   * the renewed prescription's own lines (also ending 08-31) as taken over, not duplicated.
   */
  const otherAmlodipine = (c: RuleContext) => {
    c.activeSupply = [aSupplyLine({ prescriptionId: "RX-20260804-0003", institutionId: "INST-TOWNSHIP-02", startDate: "2026-08-04", days: 28 })];
    c.policy.refillGraceDays = 0;
  };
  const duplicate = [{ ruleId: "safety-duplicate-ingredient", severity: "error", itemIndex: 0, path: "items.0.drugCode" }] as const;
  testScenarios([
    { name: "2026-08-31T16:30Z is 09-01 in Beijing: the supply has ended", change: [otherAmlodipine, withDraft({ writtenAt: "2026-08-31T16:30:00Z" })], expected: [] },
    { name: "2026-08-31T15:59:59Z is 08-31 in Beijing: still covered", change: [otherAmlodipine, withDraft({ writtenAt: "2026-08-31T15:59:59Z" })], expected: [...duplicate] },
    { name: "2026-09-01T00:30 without an offset is China time", change: [otherAmlodipine, withDraft({ writtenAt: "2026-09-01T00:30:00" })], expected: [] },
    { name: "2026-08-31T23:30 without an offset is still 08-31", change: [otherAmlodipine, withDraft({ writtenAt: "2026-08-31T23:30:00" })], expected: [...duplicate] },
  ]);
});

describe("ltrx-reassessment-due in China dates", () => {
  const due = [{ ruleId: "ltrx-reassessment-due", severity: "error", path: "longTerm.firstIssue" }] as const;
  /** The last long prescription, as signing stores it: an instant in UTC. 2026-06-09T16:30Z is 06-10 00:30 in Beijing. */
  const lastAt = (writtenAt: string) => (c: RuleContext) => {
    if (c.lastLongPrescription) c.lastLongPrescription.writtenAt = writtenAt;
  };
  const admitted = (at: string) => (c: RuleContext) => void c.patient.events.push({ type: "admission", at });
  const signedAt = lastAt("2026-06-09T16:30:00.000Z");
  testScenarios([
    { name: "admitted 06-10 (a date), the day of the last long prescription in Beijing: not after", change: [signedAt, admitted("2026-06-10")], expected: [] },
    { name: "admitted 06-11 (a date): after", change: [signedAt, admitted("2026-06-11")], expected: [...due] },
    { name: "admitted 2026-06-10T00:20 (China, no offset): before the prescription at 00:30", change: [signedAt, admitted("2026-06-10T00:20:00")], expected: [] },
    { name: "admitted 2026-06-10T00:40+08:00: after", change: [signedAt, admitted("2026-06-10T00:40:00+08:00")], expected: [...due] },
    {
      name: "an admission at 2026-10-12T23:30+08:00 (15:30Z) after a prescription signed 10-12 at 23:00 China time",
      change: [lastAt("2026-10-12T15:00:00Z"), admitted("2026-10-12T23:30:00+08:00"), withDraft({ writtenAt: "2026-10-13T09:00:00+08:00" })],
      expected: [...due],
    },
    {
      name: "the same admission after a prescription recorded only as 2026-10-12: same day, not after",
      change: [lastAt("2026-10-12"), admitted("2026-10-12T23:30:00+08:00"), withDraft({ writtenAt: "2026-10-13T09:00:00+08:00" })],
      expected: [],
    },
    {
      name: "the same admission, prescription written 10-12 in Beijing (a date-time): counts only up to the prescription date",
      change: [lastAt("2026-10-01T02:00:00Z"), admitted("2026-10-12T23:30:00+08:00"), withDraft({ writtenAt: "2026-10-12T15:20:00Z" })],
      expected: [...due],
    },
    {
      name: "an admission at 2026-09-01T16:30Z is 09-02 in Beijing: after this prescription's date",
      change: [admitted("2026-09-01T16:30:00Z")],
      expected: [],
    },
    { name: "an admission at 2026-09-01T15:30Z is 09-01 23:30 in Beijing: counts", change: [admitted("2026-09-01T15:30:00Z")], expected: [...due] },
  ]);
});
