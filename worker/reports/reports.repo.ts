import type { ReportRange } from "./report-range";
import type { GroupBy, InstitutionLevel } from "./reports.schemas";

/**
 * Report queries as plain SQL (window functions and conditional aggregates read better
 * here than in a query builder). Each returns a prepared statement; the service runs a
 * report's statements in ONE batch, so a report costs one D1 round trip.
 *
 * Times are stored as UTC ISO strings; a China month is strftime over the time shifted
 * by 8 hours. The group expressions below are constants chosen by `groupBy`, never input.
 */
function groupExpr(groupBy: GroupBy, at: string, institution: string): string {
  return groupBy === "month" ? `strftime('%Y-%m', ${at}, '+8 hours')` : institution;
}

/** Which institutions a report covers (the level and/or one institution); neither: all members. */
export interface Scope {
  level?: InstitutionLevel;
  institutionId?: string;
}

/**
 * `column IN (the institutions in scope)`, with its parameters. Always written, even
 * unscoped: an IN list of institution ids lets SQLite walk an (institution_id, time) index
 * once per institution instead of scanning the table.
 */
export function scopeClause(column: string, scope: Scope): { sql: string; params: string[] } {
  const where: string[] = [];
  const params: string[] = [];
  if (scope.level) {
    where.push("level = ?");
    params.push(scope.level);
  }
  if (scope.institutionId) {
    where.push("id = ?");
    params.push(scope.institutionId);
  }
  return { sql: `${column} IN (SELECT id FROM institutions${where.length ? ` WHERE ${where.join(" AND ")}` : ""})`, params };
}

/** A review decision: the event leaving pending_review for approved or rejected. */
const DECISION = `e.from_status = 'pending_review' AND e.to_status IN ('approved', 'rejected')`;

/** Every member institution (a report lists its groups zero-filled, and checks `institutionId` against it). */
export function institutionsStatement(d1: D1Database) {
  return d1.prepare("SELECT id, name, level FROM institutions ORDER BY id");
}

export function pharmaciesStatement(d1: D1Database) {
  return d1.prepare("SELECT id, name FROM pharmacies ORDER BY id");
}

export interface QualificationRow {
  month: string;
  institution_id: string;
  reviewed: number;
  approved: number;
  rejected: number;
  rejected_non_standard: number;
  rejected_inappropriate: number;
  rejected_abnormal: number;
}

/**
 * 处方合格率, one unit per prescription: its FIRST review decision (over all its
 * instalment orders), dated by that decision and attributed to the prescribing institution.
 * Later instalments are reviewed again before each issue, but counting them would weigh a
 * three-instalment long prescription three times. The window runs over every decision
 * before the period's end, so a prescription first reviewed before the period is not
 * counted again when a later instalment is reviewed within it. Always per China month ×
 * institution (a few dozen rows); the service rolls them up to the group asked for.
 */
export function qualificationStatement(d1: D1Database, range: ReportRange, scope: Scope) {
  const inScope = scopeClause("o.institution_id", scope);
  return d1
    .prepare(
      `WITH decisions AS (
         SELECT o.institution_id AS institution_id, e.at AS at, e.to_status AS decision,
                -- reason codes are "category.reason" (desk.labels.ts)
                CASE WHEN instr(o.reject_reason, '.') > 0 THEN substr(o.reject_reason, 1, instr(o.reject_reason, '.') - 1) ELSE o.reject_reason END AS category,
                ROW_NUMBER() OVER (PARTITION BY o.prescription_id ORDER BY e.at, e.id) AS nth
         FROM order_events e JOIN orders o ON o.id = e.order_id
         WHERE ${DECISION} AND e.at < ? AND ${inScope.sql}
       )
       SELECT strftime('%Y-%m', at, '+8 hours') AS month, institution_id,
              COUNT(*) AS reviewed,
              SUM(decision = 'approved') AS approved,
              SUM(decision = 'rejected') AS rejected,
              SUM(decision = 'rejected' AND category = 'non_standard') AS rejected_non_standard,
              SUM(decision = 'rejected' AND category = 'inappropriate') AS rejected_inappropriate,
              SUM(decision = 'rejected' AND category = 'abnormal') AS rejected_abnormal
       FROM decisions
       WHERE nth = 1 AND at >= ?
       GROUP BY month, institution_id`,
    )
    .bind(range.endAt, ...inScope.params, range.startAt);
}

