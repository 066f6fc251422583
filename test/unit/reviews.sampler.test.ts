import { describe, expect, it } from "vitest";
import { RULES } from "../../worker/rules/catalogue";
import { drawSample, monthSpan, newSeed, sampleSizeFor } from "../../worker/reviews/sampler";
import { normaliseProblems, outcomeOf, RULE_SUGGESTIONS, STANDARD_ITEMS, suggestedItems } from "../../worker/reviews/standard-items";

/** Deterministic, distinct seeds: the test cannot fail by chance on one run and pass on the next. */
const seedNo = (i: number) => (i * 2654435761).toString(16).padStart(32, "0");
const population = (n: number) => Array.from({ length: n }, (_, i) => `rx_${String(i).padStart(4, "0")}`);

describe("the review sampler", () => {
  it("is reproducible from its seed, whatever order the population comes in", () => {
    const seed = newSeed();
    const ids = population(500);
    const shuffled = [...ids].reverse();
    expect(drawSample(shuffled, 100, seed)).toEqual(drawSample(ids, 100, seed));
    expect(drawSample(ids, 100, newSeed())).not.toEqual(drawSample(ids, 100, seed));
  });

  it("honours the size, never repeats a prescription and takes all of a small population", () => {
    const seed = newSeed();
    const picked = drawSample(population(1000), 100, seed);
    expect(picked).toHaveLength(100);
    expect(new Set(picked).size).toBe(100);
    expect(drawSample(population(12), 100, seed).sort()).toEqual(population(12));
    expect(drawSample([], 100, seed)).toEqual([]);
  });

  it("can draw every prescription, each about equally often", () => {
    const ids = population(20);
    const counts = new Map(ids.map((id) => [id, 0]));
    const draws = 4000;
    for (let i = 0; i < draws; i++) for (const id of drawSample(ids, 5, seedNo(i))) counts.set(id, (counts.get(id) ?? 0) + 1);
    // expected 1000 each (4000 × 5 ÷ 20); a binomial sd of ~27, so ±150 fails only for a broken sampler
    for (const n of counts.values()) {
      expect(n).toBeGreaterThan(850);
      expect(n).toBeLessThan(1150);
    }
  });

  it("asks for at least the setting and at least 1‰, never more than the population", () => {
    expect(sampleSizeFor(100, 40)).toEqual({ asked: 100, drawn: 40 });
    expect(sampleSizeFor(100, 5000)).toEqual({ asked: 100, drawn: 100 });
    expect(sampleSizeFor(100, 250_001)).toEqual({ asked: 251, drawn: 251 });
  });

  it("refuses a malformed seed", () => {
    expect(() => drawSample(population(3), 1, "not-a-seed")).toThrow();
  });

  it("spans a China month in UTC", () => {
    expect(monthSpan("2026-12")).toEqual({ startAt: "2026-11-30T16:00:00.000Z", endAt: "2026-12-31T16:00:00.000Z" });
    expect(monthSpan("2026-01")).toEqual({ startAt: "2025-12-31T16:00:00.000Z", endAt: "2026-01-31T16:00:00.000Z" });
  });
});

describe("the standard items", () => {
  it("has 15 不规范, 9 用药不适宜, 4 超常 items with unique codes", () => {
    const count = (c: string) => STANDARD_ITEMS.filter((i) => i.category === c).length;
    expect([count("non_standard"), count("inappropriate"), count("abnormal")]).toEqual([15, 9, 4]);
    expect(new Set(STANDARD_ITEMS.map((i) => i.code)).size).toBe(28);
  });

  it("maps every rule of the engine's catalogue, and only those", () => {
    expect(Object.keys(RULE_SUGGESTIONS).sort()).toEqual(RULES.map((r) => r.id).sort());
  });

  it("takes the gravest category as the outcome", () => {
    expect(outcomeOf([])).toBe("rational");
    expect(outcomeOf(["ns-01", "ns-12"])).toBe("non_standard");
    expect(outcomeOf(["ns-01", "ia-07"])).toBe("inappropriate");
    expect(outcomeOf(["ab-02", "ia-07", "ns-03"])).toBe("abnormal");
  });

  it("keeps problems in table order, once each, and suggests from findings", () => {
    expect(normaliseProblems(["ab-04", "ns-07", "ns-07", "zz-99"])).toEqual(["ns-07", "ab-04"]);
    expect(suggestedItems([{ ruleId: "safety-duplicate-class" }, { ruleId: "rx-quantity-short" }, { ruleId: "population-renal-stale" }, { ruleId: "unknown" }])).toEqual(["ns-07", "ab-04"]);
  });
});
