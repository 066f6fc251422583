import { INJECTION_ROUTES } from "../../worker/reports/indicators.repo";
import type { ReportRange } from "../../worker/reports/report-range";
import { type Scope, scopeClause } from "../../worker/reports/reports.repo";
import type { GroupBy } from "../../worker/reports/reports.schemas";

/**
 * The oracle of the rollups: the reports' statements as they were before issue 12, scanning
 * prescriptions, orders and order_events (kept verbatim from the last commit that had them,
 * 80d4ade). reports-rollups.test.ts runs the reports on both and compares.
 */

export interface RawTurnaroundRow {
  metric: "review" | "fulfilment";
  key: string;
  count: number;
  mean_ms: number;
  p50_ms: number;
  p90_ms: number;
}

function groupExpr(groupBy: GroupBy, at: string, institution: string): string {
  return groupBy === "month" ? `strftime('%Y-%m', ${at}, '+8 hours')` : institution;
}

/** A review decision: the event leaving pending_review for approved or rejected. */
const DECISION = `e.from_status = 'pending_review' AND e.to_status IN ('approved', 'rejected')`;

/** Every member institution (a report lists its groups zero-filled, and checks `institutionId` against it). */
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

export function prescriberIndicatorsStatement(d1: D1Database, range: ReportRange) {
  const inScope = scopeClause("p.institution_id", {});
  const injections = INJECTION_ROUTES.map((r) => `'${r}'`).join(", ");
  const flag = (field: string) => `CASE WHEN v.snapshot IS NOT NULL THEN json_extract(v.snapshot, '$.${field}') ELSE f.${field} END`;
  return d1
    .prepare(
      `WITH items AS (
         SELECT p.id AS rx_id, p.prescriber_id, p.institution_id,
                json_extract(j.value, '$.drugCode') AS code,
                json_extract(j.value, '$.drug.version') AS version,
                json_extract(j.value, '$.drug.genericName') AS generic_name,
                json_extract(j.value, '$.route') AS route
         FROM prescriptions p, json_each(p.content, '$.items') j
         WHERE ${inScope.sql} AND p.created_at >= ? AND p.created_at < ? AND p.status <> 'cancelled'
       ),
       flagged AS (
         SELECT i.rx_id, i.prescriber_id, i.institution_id,
                ${flag("antimicrobial")} IS NOT NULL AS antimicrobial,
                COALESCE(i.route, ${flag("route")}) IN (${injections}) AS injection,
                COALESCE(${flag("essential")}, 0) = 1 AS essential,
                COALESCE(${flag("vbp")}, 0) = 1 AS vbp,
                COALESCE(i.generic_name, '') <> '' AS generic
         FROM items i
         LEFT JOIN formulary_entry_versions v ON v.code = i.code AND v.version = i.version
         LEFT JOIN formulary_entries f ON f.code = i.code
       ),
       per_rx AS (
         SELECT rx_id, prescriber_id, institution_id, COUNT(*) AS items,
                MAX(antimicrobial) AS antimicrobial, MAX(injection) AS injection,
                SUM(essential) AS essential, SUM(generic) AS generic, SUM(vbp) AS vbp
         FROM flagged GROUP BY rx_id
       )
       SELECT r.prescriber_id, pr.name AS prescriber_name, r.institution_id,
              COUNT(*) AS prescriptions, SUM(r.items) AS items,
              SUM(r.antimicrobial) AS with_antimicrobial, SUM(r.injection) AS with_injection,
              SUM(r.essential) AS essential_items, SUM(r.generic) AS generic_items, SUM(r.vbp) AS vbp_items
       FROM per_rx r LEFT JOIN practitioners pr ON pr.id = r.prescriber_id
       GROUP BY r.prescriber_id, r.institution_id`,
    )
    .bind(...inScope.params, range.startAt, range.endAt);
}
