import { addDays, chinaDate, chinaDayStart, isCalendarDate } from "../lib/clock";

export { chinaDayStart, isCalendarDate };
import { ApiError } from "../errors/problem";

/**
 * A report's period: China dates (UTC+8), both inclusive, and the UTC instants they span.
 * Stored times are ISO strings in UTC (toISOString), so `at >= startAt AND at < endAt`
 * compares as text.
 */
export interface ReportRange {
  from: string;
  to: string;
  /** the first instant of `from` in China, as stored */
  startAt: string;
  /** the first instant after `to` in China (exclusive end) */
  endAt: string;
}

/** One year at a time bounds the work of a report (the turnaround report ranks every duration in range). */
export const MAX_RANGE_DAYS = 366;

function monthEnd(date: string): string {
  const [y, m] = date.split("-").map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

/**
 * The range asked for. Defaults: `to` is the last day of the current China month, `from`
 * the first day of `to`'s month, so no parameters means "this month".
 * from > to, or a range over MAX_RANGE_DAYS: 400 validation-failed.
 */
export function resolveRange(now: Date, from?: string, to?: string): ReportRange {
  const end = to ?? monthEnd(chinaDate(now));
  const start = from ?? `${end.slice(0, 7)}-01`;
  if (start > end) {
    throw new ApiError("validation-failed", "Invalid query", [{ path: "query.from", message: `from (${start}) is after to (${end})` }]);
  }
  if (addDays(start, MAX_RANGE_DAYS) <= end) {
    throw new ApiError("validation-failed", "Invalid query", [{ path: "query.to", message: `a report covers at most ${MAX_RANGE_DAYS} days` }]);
  }
  return { from: start, to: end, startAt: chinaDayStart(start), endAt: chinaDayStart(addDays(end, 1)) };
}

/**
 * The period of a report query: `month` (a China month, YYYY-MM) or `from`/`to` (see
 * resolveRange). Both at once is ambiguous: 400.
 */
export function resolvePeriod(now: Date, q: { month?: string; from?: string; to?: string }): ReportRange {
  if (q.month === undefined) return resolveRange(now, q.from, q.to);
  if (q.from !== undefined || q.to !== undefined) {
    throw new ApiError("validation-failed", "Invalid query", [{ path: "query.month", message: "give either month or from/to, not both" }]);
  }
  return resolveRange(now, `${q.month}-01`, monthEnd(`${q.month}-01`));
}

/**
 * How the rollups cover a range: its whole China months (`months`, first and last, both
 * inclusive; absent when there is none) from the monthly tables, and the days before and
 * after them (`days`, zero to two spans of dates) from the daily ones. A month-aligned
 * range reads only months; a range inside one month only days.
 */
export interface RangeParts {
  months?: { first: string; last: string };
  days: { from: string; to: string }[];
}

export function rangeParts(range: Pick<ReportRange, "from" | "to">): RangeParts {
  const first = range.from.endsWith("-01") ? range.from.slice(0, 7) : addDays(monthEnd(range.from), 1).slice(0, 7);
  const last = range.to === monthEnd(range.to) ? range.to.slice(0, 7) : addDays(`${range.to.slice(0, 7)}-01`, -1).slice(0, 7);
  if (first > last) return { days: [{ from: range.from, to: range.to }] };
  const days: RangeParts["days"] = [];
  if (range.from < `${first}-01`) days.push({ from: range.from, to: addDays(`${first}-01`, -1) });
  if (range.to > monthEnd(`${last}-01`)) days.push({ from: addDays(monthEnd(`${last}-01`), 1), to: range.to });
  return { months: { first, last }, days };
}

/** Every month ("YYYY-MM") the range touches, in order. */
export function monthsOf(range: Pick<ReportRange, "from" | "to">): string[] {
  const out: string[] = [];
  let [y, m] = range.from.split("-").map(Number) as [number, number];
  const last = range.to.slice(0, 7);
  for (;;) {
    const key = `${y}-${String(m).padStart(2, "0")}`;
    out.push(key);
    if (key >= last) return out;
    m++;
    if (m > 12) {
      m = 1;
      y++;
    }
  }
}