export interface ReviewRow {
  month: string;
  institution_id: string;
  sampled: number;
  reviewed: number;
  rational: number;
  non_standard: number;
  inappropriate: number;
  abnormal: number;
}

/**
 * 处方点评 results per sample month × institution, for the months the range touches
 * (review_items_institution_month index: one range per institution in scope).
 */
export function reviewResultsStatement(d1: D1Database, months: { first: string; last: string }, scope: Scope) {
  const inScope = scopeClause("institution_id", scope);
  return d1
    .prepare(
      `SELECT month, institution_id,
              COUNT(*) AS sampled,
              SUM(outcome IS NOT NULL) AS reviewed,
              SUM(outcome = 'rational') AS rational,
              SUM(outcome = 'non_standard') AS non_standard,
              SUM(outcome = 'inappropriate') AS inappropriate,
              SUM(outcome = 'abnormal') AS abnormal
       FROM review_items
       WHERE ${inScope.sql} AND month >= ? AND month <= ?
       GROUP BY month, institution_id`,
    )
    .bind(...inScope.params, months.first, months.last);
}

export interface LongPrescriptionRow {
  key: string;
  signed: number;
  long_term: number;
  long_term_days: number | null;
  long_term_over_28: number;
}

/** Prescriptions signed in the period (created_at is the signing time), cancelled ones included. */
export function longPrescriptionStatement(d1: D1Database, range: ReportRange, groupBy: GroupBy, scope: Scope) {
  const inScope = scopeClause("institution_id", scope);
  return d1
    .prepare(
      `SELECT ${groupExpr(groupBy, "created_at", "institution_id")} AS key,
              COUNT(*) AS signed,
              SUM(kind = 'long_term') AS long_term,
              SUM(CASE WHEN kind = 'long_term' THEN days END) AS long_term_days,
              SUM(kind = 'long_term' AND days > 28) AS long_term_over_28
       FROM prescriptions
       WHERE ${inScope.sql} AND created_at >= ? AND created_at < ?
       GROUP BY key`,
    )
    .bind(...inScope.params, range.startAt, range.endAt);
}

export interface OrderStateRow {
  pharmacy_id: string;
  status: string;
  n: number;
}

/** Current status of the orders created in the period (later instalments included, as `scheduled`). */
export function ordersByStateStatement(d1: D1Database, range: ReportRange, scope: Scope) {
  // scoped only when asked: orders have no (institution_id, created_at) index to walk
  const inScope = scope.level || scope.institutionId ? scopeClause("institution_id", scope) : { sql: "1", params: [] };
  return d1
    .prepare(
      `SELECT pharmacy_id, status, COUNT(*) AS n
       FROM orders
       WHERE created_at >= ? AND created_at < ? AND ${inScope.sql}
       GROUP BY pharmacy_id, status`,
    )
    .bind(range.startAt, range.endAt, ...inScope.params);
}

export interface TurnaroundRow {
  metric: "review" | "fulfilment";
  /** '' for the total over all groups */
  key: string;
  count: number;
  mean_ms: number;
  p50_ms: number;
  p90_ms: number;
}

/**
 * The p-th percentile of `ms` within each (metric, key) partition of `ranked` (i = 0-based
 * rank, n = partition size), by linear interpolation between the closest ranks:
 * v[lo] + (pos - lo) × (v[lo+1] − v[lo]) with pos = (n − 1) × p, lo = floor(pos).
 * `p` is a constant of this module, never input.
 */
function percentileExpr(p: number): string {
  const pos = `((n - 1) * ${p})`;
  const lo = `CAST(${pos} AS INTEGER)`;
  const at = (rank: string) => `MAX(CASE WHEN i = ${rank} THEN ms END)`;
  return `${at(lo)} + (${pos} - ${lo}) * (COALESCE(${at(`${lo} + 1`)}, ${at(lo)}) - ${at(lo)})`;
}

