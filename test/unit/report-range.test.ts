/**
 * rangeParts (worker/reports/report-range.ts): the whole months and the loose days of a
 * report's period cover every day of it exactly once, and months are used wherever a whole
 * month lies inside it.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addDays } from "../../worker/lib/clock";
import { rangeParts } from "../../worker/reports/report-range";

function daysOf(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

/** Every date of the China month "YYYY-MM". */
function monthDays(month: string): string[] {
  return daysOf(`${month}-01`, addDays(`${month}-01`, 30)).filter((d) => d.startsWith(month));
}

const date = fc.integer({ min: 0, max: 800 }).map((n) => addDays("2025-11-15", n));

describe("rangeParts", () => {
  it("splits a range into its whole months and the days around them", () => {
    expect(rangeParts({ from: "2026-06-01", to: "2026-06-30" })).toEqual({ months: { first: "2026-06", last: "2026-06" }, days: [] });
    expect(rangeParts({ from: "2026-06-02", to: "2026-06-30" })).toEqual({ days: [{ from: "2026-06-02", to: "2026-06-30" }] });
    expect(rangeParts({ from: "2026-03-15", to: "2026-05-10" })).toEqual({
      months: { first: "2026-04", last: "2026-04" },
      days: [
        { from: "2026-03-15", to: "2026-03-31" },
        { from: "2026-05-01", to: "2026-05-10" },
      ],
    });
    expect(rangeParts({ from: "2025-12-01", to: "2026-02-28" })).toEqual({ months: { first: "2025-12", last: "2026-02" }, days: [] });
    expect(rangeParts({ from: "2028-02-01", to: "2028-02-28" })).toEqual({ days: [{ from: "2028-02-01", to: "2028-02-28" }] });
    expect(rangeParts({ from: "2026-12-31", to: "2027-01-01" })).toEqual({ days: [{ from: "2026-12-31", to: "2027-01-01" }] });
  });

  it("covers every day of any range exactly once, with every whole month as a month", () => {
    fc.assert(
      fc.property(date, date, (a, b) => {
        const [from, to] = a <= b ? [a, b] : [b, a];
        const parts = rangeParts({ from, to });
        const covered = parts.days.flatMap((d) => daysOf(d.from, d.to));
        const { months } = parts;
        if (months) covered.push(...daysOf(`${months.first}-01`, monthDays(months.last).at(-1)!));
        expect(covered.sort()).toEqual(daysOf(from, to));
        // no loose day belongs to a month that lies wholly inside the range
        for (const d of parts.days.flatMap((p) => daysOf(p.from, p.to))) {
          const month = monthDays(d.slice(0, 7));
          expect(month[0]! >= from && month.at(-1)! <= to, `${d} of ${from}..${to}`).toBe(false);
        }
      }),
      { numRuns: 500 },
    );
  });
});
