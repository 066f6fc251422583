import { integer, primaryKey, real, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Daily rollups behind the admin reports (issue 12: reports on a year of data read a few
 * thousand rows instead of scanning millions). Keyed by China date (UTC+8, "YYYY-MM-DD")
 * and institution; the level of a row is its institution's. Kept exact by SQLite triggers
 * on prescriptions, orders and order_events (schema/rollups-sql.ts, appended to the
 * migration), so every writer updates them in its own batch with no extra round trip.
 * Rows are never deleted: a count brought back to 0 stays as a zero row.
 */

/** Prescriptions by signing day × institution × prescriber: long-prescription counts and the WHO/INRUD sums. */
export const rxDaily = sqliteTable(
  "rx_daily",
  {
    day: text("day").notNull(),
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
  },
  (t) => [primaryKey({ columns: [t.day, t.institutionId, t.prescriberId] })],
);

/** Orders by creation day × institution × pharmacy × CURRENT status. */
export const orderStateDaily = sqliteTable(
  "order_state_daily",
  {
    day: text("day").notNull(),
    institutionId: text("institution_id").notNull(),
    pharmacyId: text("pharmacy_id").notNull(),
    status: text("status").notNull(),
    n: integer("n").notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.institutionId, t.pharmacyId, t.status] })],
);

/** Each prescription's FIRST review decision, by decision day × prescribing institution (处方合格率). */
export const qualificationDaily = sqliteTable(
  "qualification_daily",
  {
    day: text("day").notNull(),
    institutionId: text("institution_id").notNull(),
    reviewed: integer("reviewed").notNull(),
    approved: integer("approved").notNull(),
    rejected: integer("rejected").notNull(),
    rejectedNonStandard: integer("rejected_non_standard").notNull(),
    rejectedInappropriate: integer("rejected_inappropriate").notNull(),
    rejectedAbnormal: integer("rejected_abnormal").notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.institutionId] })],
);

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
const bucketColumns: BucketColumns = Object.fromEntries(
  Array.from({ length: TURNAROUND_BUCKETS }, (_, k) => [
    [`b${k}`, bucketCount(k)],
    [`s${k}`, bucketSum(k)],
  ]).flat(),
);

/** Review (metric 'review') and hand-over ('fulfilment') durations by end day × institution. */
export const turnaroundDaily = sqliteTable(
  "turnaround_daily",
  {
    day: text("day").notNull(),
    institutionId: text("institution_id").notNull(),
    metric: text("metric", { enum: ["review", "fulfilment"] }).notNull(),
    n: integer("n").notNull(),
    sumMs: real("sum_ms").notNull(),
    ...bucketColumns,
  },
  (t) => [primaryKey({ columns: [t.day, t.institutionId, t.metric] })],
);