/**
 * Review and fulfilment durations of the period with their count, mean, median and p90 per
 * group and in total, ranked in SQL (ROW_NUMBER and COUNT over partitions), so only one
 * row per group and metric leaves the database, whatever the number of orders.
 * - review: from the order entering pending_review (created, or a later instalment
 *   released) to the decision; dated by the decision.
 * - fulfilment: from approval to picked_up or delivered; dated by the hand-over.
 * Both per order (each instalment is its own review and its own hand-over), attributed to
 * the prescribing institution.
 */
export function turnaroundStatement(d1: D1Database, range: ReportRange, groupBy: GroupBy, scope: Scope) {
  const inScope = scopeClause("o.institution_id", scope);
  const since = (status: string) =>
    `(julianday(e.at) - julianday((SELECT MAX(p.at) FROM order_events p WHERE p.order_id = e.order_id AND p.to_status = '${status}' AND p.id < e.id))) * 86400000.0`;
  return d1
    .prepare(
      `WITH durations AS (
         SELECT 'review' AS metric, o.institution_id AS institution_id, e.at AS at, ${since("pending_review")} AS ms
         FROM order_events e JOIN orders o ON o.id = e.order_id
         WHERE ${DECISION} AND e.at >= ? AND e.at < ? AND ${inScope.sql}
         UNION ALL
         SELECT 'fulfilment', o.institution_id, e.at, ${since("approved")}
         FROM order_events e JOIN orders o ON o.id = e.order_id
         WHERE e.to_status IN ('picked_up', 'delivered') AND e.at >= ? AND e.at < ? AND ${inScope.sql}
       ),
       keyed AS (
         SELECT metric, ${groupExpr(groupBy, "at", "institution_id")} AS key, ROUND(ms) AS ms FROM durations WHERE ms IS NOT NULL
         UNION ALL
         SELECT metric, '' AS key, ROUND(ms) AS ms FROM durations WHERE ms IS NOT NULL
       ),
       ranked AS (
         SELECT metric, key, ms,
                ROW_NUMBER() OVER (PARTITION BY metric, key ORDER BY ms) - 1 AS i,
                COUNT(*) OVER (PARTITION BY metric, key) AS n
         FROM keyed
       )
       SELECT metric, key, n AS count, AVG(ms) AS mean_ms, ${percentileExpr(0.5)} AS p50_ms, ${percentileExpr(0.9)} AS p90_ms
       FROM ranked
       GROUP BY metric, key`,
    )
    .bind(range.startAt, range.endAt, ...inScope.params, range.startAt, range.endAt, ...inScope.params);
}

export interface NotificationListRow {
  id: string;
  order_id: string;
  channel: string;
  template: string;
  params: string;
  state: string;
  created_at: string;
  sent_at: string | null;
}

export interface OrderOwnerRow {
  pharmacy_id: string;
  site_name: string | null;
  carrier: string | null;
  tracking_no: string | null;
  reject_reason: string | null;
}

/** The order's owner and the facts a message is completed from (site, carrier, reject reason). */
export function orderOwnerStatement(d1: D1Database, orderId: string) {
  return d1
    .prepare(
      `SELECT o.pharmacy_id, s.name AS site_name, o.carrier, o.tracking_no, o.reject_reason
       FROM orders o LEFT JOIN pharmacy_sites s ON s.id = o.pickup_site_id
       WHERE o.id = ?`,
    )
    .bind(orderId);
}

/** One row when `pharmacistId` is registered at `pharmacyId` (the caller's token is not proof of it). */
export function pharmacistRegistrationStatement(d1: D1Database, pharmacistId: string, pharmacyId: string) {
  return d1.prepare("SELECT 1 AS registered FROM pharmacists WHERE id = ? AND pharmacy_id = ?").bind(pharmacistId, pharmacyId);
}

export function orderNotificationsStatement(d1: D1Database, orderId: string) {
  return d1
    .prepare("SELECT id, order_id, channel, template, params, state, created_at, sent_at FROM notifications WHERE order_id = ? ORDER BY created_at, rowid")
    .bind(orderId);
}
