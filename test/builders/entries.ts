import type { EntryInput } from "../../worker/formulary/formulary.schemas";

let serial = 0;

/** A valid entry input (amlodipine-like) with a unique code; override what the test is about. */
export function anEntry(overrides: Partial<Record<keyof EntryInput, unknown>> = {}): Record<string, unknown> {
  serial += 1;
  return {
    code: `T-${Date.now().toString(36)}-${serial}`.toUpperCase(),
    genericName: "氨氯地平",
    innName: "Amlodipine",
    pinyin: "ALDP",
    form: "片剂",
    strength: { value: 5, unit: "mg" },
    pack: { size: 28, unit: "片" },
    route: "oral",
    atc: "C08CA01",
    essential: true,
    longRxEligible: true,
    conditions: ["I10", "I20"],
    minLevel: "village",
    maxDailyDose: { value: 10, unit: "mg" },
    price: 12.5,
    effectiveFrom: "2026-01-01",
    ...overrides,
  };
}
