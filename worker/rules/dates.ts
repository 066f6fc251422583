/**
 * Calendar arithmetic on ISO dates. Prescriptions count whole days, so dates become day
 * numbers (days since 1970-01-01, UTC) and time zones never enter.
 */

const DAY_MS = 86_400_000;

/** The date part of an ISO date or date-time: the engine reasons in calendar days. */
export function datePart(isoDateOrDateTime: string): string {
  return isoDateOrDateTime.slice(0, 10);
}

/** Day number of an ISO date (NaN when it is not one, so every comparison is false). */
export function dayNumber(isoDate: string): number {
  const y = Number(isoDate.slice(0, 4));
  const m = Number(isoDate.slice(5, 7));
  const d = Number(isoDate.slice(8, 10));
  return Date.UTC(y, m - 1, d) / DAY_MS;
}

export function isoDateOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** A supply of `days` days starting on `startDate` covers days start … start + days − 1. */
export function covers(startDate: string, days: number, date: string): boolean {
  const start = dayNumber(startDate);
  const d = dayNumber(date);
  return start <= d && d < start + days;
}

/**
 * Whether `a` happened after `b`. Two date-times compare as instants; when either is a bare
 * date the dates compare, and the same day does not count as after: a bare date does not say
 * which came first, and the record of that day was already in front of the last prescriber.
 */
export function happenedAfter(a: string, b: string): boolean {
  if (a.length > 10 && b.length > 10) {
    const ta = Date.parse(a);
    const tb = Date.parse(b);
    if (!Number.isNaN(ta) && !Number.isNaN(tb)) return ta > tb;
  }
  return datePart(a) > datePart(b);
}
