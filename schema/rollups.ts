import { integer, primaryKey, real, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Rollups behind the admin reports (issue 12: reports on a year of data read a few hundred
 * rows instead of scanning millions). Each comes twice, with the same columns:
 * - daily, keyed by China date (UTC+8, "YYYY-MM-DD") and institution (the level of a row is
 *   its institution's), kept exact by SQLite triggers on prescriptions, orders and
 *   order_events;
 * - monthly, keyed by China month ("YYYY-MM") instead of the date: the sums of the daily
 *   rows of that month, kept by triggers on the daily table.
 * The triggers (worker/reports/rollups.sql.ts, appended to the migrations) run inside the
 * writer's own statement, so every writer updates both in its batch with no extra round
 * trip. A report reads a period's whole months from the monthly table and only its other
 * days from the daily one. Rows are never deleted: a count brought back to 0 stays as a
 * zero row.
 */

/** The China date ("YYYY-MM-DD") of a daily rollup row. */
const day = () => text("day").notNull();
/** The China month ("YYYY-MM") of a monthly rollup row. */
const month = () => text("month").notNull();

/** Prescriptions by signing day × institution × prescriber: long-prescription counts and the WHO/INRUD sums. */
const rxColumns = () => ({
  institutionId: text("institution_id").notNull(),
  prescriberId: text("prescriber_id").notNull(),
  /** every signed prescription, cancelled ones included */
  signed: integer("signed").notNull(),
  longTerm: integer("long_term").notNull(),
  longTermDays: integer("long_term_days").notNull(),
  longTermOver28: integer("long_term_over_28").notNull(),
  /** not cancelled and with at least one item: the indicators' encounters */
  standing: integer("standing").notNull(),
  items: integer("items").notNull(),
  withAntimicrobial: integer("with_antimicrobial").notNull(),
  withInjection: integer("with_injection").notNull(),
  essentialItems: integer("essential_items").notNull(),
  genericItems: integer("generic_items").notNull(),
  vbpItems: integer("vbp_items").notNull(),
});
export const rxDaily = sqliteTable("rx_daily", { day: day(), ...rxColumns() }, (t) => [primaryKey({ columns: [t.day, t.institutionId, t.prescriberId] })]);
export const rxMonthly = sqliteTable("rx_monthly", { month: month(), ...rxColumns() }, (t) => [primaryKey({ columns: [t.month, t.institutionId, t.prescriberId] })]);

/** Orders by creation day × institution × pharmacy × CURRENT status. */
const orderStateColumns = () => ({
  institutionId: text("institution_id").notNull(),
  pharmacyId: text("pharmacy_id").notNull(),
  status: text("status").notNull(),
  n: integer("n").notNull(),
});
export const orderStateDaily = sqliteTable("order_state_daily", { day: day(), ...orderStateColumns() }, (t) => [
  primaryKey({ columns: [t.day, t.institutionId, t.pharmacyId, t.status] }),
]);
export const orderStateMonthly = sqliteTable("order_state_monthly", { month: month(), ...orderStateColumns() }, (t) => [
  primaryKey({ columns: [t.month, t.institutionId, t.pharmacyId, t.status] }),
]);

/** Each prescription's FIRST review decision, by decision day × prescribing institution (处方合格率). */
const qualificationColumns = () => ({
  institutionId: text("institution_id").notNull(),
  reviewed: integer("reviewed").notNull(),
  approved: integer("approved").notNull(),
  rejected: integer("rejected").notNull(),
  rejectedNonStandard: integer("rejected_non_standard").notNull(),
  rejectedInappropriate: integer("rejected_inappropriate").notNull(),
  rejectedAbnormal: integer("rejected_abnormal").notNull(),
});
export const qualificationDaily = sqliteTable("qualification_daily", { day: day(), ...qualificationColumns() }, (t) => [primaryKey({ columns: [t.day, t.institutionId] })]);
export const qualificationMonthly = sqliteTable("qualification_monthly", { month: month(), ...qualificationColumns() }, (t) => [
  primaryKey({ columns: [t.month, t.institutionId] }),
]);

/**
 * Turnaround histograms: TURNAROUND_BUCKETS fixed buckets of duration (TURNAROUND_BOUNDS),
 * each with its count (b<k>) and the sum of its durations in ms (s<k>). A percentile is read
 * at its rank from the bucket holding it, valued at that bucket's mean (s/b): exact when a
 * bucket's durations are equal, else within the bucket's width (under a minute below a
 * minute, else under 25% of the value).
 */
export const TURNAROUND_BUCKETS = 46;
/**
 * Lower bound in ms of each bucket: bucket 0 holds negative durations (a clock that went
 * back, as tests move it), bucket 1 [0, 1 min), then buckets growing by 1.25× from a minute;
 * the last (from ~ 10.2 days) is open. 46 buckets: D1 allows 100 columns a table.
 * (Migration 0012 had no negative bucket; 0013 rebuilt the histograms with this one.)
 */
export const TURNAROUND_BOUNDS: readonly number[] = Array.from({ length: TURNAROUND_BUCKETS }, (_, k) =>
  k === 0 ? Number.NEGATIVE_INFINITY : k === 1 ? 0 : Math.round(60_000 * 1.25 ** (k - 2)),
);

type BucketColumns = Record<`b${number}`, ReturnType<typeof bucketCount>> & Record<`s${number}`, ReturnType<typeof bucketSum>>;
const bucketCount = (k: number) => integer(`b${k}`).notNull();
const bucketSum = (k: number) => real(`s${k}`).notNull();
const bucketColumns = (): BucketColumns =>
  Object.fromEntries(
    Array.from({ length: TURNAROUND_BUCKETS }, (_, k) => [
      [`b${k}`, bucketCount(k)],
      [`s${k}`, bucketSum(k)],
    ]).flat(),
  );

/** Review (metric 'review') and hand-over ('fulfilment') durations by end day × institution. */
const turnaroundColumns = () => ({
  institutionId: text("institution_id").notNull(),
  metric: text("metric", { enum: ["review", "fulfilment"] }).notNull(),
  n: integer("n").notNull(),
  sumMs: real("sum_ms").notNull(),
  ...bucketColumns(),
});
export const turnaroundDaily = sqliteTable("turnaround_daily", { day: day(), ...turnaroundColumns() }, (t) => [primaryKey({ columns: [t.day, t.institutionId, t.metric] })]);
export const turnaroundMonthly = sqliteTable("turnaround_monthly", { month: month(), ...turnaroundColumns() }, (t) => [
  primaryKey({ columns: [t.month, t.institutionId, t.metric] }),
]);
