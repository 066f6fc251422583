/**
 * Calendar arithmetic on ISO dates. Prescriptions count whole days, so dates become day
 * numbers (days since 1970-01-01, UTC) and time zones never enter the arithmetic.
 *
 * Stored instants do carry a zone, and the consortium lives in China Standard Time (UTC+8,
 * no daylight saving): a prescription signed at 2026-10-12T16:30Z was written on
 * 2026-10-13 in the clinic. So every date taken from a date-time is its China date, and a
 * date-time written without an offset is China time, never UTC (the runtime's own zone).
 */

const DAY_MS = 86_400_000;
const CHINA_OFFSET = "+08:00";
const CHINA_OFFSET_MS = 8 * 3_600_000;
const BARE_DATE = /^\d{4}-\d{2}-\d{2}$/;
const HAS_OFFSET = /(Z|[+-]\d{2}:?\d{2})$/i;

/** The instant of a date-time (ms since the epoch), an offset-less one read as China time; NaN for a bare date. */
export function instantOf(dateTime: string): number {
  if (BARE_DATE.test(dateTime)) return Number.NaN;
  return Date.parse(HAS_OFFSET.test(dateTime) ? dateTime : `${dateTime}${CHINA_OFFSET}`);
}

/**
 * The China date (YYYY-MM-DD) of an ISO date or date-time: a bare date is itself, a
 * date-time with an offset is converted to UTC+8, one without is already China time.
 * Anything unparseable keeps its first ten characters, which then compare as they are.
 */
export function chinaDateOf(isoDateOrDateTime: string): string {
  const s = isoDateOrDateTime.trim();
  if (BARE_DATE.test(s) || !HAS_OFFSET.test(s)) return s.slice(0, 10);
  const t = Date.parse(s);
  return Number.isNaN(t) ? s.slice(0, 10) : new Date(t + CHINA_OFFSET_MS).toISOString().slice(0, 10);
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
 * date the China dates compare, and the same day does not count as after: a bare date does
 * not say which came first, and the record of that day was already in front of the last
 * prescriber.
 */
export function happenedAfter(a: string, b: string): boolean {
  const ta = instantOf(a);
  const tb = instantOf(b);
  if (!Number.isNaN(ta) && !Number.isNaN(tb)) return ta > tb;
  return chinaDateOf(a) > chinaDateOf(b);
}

/**
 * Age in whole years on `date` (both YYYY-MM-DD): a year is complete on the birthday, and
 * someone born on 29 February completes it on 1 March in a common year. NaN when either
 * date is not one.
 */
export function ageInYears(birthDate: string, date: string): number {
  const years = Number(date.slice(0, 4)) - Number(birthDate.slice(0, 4));
  if (Number.isNaN(dayNumber(birthDate)) || Number.isNaN(dayNumber(date))) return Number.NaN;
  return date.slice(5, 10) < birthDate.slice(5, 10) ? years - 1 : years;
}

/**
 * Age on `date` (both YYYY-MM-DD) in whole completed years, months and days, each counted
 * from the birth date (not remainders: 14 months is { years: 1, months: 14 }). A month is
 * complete on the day of the month of birth, or on the 1st of the next month when the month
 * is shorter (born 31 January: one month old on 1 March); so a year is complete exactly as
 * in ageInYears. NaN fields when either date is not one.
 */
export function ageParts(birthDate: string, date: string): { years: number; months: number; days: number } {
  const days = dayNumber(date) - dayNumber(birthDate);
  const months =
    (Number(date.slice(0, 4)) - Number(birthDate.slice(0, 4))) * 12 +
    (Number(date.slice(5, 7)) - Number(birthDate.slice(5, 7))) -
    (Number(date.slice(8, 10)) < Number(birthDate.slice(8, 10)) ? 1 : 0);
  if (Number.isNaN(days)) return { years: Number.NaN, months: Number.NaN, days: Number.NaN };
  return { years: Math.floor(months / 12), months, days };
}

/**
 * The age a prescription states: 处方管理办法第六条（五） asks for the 实足年龄 (whole
 * years), and for 新生儿、婴幼儿 the age in days or months. Used by the printed prescription
 * and by the population rules' messages, so the paper and the findings say the same thing:
 * whole years from one year on ("68岁"), else whole months ("8月"), else days ("20天").
 * Both dates YYYY-MM-DD (China dates); "" when either is not a date.
 */
export function ageText(birthDate: string, date: string): string {
  const age = ageParts(birthDate, date);
  if (Number.isNaN(age.days)) return "";
  if (age.months >= 12) return `${age.years}岁`;
  if (age.months >= 1) return `${age.months}月`;
  return `${Math.max(age.days, 0)}天`;
}
